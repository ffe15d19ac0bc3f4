import Foundation
import RefkitTestSupport
import Testing

/// Reward rules, coupons, welcome drafts and fraud holds through `refkit report` on the real
/// binary, on built copies of the sample project (tiers at 1, 3 and 5, a `welcome` message).
/// Friends convert at the till (`--conversions`), the default ground for rewards.
@Suite("Rewards that pay out", .serialized)
struct RewardsCLITests {
    /// A built sample with its programme's `reward_rule` and coupon bank replaced.
    struct Project {
        let dir: URL
        /// Issued codes, in ledger order.
        let codes: [String]

        init(rule: String? = nil, coupons: String?, siteYAML: String = "") throws {
            dir = try CLI.sampleProject(prefix: "refkit-rewards")
            if let rule {
                let program = dir.appendingPathComponent("content/programs/parrainage.md")
                let text = try String(contentsOf: program, encoding: .utf8)
                try Data(text.replacingOccurrences(of: "\ncta: ", with: "\nreward_rule: \(rule)\ncta: ").utf8).write(to: program)
            }
            let bank = dir.appendingPathComponent("content/coupons.csv")
            if let coupons { try Data(coupons.utf8).write(to: bank) } else { try FileManager.default.removeItem(at: bank) }
            if !siteYAML.isEmpty {
                let site = dir.appendingPathComponent("content/site.yaml")
                try Data((try String(contentsOf: site, encoding: .utf8) + "\n" + siteYAML).utf8).write(to: site)
            }
            let build = try CLI.refkit(["build", "--root", dir.path, "--now", "2027-01-10", "-q"])
            try #require(build.status == 0, "\(build.stderr)")
            codes = try CSVReadBack.python(dir.appendingPathComponent("kit/codes.csv")).dropFirst().map { $0[1] }
            try write("export.csv", "date,code,variant,friend_name,friend_email,utm_source\n")
        }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }

        /// Friends who bought at the till: (code index, friend's address, day of January 2027).
        func conversions(_ rows: [(Int, String, Int)]) throws {
            try write("till.csv", "email,code,date,value\n" + rows.map { "\($0.1),\(codes[$0.0]),2027-01-\(String(format: "%02d", $0.2)),10\n" }.joined())
        }

        func report(_ extra: [String] = ["--conversions", "till.csv"], now: String = "2027-02-01") throws -> CLI.Result {
            try CLI.refkit(["report", "export.csv", "--root", dir.path, "--now", now] + extra, in: dir)
        }

        var rewardsFile: URL { dir.appendingPathComponent("kit/report/rewards.csv") }
        func rewards() throws -> [[String]] { try CSVReadBack.python(rewardsFile) }
        /// Rows by tier cell, without the header.
        func rows(tier: String) throws -> [[String]] { try rewards().dropFirst().filter { $0[2] == tier } }
        func page() throws -> String { try String(contentsOf: dir.appendingPathComponent("kit/report/index.html"), encoding: .utf8) }
        func drafts(_ folder: String) -> [URL] {
            let url = dir.appendingPathComponent("kit/report/" + folder)
            return ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted().map { url.appendingPathComponent($0) }
        }
    }

    /// `To:` and the text part of each draft, through Python's email parser.
    static func mail(_ files: [URL]) throws -> [(to: String, text: String)] {
        let script = """
        import email, email.policy, json, sys
        out = []
        for path in sys.argv[1:]:
            m = email.message_from_bytes(open(path, 'rb').read(), policy=email.policy.default)
            assert m.defects == [], m.defects
            out.append([str(m['To']), m.get_body(('plain',)).get_content()])
        json.dump(out, sys.stdout)
        """
        let r = try CLI.run("python3", ["-c", script] + files.map(\.path))
        try #require(r.status == 0, "\(r.stderr)")
        return try JSONDecoder().decode([[String]].self, from: Data(r.stdout.utf8)).map { ($0[0], $0[1]) }
    }

    @Test("per_referral: one reward per converted friend, each with the next coupon; no tier rows; thank-you drafts carry {{coupon}}")
    func perReferral() throws {
        let p = try Project(rule: "per_referral", coupons: "program,reward,coupon\nparrainage,referral,R-001\nparrainage,referral,R-002\nparrainage,referral,R-003\nparrainage,referral,R-004\nparrainage,referral,R-005\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "ana@example.com", 12), (0, "bo@example.com", 13), (0, "cy@example.com", 14), (1, "di@example.com", 12)])
        let r = try p.report()
        #expect(r.status == 0, "\(r.output)")
        let each = try p.rows(tier: "each")
        #expect(each.map { $0[5] } == ["R-001", "R-002", "R-003", "R-004"], "\(each)")
        #expect(each.allSatisfy { $0[6] == "paid" })
        #expect(try p.rewards().dropFirst().allSatisfy { $0[2] == "each" || $0[2] == "friend" })
        #expect(r.stdout.contains("parrainage \"referral\": 1 left, 4 handed out"), "\(r.stdout)")
        // The referrer with three friends gets one draft; its {{coupon}} is the coupon of the last.
        let thanks = try Self.mail(p.drafts("thanks"))
        #expect(thanks.count == 2)
        let last = try #require(each.first { $0[1] == "cy@example.com" })[5]
        #expect(thanks.contains { $0.text.contains(last) }, "\(thanks.map(\.text))")
    }

    @Test("tiers: each tier once, with a coupon of its own tier; a tier without coupons is recorded without one")
    func tiers() throws {
        let p = try Project(coupons: "program,reward,coupon\nparrainage,1,T1-A\nparrainage,3,T3-A\nparrainage,1,T1-B\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions((0..<5).map { (0, "f\($0)@example.com", 12 + $0) } + [(2, "solo@example.com", 20)])
        let r = try p.report()
        #expect(r.status == 0, "\(r.output)")
        let rows = try p.rewards().dropFirst().filter { $0[2] != "friend" }
        #expect(rows.map { [$0[2], $0[5], $0[6]] } == [["1", "T1-A", "paid"], ["3", "T3-A", "paid"], ["5", "", ""], ["1", "T1-B", "paid"]], "\(rows)")
        #expect(try p.rows(tier: "each").isEmpty)
    }

    @Test("both: a reward per referral and each tier as a bonus on top, their keys apart; the same export again adds nothing")
    func both() throws {
        let p = try Project(rule: "both", coupons: "program,reward,coupon\nparrainage,referral,R-1\nparrainage,referral,R-2\nparrainage,referral,R-3\nparrainage,1,T1\nparrainage,3,T3\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "ana@example.com", 12), (0, "bo@example.com", 13), (0, "cy@example.com", 14)])
        #expect(try p.report().status == 0)
        let rows = try p.rewards().dropFirst().filter { $0[2] != "friend" }
        // Per referral and tier 1 rest on the same friend, and both are paid.
        #expect(rows.map { [$0[1], $0[2], $0[5]] } == [["ana@example.com", "each", "R-1"], ["ana@example.com", "1", "T1"],
                                                      ["bo@example.com", "each", "R-2"], ["cy@example.com", "each", "R-3"],
                                                      ["cy@example.com", "3", "T3"]], "\(rows)")
        let bytes = try Data(contentsOf: p.rewardsFile)
        let again = try p.report()
        #expect(again.stdout.contains("rewards:    0 new"), "\(again.stdout)")
        #expect(try Data(contentsOf: p.rewardsFile) == bytes)
    }

    @Test("a bank that runs out owes rewards; refilled, re-exported in another order and without used codes, it pays them once, never a coupon twice")
    func runsOutAndRefilled() throws {
        let p = try Project(rule: "per_referral", coupons: "program,reward,coupon\nparrainage,referral,OLD-1\nparrainage,referral,OLD-2\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "a@example.com", 12), (1, "b@example.com", 12), (2, "c@example.com", 13), (3, "d@example.com", 14)])
        let first = try p.report()
        #expect(first.status == 0, "\(first.output)")
        #expect(first.stdout.contains("parrainage \"referral\": 0 left, 2 handed out; 2 more needed"), "\(first.stdout)")
        #expect(try p.page().contains("Coupons needed:</strong> 2 for parrainage, per referral;"))
        var each = try p.rows(tier: "each")
        #expect(each.map { [$0[5], $0[6]] } == [["OLD-1", "paid"], ["OLD-2", "paid"], ["", "owed"], ["", "owed"]])
        let owedLines = try p.rewards().enumerated().filter { $0.element.count > 6 && $0.element[6] == "owed" }.map { $0.offset + 1 }
        let firstBytes = try Data(contentsOf: p.rewardsFile)

        // The till's new export: used codes removed, new ones in another order, one in another case.
        try p.write("content/coupons.csv", "coupon,reward,program\nNEW-9,referral,parrainage\nold-2,referral,parrainage\nNEW-3,referral,parrainage\nNEW-1,referral,parrainage\n")
        let second = try p.report()
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("2 owed reward(s) paid from the refilled bank"), "\(second.stdout)")
        let bytes = try Data(contentsOf: p.rewardsFile)
        #expect(bytes.prefix(firstBytes.count) == firstBytes, "append-only")
        each = try p.rows(tier: "each")
        #expect(each.suffix(2).map { [$0[5], $0[6]] } == [["NEW-9", "pays line \(owedLines[0])"], ["NEW-3", "pays line \(owedLines[1])"]], "\(each)")
        let handedOut = try p.rewards().dropFirst().map { $0[5].uppercased() }.filter { !$0.isEmpty }
        #expect(Set(handedOut).count == handedOut.count, "\(handedOut)")
        #expect(second.stdout.contains("parrainage \"referral\": 1 left"), "\(second.stdout)")
        // The payments get thank-you drafts with their coupons.
        #expect(try Self.mail(p.drafts("thanks")).filter { $0.text.contains("NEW-9") || $0.text.contains("NEW-3") }.count == 2)

        // The same export once more: nothing to pay, no byte changes.
        let third = try p.report()
        #expect(third.status == 0)
        #expect(try Data(contentsOf: p.rewardsFile) == bytes)

        // Python reads seven cells a row, and LibreOffice imports no formula.
        let sheets = try CSVReadBack.libreOffice([p.rewardsFile])
        let sheet = try #require(sheets[p.rewardsFile])
        #expect(sheet.formulas.isEmpty)
        #expect(sheet.columns == CSVReadBack.columns(try p.rewards()))
        #expect(try p.rewards().allSatisfy { $0.count == 7 })
    }

    @Test("a reordered coupons.csv hands out the next unused code in its new order, never a used one")
    func reordered() throws {
        let p = try Project(rule: "per_referral", coupons: "program,reward,coupon\nparrainage,referral,C-1\nparrainage,referral,C-2\nparrainage,referral,C-3\nparrainage,referral,C-4\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "a@example.com", 12), (1, "b@example.com", 12)])
        #expect(try p.report().status == 0)
        try p.write("content/coupons.csv", "program,reward,coupon\nparrainage,referral,C-2\nparrainage,referral,C-1\nparrainage,referral,C-4\nparrainage,referral,C-3\n")
        try p.conversions([(0, "a@example.com", 12), (1, "b@example.com", 12), (2, "c@example.com", 15)])
        #expect(try p.report().status == 0)
        #expect(try p.rows(tier: "each").map { $0[5] } == ["C-1", "C-2", "C-4"])
    }

    @Test("expired coupons are skipped; one that expires on the report's day is still handed out")
    func expired() throws {
        let p = try Project(rule: "per_referral", coupons: "program,reward,coupon,expires\nparrainage,referral,E-1,2027-01-31\nparrainage,referral,E-2,2027-02-01\nparrainage,referral,E-3,\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "a@example.com", 12), (1, "b@example.com", 12), (2, "c@example.com", 13)])
        #expect(try p.report(now: "2027-02-01").status == 0)
        #expect(try p.rows(tier: "each").map { $0[5] } == ["E-2", "E-3", ""])
    }

    @Test("friends get welcome drafts with their friend coupon, to their own address, named by date")
    func welcome() throws {
        let p = try Project(coupons: "program,reward,coupon\nparrainage,friend,HELLO-1\nparrainage,friend,HELLO-2\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "ana@example.com", 12), (1, "bo@example.com", 13), (2, "cy@example.com", 14)])
        let r = try p.report()
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout.contains("3 welcome draft(s)"), "\(r.stdout)")
        let files = p.drafts("welcome")
        #expect(files.map(\.lastPathComponent).first?.hasPrefix("2027-01-12-") == true, "\(files)")
        let mails = try Self.mail(files)
        #expect(mails.map(\.to) == ["ana@example.com", "bo@example.com", "cy@example.com"])
        #expect(mails[0].text.contains("HELLO-1") && mails[1].text.contains("HELLO-2") && !mails[2].text.contains("HELLO"))
        #expect(try p.rows(tier: "friend").map { $0[6] } == ["paid", "paid", "owed"])
    }

    @Test("a rewards.csv from before coupons reads, gains the two columns in its header only, and earns nothing twice")
    func oldFormat() throws {
        let p = try Project(coupons: "program,reward,coupon\nparrainage,1,T1-A\nparrainage,1,T1-B\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        let code = p.codes[0]
        let oldRows = "\(code),ana@example.com,1,\"Une viennoiserie au choix, bien sûr\",2027-01-12\n"
        try FileManager.default.createDirectory(at: p.dir.appendingPathComponent("kit/report"), withIntermediateDirectories: true)
        try p.write("kit/report/rewards.csv", "code,friend,tier,reward,date\n" + oldRows)
        try p.conversions([(0, "ana@example.com", 12), (1, "bo@example.com", 13)])
        let r = try p.report()
        #expect(r.status == 0, "\(r.output)")
        let text = try String(contentsOf: p.rewardsFile, encoding: .utf8)
        #expect(text.hasPrefix("code,friend,tier,reward,date,coupon,status\n" + oldRows), "\(text)")
        let tier1 = try p.rows(tier: "1")
        #expect(tier1.map(\.count) == [5, 7])
        #expect(tier1.last?[5] == "T1-A")
    }

    @Test("without --conversions no referral earns a reward by default, and the summary and page say where conversions come from")
    func conversionsByDefault() throws {
        let p = try Project(coupons: nil)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.write("export.csv", "date,code,variant,friend_name,friend_email,utm_source\n2027-01-12,\(p.codes[0]),,Ana,ana@example.com,email\n")
        let r = try p.report([])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout.contains("no referral counts towards rewards"), "\(r.stdout)")
        #expect(r.stdout.contains("--conversions"))
        #expect(try p.rewards() == [["code", "friend", "tier", "reward", "date", "coupon", "status"]])
        #expect(try p.page().contains("No referral counts towards rewards in this report."))
    }

    @Test("bare submissions: a busy day, a throwaway domain, look-alike addresses and names are held until confirmed.csv lists them")
    func fraudHolds() throws {
        let p = try Project(coupons: nil, siteYAML: "report:\n  rewards_from: submissions\n  daily_limit: 3\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.write("content/disposable-domains.txt", "# our own list\nthrowaway.example\n")
        let c = p.codes
        var export = "date,code,variant,friend_name,friend_email,utm_source\n"
        // Code 0: four forms on one day (limit 3).
        for i in 0..<4 { export += "2027-01-12,\(c[0]),,Friend \(i),qx\(i)zz\(i)@example.com,email\n" }
        // Code 1: a throwaway address of the shipped list; code 2: one of the user's list.
        export += "2027-01-12,\(c[1]),,Vic,vic@mailinator.com,email\n"
        export += "2027-01-12,\(c[2]),,Wes,wes@throwaway.example,email\n"
        // Code 3: addresses one letter apart; code 4: the same name, twice.
        export += "2027-01-12,\(c[3]),,Marie,marie.d@example.com,email\n2027-01-13,\(c[3]),,Jo,marie.b@example.com,email\n"
        export += "2027-01-12,\(c[4]),,Élise  Roy,elise@example.com,email\n2027-01-13,\(c[4]),,elise roy,er1977@example.net,email\n"
        // Code 5: a clean one.
        export += "2027-01-12,\(c[5]),,Zed,zed@example.org,email\n"
        try p.write("export.csv", export)
        let r = try p.report([])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.stdout.contains("held:"), "\(r.stdout)")
        let paid = Set(try p.rewards().dropFirst().map { $0[0] })
        #expect(paid == [c[5]], "\(paid)")
        let page = try p.page()
        for reason in ["4 forms for this code on 2027-01-12 (more than 3)", "a throwaway address (mailinator.com)",
                       "a throwaway address (throwaway.example)", "one letter away from marie.b@example.com", "the same name as er1977@example.net"] {
            #expect(page.contains(reason), "\(reason)")
        }
        // The lines the page offers, pasted into content/confirmed.csv, release the rewards.
        let block = try #require(page.components(separatedBy: "<pre class=\"confirm\">").dropFirst().first?.components(separatedBy: "</pre>").first)
        try p.write("content/confirmed.csv", block.replacingOccurrences(of: "&#64;", with: "@"))
        let again = try p.report([])
        #expect(again.status == 0, "\(again.output)")
        #expect(!again.stdout.contains("held:"), "\(again.stdout)")
        #expect(Set(try p.rewards().dropFirst().map { $0[0] }) == Set(c[0...5]))
    }

    @Test("reward_rule must be one of three, set in the default language's file", arguments: [
        ("parrainage.md", "sometimes", "content/programs/parrainage.md:", "is not a reward rule"),
        ("parrainage.en.md", "both", "content/programs/parrainage.en.md:", "set in the default language's file only"),
    ])
    func badRule(_ file: String, _ rule: String, _ location: String, _ says: String) throws {
        let dir = try CLI.sampleProject(prefix: "refkit-rewards")
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("content/programs/" + file)
        let text = try String(contentsOf: program, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\ncta: ", with: "\nreward_rule: \(rule)\ncta: ").utf8).write(to: program)
        let r = try CLI.refkit(["build", "--root", dir.path, "--now", "2027-01-10"])
        #expect(r.status == 1, "\(r.output)")
        #expect(r.stderr.contains(location) && r.stderr.contains(says), "\(r.stderr)")
    }

    /// Cells a till export, a hand edit or an attacker can put in the bank.
    static let badBanks: [(String, String, Int, String)] = [
        ("unknown programme", "parrainag,1,X-1\n", 2, "there is no programme \"parrainag\""),
        ("unknown reward", "parrainage,gold,X-1\n", 2, "the reward \"gold\" is not one a coupon can pay"),
        ("unknown tier", "parrainage,4,X-1\n", 2, "programme parrainage has no tier at 4 referrals"),
        ("listed twice", "parrainage,1,X-1\nparrainage,3,x-1 \n", 3, "listed twice, on line 2 and on line 3"),
        ("empty cell", "parrainage,,X-1\n", 2, "the `reward` cell is empty"),
        ("bad date", "parrainage,1,X-1,2027-02-30\n", 2, "the expiry \"2027-02-30\" is not a date"),
        ("formula", "parrainage,1,\"=HYPERLINK(\"\"http://x\"\")\"\n", 2, "a spreadsheet reads as a formula"),
        ("full-width formula", "parrainage,1,\u{FF0B}33\n", 2, "a spreadsheet reads as a formula"),
        ("CR LF", "parrainage,1,\"X\r\n1\"\n", 2, "the invisible character U+D"),
        ("NUL", "parrainage,1,X\u{0}1\n", 2, "the invisible character U+0"),
        ("bidi", "parrainage,1,X\u{202E}1\n", 2, "the invisible character U+202E"),
        ("huge", "parrainage,1,\(String(repeating: "X", count: 5000))\n", 2, "longer than 1000 bytes"),
        ("referral under tiers", "parrainage,referral,X-1\n", 2, "pays tiers only"),
    ]

    @Test("a bad coupons.csv stops the report with its line and what to do, and writes nothing")
    func badBank() throws {
        let p = try Project(coupons: nil)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "ana@example.com", 12)])
        for (name, rows, line, says) in Self.badBanks {
            try p.write("content/coupons.csv", "program,reward,coupon,expires\n" + rows)
            let r = try p.report()
            #expect(r.status == 1, "\(name): \(r.output)")
            #expect(r.stderr.contains("content/coupons.csv:\(line):") && r.stderr.contains(says), "\(name): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: p.dir.appendingPathComponent("kit/report").path), "\(name)")
        }
    }
}
