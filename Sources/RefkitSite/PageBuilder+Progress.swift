import RefkitModel

extension PageBuilder {
    /// A referrer's progress page, `p/TOKEN/`: where they stand after the last report, in their
    /// language. Private to them (its address comes only in their own emails), so it is
    /// `noindex`, out of the sitemap and disallowed in robots.txt, and shows their first name
    /// at most, as their personal page does.
    func progress(_ invitation: Invitation, _ standing: ReferrerProgress, _ program: Program, _ edition: ProgramEdition,
                  variant: String) -> Page {
        let folder = "p/token/"
        var page = base(.progress, program, edition, folder: folder)
        let t = strings(edition.language)
        let name = invitation.referrer.firstName
        let url = site.url(invitation.progressPath)
        page.objects["page"]!["noindex"] = true
        page.objects["page"]!["alternates"] = [[String: Any]]()
        page.objects["page"]!["url"] = url
        page.objects["page"]!["canonical_url"] = url
        // The share links of the personal page, which is what a referrer sends on.
        let copy = personalCopy(program, edition)
        let values = personalValues(invitation, copy, withQR: false)
        page.objects["referrer"] = [
            "first_name": name,
            "code": values.code,
            "page_url": values.pageURL,
            "qr_svg": "",
            "share": ["email_url": values.emailURL, "whatsapp_url": values.whatsappURL, "line_url": values.lineURL] as [String: Any],
        ]

        // Tiers in this edition's words (a translation keeps the counts); fewest referrals first.
        let tiers = edition.tiers.sorted { $0.referrals < $1.referrals }
        let friends = standing.friends
        let reached = tiers.last { $0.referrals <= friends }
        let next = tiers.first { $0.referrals > friends }
        var rewards: [[String: Any]] = tiers.filter { $0.referrals <= friends }.map { tier in
            ["reward": tier.reward,
             "label": t.format(tier.referrals == 1 ? "tiers.count_one" : "tiers.count_other", ["count": String(tier.referrals)])]
        }
        if tiers.isEmpty, friends > 0 {
            rewards = [["reward": t.format("progress.each", ["count": String(friends), "reward": edition.incentive.referrer]), "label": ""]]
        }
        func plural(_ key: String, _ n: Int, _ extra: [String: String] = [:]) -> String {
            t.format(key + (n == 1 ? "_one" : "_other"), extra.merging(["count": String(n)]) { a, _ in a })
        }
        page.objects["progress"] = [
            "friends": String(friends),
            "waiting": String(standing.waiting),
            "has_waiting": standing.waiting > 0,
            "tier": reached?.reward ?? "",
            "has_tier": reached != nil,
            "next_tier": next?.reward ?? "",
            "next_needed": String(next.map { $0.referrals - friends } ?? 0),
            "has_next": next != nil,
            "is_top": !tiers.isEmpty && next == nil,
            "has_tiers": !tiers.isEmpty,
            "rewards": rewards,
            "has_rewards": !rewards.isEmpty,
            "has_report": project.progress != nil,
        ] as [String: Any]
        page.objects["text"]!["greeting"] = name.isEmpty ? t["progress.greeting_unnamed"] : t.format("progress.greeting", ["name": name])
        page.objects["text"]!["friends"] = plural("progress.friends", friends)
        page.objects["text"]!["waiting"] = plural("progress.waiting", standing.waiting)
        page.objects["text"]!["tier"] = reached.map { t.format("progress.tier", ["reward": $0.reward]) } ?? t["progress.no_tier"]
        page.objects["text"]!["next"] = next.map { plural("progress.next", $0.referrals - friends, ["reward": $0.reward]) }
            ?? (tiers.isEmpty ? "" : t["progress.top"])
        page.objects["text"]!["invitation"] = ""
        page.objects["text"]!["intro"] = ""
        return page
    }
}
