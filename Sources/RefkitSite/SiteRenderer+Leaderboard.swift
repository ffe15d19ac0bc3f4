import RefkitModel

extension SiteRenderer {
    /// `PROGRAMME/leaderboard/` in every language of a programme with `leaderboard: N`: the top
    /// N active referrers by friends counted in the last report, ties broken by the earlier
    /// first referral (then the code, so the order never depends on the file). A referrer with
    /// `leaderboard` set to `no` in referrers.csv, or with no first name to show, is left off.
    /// Public, but it names people: `publicName` at most, `noindex`, out of the sitemap.
    func renderLeaderboards(_ pages: PageBuilder, to sink: any OutputSink) throws -> Int {
        var count = 0
        for program in project.programs where program.leaderboard > 0 {
            let progress = project.progress ?? ProgressSummary()
            var entries: [(name: String, progress: ReferrerProgress, code: InviteCode)] = []
            for invitation in invitations where invitation.referrer.program == program.slug {
                let standing = progress[invitation.code]
                guard standing.friends > 0, !Self.optedOut(invitation.referrer) else { continue }
                let name = invitation.referrer.publicName
                guard !name.isEmpty else { continue }
                entries.append((name, standing, invitation.code))
            }
            entries.sort { a, b in
                if a.progress.friends != b.progress.friends { return a.progress.friends > b.progress.friends }
                let da = a.progress.first.map { ($0.year, $0.month, $0.day) } ?? (9999, 0, 0)
                let db = b.progress.first.map { ($0.year, $0.month, $0.day) } ?? (9999, 0, 0)
                if da != db { return da < db }
                return a.code < b.code
            }
            let top = entries.prefix(program.leaderboard).map { ($0.name, $0.progress.friends) }
            for edition in program.editions {
                let folder = project.path(of: program, language: edition.language) + "leaderboard/"
                try render("leaderboard", pages.leaderboard(Array(top), program, edition, folder: folder), at: folder, to: sink)
                count += 1
            }
        }
        return count
    }

    /// `leaderboard` in referrers.csv: `no` (or `false`, `0`) keeps the referrer off.
    static func optedOut(_ referrer: Referrer) -> Bool {
        guard let value = referrer.extra.first(where: { $0.name.trimmingWhitespace().lowercased() == "leaderboard" })?.value else { return false }
        return ["no", "false", "0", "n"].contains(value.trimmingWhitespace().lowercased())
    }
}

extension PageBuilder {
    func leaderboard(_ entries: [(name: String, friends: Int)], _ program: Program, _ edition: ProgramEdition, folder: String) -> Page {
        var page = base(.leaderboard, program, edition, folder: folder)
        let t = strings(edition.language)
        page.objects["page"]!["noindex"] = true
        page.objects["leaderboard"] = [
            "entries": entries.enumerated().map { i, e -> [String: Any] in
                ["rank": i + 1, "name": e.name, "friends": e.friends,
                 "friends_text": t.format(e.friends == 1 ? "leaderboard.friends_one" : "leaderboard.friends_other", ["count": String(e.friends)])]
            },
            "has_entries": !entries.isEmpty,
        ] as [String: Any]
        return page
    }
}
