import Foundation
import RefkitTestSupport
import Testing

/// What a hostile review of paying rewards found, each as the run that used to pay twice, pay
/// made-up friends or lose a coupon, through `refkit report` on the real binary.
@Suite("Rewards under attack", .serialized)
struct RewardAttackTests {
    typealias Project = RewardsCLITests.Project
    static let referralBank = "program,reward,coupon\n" + (1...9).map { "parrainage,referral,R-00\($0)\n" }.joined()
        + (1...9).map { "parrainage,friend,W-00\($0)\n" }.joined()

    @Test("a till's code-only row stays one walk-in when the form export later holds a submission for that code: paid once")
    func tillRowPaysOnce() throws {
        let p = try Project(rule: "per_referral", coupons: Self.referralBank)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.write("till.csv", "code,date,value\n\(p.codes[0]),2027-01-15,12.50\n")
        #expect(try p.report().status == 0)
        try p.write("export.csv", "date,code,variant,friend_name,friend_email,utm_source\n2027-01-14,\(p.codes[0]),a,Anna B,anna@example.com,email\n")
        let again = try p.report()
        #expect(again.status == 0, "\(again.stderr)")
        let each = try p.rows(tier: "each"), all = try p.rewards()
        #expect(each.count == 1, "\(all)")
        #expect(try p.rows(tier: "friend").isEmpty, "a walk-in without an address gets no welcome coupon")
    }

    @Test("the same friend as `annab+bakery@gmail.com` at the counter and `anna.b@gmail.com` in the form is paid once, welcomed once")
    func oneFriendTwoSpellings() throws {
        let p = try Project(rule: "per_referral", coupons: Self.referralBank)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.write("red.csv", "\u{FEFF}date,code,email,value,staff,redemption_id\r\n2027-01-15T10:00:00+01:00,\(p.codes[0]),annab+bakery@gmail.com,12.50,JD,6f1c1f7e-0000-4000-8000-000000000001\r\n")
        #expect(try p.report(["--conversions", "red.csv"]).status == 0)
        try p.write("export.csv", "date,code,variant,friend_name,friend_email,utm_source\n2027-01-14,\(p.codes[0]),a,Anna B,anna.b@gmail.com,email\n")
        #expect(try p.report(["--conversions", "red.csv"]).status == 0)
        let each = try p.rows(tier: "each"), all = try p.rewards()
        #expect(each.count == 1, "\(all)")
        #expect(try p.rows(tier: "friend").count == 1, "\(all)")
        #expect(p.drafts("welcome").count == 1)
    }

    @Test("sorting rewards.csv in a spreadsheet moves the lines `pays line N` names, and no owed reward is paid again")
    func sortedLedgerPaysNothingTwice() throws {
        let p = try Project(rule: "per_referral", coupons: "program,reward,coupon\nparrainage,referral,REF-A\nparrainage,referral,REF-B\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(1, "f1@example.com", 12), (0, "f2@example.com", 12), (1, "f3@example.com", 13), (0, "f4@example.com", 13)])
        #expect(try p.report().status == 0)
        try p.write("content/coupons.csv", "program,reward,coupon\nparrainage,referral,REF-C\nparrainage,referral,REF-D\n")
        #expect(try p.report().status == 0)
        let paid = try p.rewards()
        #expect(paid.dropFirst().count { $0[6].hasPrefix("pays line") } == 2, "\(paid)")
        // Sorted by code, as a spreadsheet's Sort A→Z does, and saved.
        let sorted = [paid[0]] + paid.dropFirst().sorted { ($0[0], $0[1], $0[2]) < ($1[0], $1[1], $1[2]) }
        try Data(sorted.map(CSVFixture.row).joined().utf8).write(to: p.rewardsFile)
        try p.write("content/coupons.csv", "program,reward,coupon\nparrainage,referral,REF-E\nparrainage,referral,REF-F\nparrainage,referral,REF-G\n")
        let before = try Data(contentsOf: p.rewardsFile)
        let third = try p.report()
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try Data(contentsOf: p.rewardsFile) == before, "nothing appended: every owed reward is paid already")
    }

    @Test("made-up friends without an address (`friend0`…) count for nothing, even when bare submissions earn rewards",
          arguments: ["friend", "anna@", "@example.com", "anna.example.com", "anna@example"])
    func notAnAddress(stem: String) throws {
        let p = try Project(coupons: nil, siteYAML: "report:\n  rewards_from: submissions\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        let rows = (0..<5).map { "2027-01-1\($0),\(p.codes[0]),a,,\(stem.replacingOccurrences(of: "anna", with: "anna\($0)").replacingOccurrences(of: "friend", with: "friend\($0)"))\n" }
        try p.write("export.csv", "date,code,variant,friend_name,friend_email\n" + rows.joined())
        let r = try p.report([])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("0 counted, 5 flagged"), "\(r.stdout)")
        let rewardRows = FileManager.default.fileExists(atPath: p.rewardsFile.path) ? try p.rewards().count - 1 : 0
        #expect(rewardRows == 0)
        #expect(try p.page().contains("is not an email address"))
    }

    @Test("a code-only redemption of a code whose referrer left earns nothing and drafts no thank-you")
    func inactiveCode() throws {
        let p = try Project(coupons: nil)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        let referrers = p.dir.appendingPathComponent("content/referrers.csv")
        let lines = try String(contentsOf: referrers, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let ledger = try CSVReadBack.python(p.dir.appendingPathComponent("kit/codes.csv"))
        let email = try #require(ledger.first { $0[1] == p.codes[0] })[2]
        try Data(lines.filter { !$0.lowercased().hasPrefix(email) }.joined(separator: "\n").utf8).write(to: referrers)
        #expect(try CLI.refkit(["build", "--root", p.dir.path, "--now", "2027-01-11", "-q"]).status == 0)
        try p.write("red.csv", "date,code,email,value,staff,redemption_id\n2027-01-15T10:00:00+01:00,\(p.codes[0]),,,,11111111-0000-4000-8000-000000000001\n")
        let r = try p.report(["--conversions", "red.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("no longer active"), "\(r.stdout)")
        let rewardRows = FileManager.default.fileExists(atPath: p.rewardsFile.path) ? try p.rewards().count - 1 : 0
        #expect(rewardRows == 0)
        #expect(p.drafts("thanks").isEmpty)
    }

    @Test("the same till export given twice, through a link or as a copy, is read once and said so")
    func sameFileTwice() throws {
        let p = try Project(rule: "per_referral", coupons: Self.referralBank)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.write("till.csv", "code,date,value\n\(p.codes[0]),2027-01-15,12.50\n")
        try FileManager.default.createSymbolicLink(atPath: p.dir.appendingPathComponent("till-link.csv").path, withDestinationPath: "till.csv")
        try FileManager.default.copyItem(at: p.dir.appendingPathComponent("till.csv"), to: p.dir.appendingPathComponent("till-copy.csv"))
        let r = try p.report(["--conversions", "till.csv", "--conversions", "till-link.csv", "--conversions", "till-copy.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("till-copy.csv holds exactly what till.csv holds; read once"), "\(r.stdout)")
        #expect(try p.rows(tier: "each").count == 1)
    }

    @Test("rewards.csv saved by a spreadsheet: an added column is kept and read past; `;` cells or Windows-1252 are named with the fix",
          arguments: [("extra", 0), ("semicolon", 1), ("cp1252", 1)])
    func spreadsheetSaved(kind: String, status: Int32) throws {
        let p = try Project(coupons: nil)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "ana@example.com", 12)])
        #expect(try p.report().status == 0)
        var rows = try p.rewards()
        switch kind {
        case "extra":
            rows = rows.enumerated().map { $0.element + [$0.offset == 0 ? "notes" : "called her"] }
            try Data(rows.map(CSVFixture.row).joined().utf8).write(to: p.rewardsFile)
        case "semicolon":
            try Data(rows.map { $0.joined(separator: ";") }.joined(separator: "\r\n").utf8).write(to: p.rewardsFile)
        default:
            let text = rows.map { $0.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") }.joined(separator: "\r\n")
            try #require(text.data(using: .windowsCP1252)).write(to: p.rewardsFile)
        }
        let before = try Data(contentsOf: p.rewardsFile)
        let r = try p.report()
        #expect(r.status == status, "\(r.stdout)\(r.stderr)")
        if status == 1 {
            #expect(r.stderr.contains("kit/report/rewards.csv:1"), "\(r.stderr)")
            #expect(r.stderr.contains("CSV UTF-8"), "\(r.stderr)")
            #expect(try Data(contentsOf: p.rewardsFile) == before)
        } else {
            #expect(try Data(contentsOf: p.rewardsFile) == before, "nothing new to add")
        }
    }

    @Test("a confirm line copied from the report page, formula guard and all, confirms the held referral")
    func confirmGuarded() throws {
        let p = try Project(coupons: nil, siteYAML: "report:\n  rewards_from: submissions\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.write("export.csv", "date,code,variant,friend_name,friend_email\n2027-01-12,\(p.codes[0]),a,Eve,=eve@mailinator.com\n")
        #expect(try p.report([]).status == 0)
        let page = try p.page()
        let block = try #require(page.range(of: "<pre class=\"confirm\">").flatMap { start in
            page.range(of: "</pre>", range: start.upperBound..<page.endIndex).map { String(page[start.upperBound..<$0.lowerBound]) }
        })
        let line = block.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
        #expect(line.contains("'="), "the page offers the guarded cell: \(line)")
        try p.write("content/confirmed.csv", line)
        let r = try p.report([])
        #expect(r.status == 0, "\(r.stderr)")
        let tier1 = try p.rows(tier: "1"), all = try p.rewards()
        #expect(tier1.count == 1, "\(all)")
    }

    @Test("a conversions file with Excel's `sep=;` first line is read; one with a column twice is refused at its header")
    func separatorLineAndTwinColumns() throws {
        let p = try Project(rule: "per_referral", coupons: Self.referralBank)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.write("till.csv", "sep=;\r\nemail;code;date\r\nana@example.com;\(p.codes[0]);2027-01-15\r\n")
        let r = try p.report()
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try p.rows(tier: "each").count == 1)
        try p.write("twin.csv", "date,code,email,code\n2027-01-16,\(p.codes[1]),bo@example.com,\(p.codes[2])\n")
        let twin = try p.report(["--conversions", "twin.csv"])
        #expect(twin.status == 1)
        #expect(twin.stderr.contains("twin.csv:1") && twin.stderr.contains("columns 2 and 4 are both `code`"), "\(twin.stderr)")
    }

    @Test("numeric coupons survive a spreadsheet: `000123` saved as `123` is still handed out; a long one saved as `1.23E+18` stops the report at its line")
    func numericCoupons() throws {
        let p = try Project(rule: "per_referral", coupons: "program,reward,coupon\nparrainage,referral,000123\nparrainage,referral,000124\nparrainage,referral,1234567890123456789\n")
        defer { try? FileManager.default.removeItem(at: p.dir) }
        try p.conversions([(0, "ana@example.com", 12)])
        #expect(try p.report().status == 0)
        var rows = try p.rewards()
        let first = try #require(rows.firstIndex { $0[2] == "each" })
        #expect(rows[first][5] == "000123")
        rows[first][5] = "123"
        try Data(rows.map(CSVFixture.row).joined().utf8).write(to: p.rewardsFile)
        try p.conversions([(0, "ana@example.com", 12), (1, "bo@example.com", 13)])
        #expect(try p.report().status == 0)
        let coupons = try p.rows(tier: "each").map { $0[5] }
        #expect(coupons == ["123", "000124"], "\(coupons)")

        try p.conversions([(0, "ana@example.com", 12), (1, "bo@example.com", 13), (2, "cy@example.com", 14)])
        #expect(try p.report().status == 0)
        rows = try p.rewards()
        let long = try #require(rows.firstIndex { $0[5] == "1234567890123456789" })
        rows[long][5] = "1.23456789012346E+18"
        try Data(rows.map(CSVFixture.row).joined().utf8).write(to: p.rewardsFile)
        let r = try p.report()
        #expect(r.status == 1)
        #expect(r.stderr.contains("kit/report/rewards.csv:\(long + 1)") && r.stderr.contains("scientific notation"), "\(r.stderr)")
    }
}
