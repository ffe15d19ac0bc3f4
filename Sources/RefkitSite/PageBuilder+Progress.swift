import RefkitModel

extension PageBuilder {
    /// A referrer's progress page, `p/TOKEN/`: where they stand after the last report, in their
    /// language. Private to them (its address comes only in their own emails), so it is
    /// `noindex`, out of the sitemap and disallowed in robots.txt, and shows their first name
    /// at most, as their personal page does.
    func progress(_ values: ProgressValues, _ standing: ReferrerProgress, _ program: Program, _ edition: ProgramEdition,
                  variant: String) -> Page {
        let folder = "p/token/"
        var page = base(.progress, program, edition, folder: folder)
        let t = strings(edition.language)
        page.objects["page"]!["noindex"] = true
        page.objects["page"]!["alternates"] = [[String: Any]]()
        page.objects["page"]!["url"] = values.url
        page.objects["page"]!["canonical_url"] = values.url
        // The share links of the personal page, which is what a referrer sends on.
        page.objects["referrer"] = [
            "first_name": values.firstName,
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
        page.objects["text"]!["greeting"] = values.greeting
        page.objects["text"]!["friends"] = plural("progress.friends", friends)
        page.objects["text"]!["waiting"] = plural("progress.waiting", standing.waiting)
        page.objects["text"]!["tier"] = reached.map { t.format("progress.tier", ["reward": $0.reward]) } ?? t["progress.no_tier"]
        page.objects["text"]!["next"] = next.map { plural("progress.next", $0.referrals - friends, ["reward": $0.reward]) }
            ?? (tiers.isEmpty ? "" : t["progress.top"])
        page.objects["text"]!["invitation"] = ""
        page.objects["text"]!["intro"] = ""
        return page
    }

    /// What a progress page shows of its referrer, in a fixed order for the prototype's holes
    /// (see `PagePrototype`); the counts and the copy are the same for every page of one prototype.
    struct ProgressValues {
        var firstName: String
        var code: String
        var pageURL: String
        var url: String
        var emailURL: String
        var whatsappURL: String
        var lineURL: String
        var greeting: String

        var all: [String] {
            get { [firstName, code, pageURL, url, emailURL, whatsappURL, lineURL, greeting] }
            set { (firstName, code, pageURL, url, emailURL, whatsappURL, lineURL, greeting) =
                    (newValue[0], newValue[1], newValue[2], newValue[3], newValue[4], newValue[5], newValue[6], newValue[7]) }
        }
    }

    func progressValues(_ invitation: Invitation, _ copy: PersonalCopy) -> ProgressValues {
        let t = LocalStrings(copy.strings)
        let name = invitation.referrer.firstName
        let shared = personalValues(invitation, copy, withQR: false)
        return ProgressValues(
            firstName: name, code: shared.code, pageURL: shared.pageURL, url: site.url(invitation.progressPath),
            emailURL: shared.emailURL, whatsappURL: shared.whatsappURL, lineURL: shared.lineURL,
            greeting: name.isEmpty ? t["progress.greeting_unnamed"] : t.format("progress.greeting", ["name": name]))
    }
}
