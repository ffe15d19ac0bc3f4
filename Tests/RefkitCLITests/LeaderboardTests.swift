import Foundation
import RefkitModel
import RefkitTestSupport
import Testing

/// `leaderboard: N` through the real binary: who is on it, in which order, under which name.
@Suite("leaderboards", .serialized)
struct LeaderboardTests {
    /// The sample (whose programme has `leaderboard: 10`) cut to `top`, with extra referrers
    /// appended to referrers.csv (which gains a `leaderboard` column), built, reported on with
    /// `friends` (email → friends on their day) and built again.
    static func run(top: Int, extra: [String], friends: [(String, Int, String)]) throws -> (URL, CLI.Result) {
        let project = try CLI.sampleProject(prefix: "refkit-leaderboard")
        try CLI.rewardsFromSubmissions(project)  // the form submissions below are the friends counted
        let program = project.appendingPathComponent("content/programs/parrainage.md")
        let text = try String(contentsOf: program, encoding: .utf8).replacingOccurrences(of: "\nleaderboard: 10 ", with: "\nleaderboard: \(top) ")
        try Data(text.utf8).write(to: program)
        let referrers = project.appendingPathComponent("content/referrers.csv")
        var lines = try String(contentsOf: referrers, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] += ",leaderboard"
        for i in 1..<lines.count { lines[i] += "," }
        lines += extra
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: referrers)
        let first = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"])
        guard first.status == 0 else { return (project, first) }
        let codes = try ProgressPageTests.codes(project)
        var csv = "date,code,variant,friend_name,friend_email,utm_source\n"
        for (email, n, day) in friends {
            for i in 0..<n { csv += "\(day),\(codes[email]!),a,F,f\(i).\(email.prefix(6).replacingOccurrences(of: "@", with: "-"))@example.net,email\n" }
        }
        try Data(csv.utf8).write(to: project.appendingPathComponent("export.csv"))
        let report = try CLI.refkit(["report", "export.csv", "--root", project.path, "--now", "2026-12-01", "-q"], in: project)
        #expect(report.status == 0, "\(report.stderr)")
        return (project, try CLI.refkit(["build", "--root", project.path, "--now", "2026-12-01"]))
    }

    /// The names on a leaderboard page, in order, as a browser reads them (HTML entities decoded by Python).
    static func names(_ project: URL, _ path: String) throws -> [String] {
        let script = """
        import html.parser, sys, json
        class P(html.parser.HTMLParser):
            names, inside = [], False
            def handle_starttag(self, tag, attrs):
                self.inside = ('class', 'leaderboard-name') in attrs
            def handle_data(self, data):
                if self.inside: self.names.append(data)
            def handle_endtag(self, tag):
                self.inside = False
        p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read()); print(json.dumps(p.names))
        """
        let out = try CLI.run("python3", ["-c", script, project.appendingPathComponent("public/" + path + "index.html").path])
        return try JSONDecoder().decode([String].self, from: Data(out.stdout.utf8))
    }

    @Test("the top N by friends counted, ties to the earlier first referral; first name and initial, a given name only for CJK; `no` keeps one off; every language; noindex and out of the sitemap")
    func ranking() throws {
        let (project, build) = try Self.run(top: 3, extra: [
            "tie.early@example.fr,Théo Évrard,,fr,,,",
            "optout@example.fr,Zoé Martin,,fr,,,no",
            "hanako@example.jp,山田 花子,,ja,,,",
        ], friends: [
            ("lea.fontaine@example.fr", 3, "2026-11-26"),
            ("optout@example.fr", 5, "2026-11-24"),
            ("jean-baptiste.roux@example.fr", 2, "2026-11-26"),
            ("tie.early@example.fr", 2, "2026-11-25"),
            ("hanako@example.jp", 2, "2026-11-27"),
        ])
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("5 leaderboard page(s)"))
        #expect(try Self.names(project, "leaderboard/") == ["Léa F.", "Théo É.", "Jean-Baptiste R."])
        for lang in ["en/", "ja/", "ms/", "zh/"] {
            #expect(try Self.names(project, lang + "leaderboard/") == ["Léa F.", "Théo É.", "Jean-Baptiste R."])
        }
        let page = try String(contentsOf: project.appendingPathComponent("public/leaderboard/index.html"), encoding: .utf8)
        #expect(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(page.contains("3 amis"))
        #expect(!page.contains("Fontaine") && !page.contains("Zoé"))
        let sitemap = try String(contentsOf: project.appendingPathComponent("public/sitemap.xml"), encoding: .utf8)
        #expect(!sitemap.contains("leaderboard"))

        // A bigger board shows the Japanese referrer by her given name alone.
        let (second, again) = try Self.run(top: 10, extra: ["hanako@example.jp,山田 花子,,ja,,,"], friends: [("hanako@example.jp", 1, "2026-11-27")])
        defer { try? FileManager.default.removeItem(at: second) }
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.names(second, "leaderboard/") == ["花子"])
    }

    @Test("hostile names: markup and a quote with a combining mark are escaped by scalar and shown as text; a bidi override is refused at its line",
          arguments: [
            ("<b>Zoé</b> <i>Martin</i>", "", 0, "<b>Zoé</b> I."),
            ("\"\u{301}Zoé Dupont", "", 0, "\"Zoé D."),
            ("Zoé Dupont", "Zo\u{202E}é", 1, ""),
            ("Zoé \"\u{301}Dupont", "", 0, "Zoé D."),
          ])
    func hostileNames(name: String, firstName: String, fails: Int, shown: String) throws {
        let cell = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let (project, build) = try Self.run(top: 5, extra: ["zoe@example.fr,\(cell),\(firstName),fr,,,"], friends: fails == 1 ? [] : [("zoe@example.fr", 1, "2026-11-25")])
        defer { try? FileManager.default.removeItem(at: project) }
        if fails == 1 {
            #expect(build.status == 1)
            #expect(build.stderr.contains("content/referrers.csv:22"), "\(build.stderr)")
            return
        }
        #expect(build.status == 0, "\(build.stderr)")
        let names = try Self.names(project, "leaderboard/")
        #expect(names == [shown], "\(names.map { $0.unicodeScalars.map { String($0.value, radix: 16) } })")
        let page = try String(contentsOf: project.appendingPathComponent("public/leaderboard/index.html"), encoding: .utf8)
        #expect(!page.contains("<b>") && !page.contains("\"\u{301}"))
    }

    @Test("a careless first_name column never puts an address or a surname on the board: the given name and initial instead, a warning at each line, off the board when nothing is left")
    func carelessFirstNames() throws {
        let (project, build) = try Self.run(top: 10, extra: [
            "mariedu@example.fr,Marie Dupont,Marie Dupont,fr,,,",
            "swapped@example.fr,Paul Martin,Martin,fr,,,",
            "kanatwo@example.jp,Hanako Yamada,Hanako Yamada,ja,,,",
            "kanathr@example.jp,山田 花子,山田 花子,ja,,,",
            "singlex@example.fr,Durand,,fr,,,",
        ], friends: [
            ("mariedu@example.fr", 5, "2026-11-24"), ("swapped@example.fr", 4, "2026-11-24"),
            ("kanatwo@example.jp", 3, "2026-11-25"), ("kanathr@example.jp", 2, "2026-11-24"), ("singlex@example.fr", 1, "2026-11-24"),
        ])
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(build.status == 0, "\(build.stderr)")
        #expect(try Self.names(project, "leaderboard/") == ["Marie D.", "花子", "Durand"])
        for lang in ["", "en/", "ja/"] {
            let names = try Self.names(project, lang + "leaderboard/").joined(separator: " | ")
            for leak in ["@", "Dupont", "Martin", "Paul", "Blanc", "Yamada", "山田"] { #expect(!names.contains(leak), "\(lang): \(leak)") }
            let page = try String(contentsOf: project.appendingPathComponent("public/" + lang + "leaderboard/index.html"), encoding: .utf8)
            for leak in ["zoe.blanc", "Dupont", "Yamada", "山田"] { #expect(!page.contains(leak), "\(lang): \(leak)") }
        }
        for (line, words) in [(22, "holds the family name \"Dupont\""), (23, "is the family name \"Martin\""),
                              (24, "is the whole name"), (25, "holds the family name \"山田\"")] {
            #expect(build.stderr.contains("content/referrers.csv:\(line): first_name"), "\(line): \(build.stderr)")
            #expect(build.stderr.contains(words), "\(words)")
        }
        #expect(build.stderr.contains("a leaderboard shows \"Marie D.\" instead"))
        #expect(build.stderr.contains("a leaderboard shows no one in its place"))

        // An address in first_name (the email pasted one column off) would go on the personal
        // page too: the build stops at its line.
        let (mailish, refused) = try Self.run(top: 10, extra: ["mailish@example.fr,Zoe Blanc,zoe.blanc@example.fr,fr,,,"], friends: [])
        defer { try? FileManager.default.removeItem(at: mailish) }
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("content/referrers.csv:22") && refused.stderr.contains("holds an email address"), "\(refused.stderr)")
    }
}
