import Foundation
import RefkitTestSupport
import Testing

/// A friend's welcome offer is earned only by an address a welcome draft can be sent to, and a
/// coupon bank the reward rule never uses is named: through the real `refkit report` (and
/// `refkit check`) on a built copy of the sample.
@Suite("Welcome offers need an address; unused coupon banks", .serialized)
struct WelcomeAddressCLITests {
    /// Till rows whose email no draft can carry, each a walk-in by code: header injection (CR LF
    /// and LF), a display name with a comma and a second address, a bare word, NUL, a bidi
    /// override, a quote with a combining mark. Line 2 of till.csv is the one good friend.
    static let hostile = ["evil@x.com\r\nBcc: victim@y.com", "evil2@x.com\nBcc: victim@y.com", "Friend <f@x.com>, other@y.com",
                          "friend0", "nul\u{0}@x.com", "evil\u{202E}moc@x.com", "\"\u{301}q@x.com"]

    /// A quoted CSV cell, quotes doubled by scalar: `"` + U+0301 is one Character, which a
    /// Character-wise replacement would miss.
    static func cell(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
        }
        return out + "\""
    }

    @Test("hostile friend addresses earn no welcome offer and spend no friend coupon; each is a warning with its file and line, on the terminal and the page")
    func hostileAddresses() throws {
        // per_referral with tier banks: the run also shows the unused-bank warning (L8).
        let bank = "program,reward,coupon\nparrainage,3,T3-A\nparrainage,referral,R-1\nparrainage,3,T3-B\nparrainage,5,T5-A\n"
            + (1...9).map { "parrainage,friend,HELLO-\($0)\n" }.joined()
        let p = try RewardsCLITests.Project(rule: "per_referral", coupons: bank)
        defer { try? FileManager.default.removeItem(at: p.dir) }
        var till = "email,code,date,value\nana@example.com,\(p.codes[0]),2027-01-12,10\n"
        for (i, address) in Self.hostile.enumerated() { till += "\(Self.cell(address)),\(p.codes[1 + i]),2027-01-13,10\n" }
        try p.write("till.csv", till)

        let r = try p.report()
        #expect(r.status == 0, "\(r.output)")
        // Only the good friend earns a welcome offer, gets the first friend coupon and a draft.
        let friends = try p.rows(tier: "friend")
        #expect(friends.map { [$0[1], $0[5], $0[6]] } == [["ana@example.com", "HELLO-1", "paid"]], "\(friends)")
        let mails = try RewardsCLITests.mail(p.drafts("welcome"))
        #expect(mails.map(\.to) == ["ana@example.com"])
        #expect(r.stdout.contains("1 welcome draft(s)") && r.stdout.contains(" and 1 friends' welcome offer(s)"), "\(r.stdout)")
        // Each hostile row (lines 3...9) is either not counted at all (listed as such) or warned
        // about with its file and line; the ones that convert are warned about.
        let page = try p.page()
        let warned = (3...11).filter { r.stderr.contains("warning: till.csv:\($0): the friend's address ") }
        #expect(r.stderr.components(separatedBy: "the friend's address ").count - 1 == warned.count, "\(r.stderr)")
        #expect(r.stdout.contains("; \(Self.hostile.count - warned.count) conversion row(s) not counted"), "\(r.stdout)")
        for line in warned {
            #expect(page.contains("till.csv:\(line): the friend&#39;s address ") || page.contains("till.csv:\(line): the friend&#x27;s address "),
                    "line \(line) not on the page")
        }
        // Lines are the file's: the two header injections' cells run over two lines each (3-4,
        // 5-6) and are not counted at all, like the bare word on line 8. The display name with
        // a comma (7), NUL (9), the bidi override (10) and the quote with a combining mark (11)
        // convert, and spent a friend coupon before.
        #expect(warned == [7, 9, 10, 11], "\(r.stderr)")
        #expect(r.stderr.contains("till.csv:7: the friend's address \"Friend<U+0020><f@x.com>,<U+0020>other@y.com\" holds more than one plain address"), "\(r.stderr)")
        #expect(r.stderr.contains("till.csv:9: the friend's address \"nul<U+0000>@x.com\" holds a control character"), "\(r.stderr)")
        #expect(r.stderr.contains("till.csv:10: the friend's address \"evil<U+202E>moc@x.com\" holds characters outside plain ASCII"), "\(r.stderr)")
        #expect(r.stderr.contains("till.csv:11: the friend's address \"\"<U+0301>q@x.com\" holds characters outside plain ASCII"), "\(r.stderr)")
        // In file order.
        let at = warned.map { r.stderr.range(of: "till.csv:\($0):")!.lowerBound }
        #expect(at == at.sorted())
        #expect(r.stderr.contains("correct it to one plain address (name@example.com) in till.csv and run the report again"))
        // No raw control or bidi character reaches the terminal.
        #expect(!r.stderr.unicodeScalars.contains { $0 == "\r" || $0 == "\u{0}" || $0 == "\u{202E}" })

        // L8: the tier banks are named once each, at their first row, with the rule and the fix.
        #expect(r.stderr.contains("warning: content/coupons.csv:2: programme parrainage pays per referral (`reward_rule: per_referral`), so its `3` coupons (tier 3) are never handed out; remove the bank's rows from content/coupons.csv, or set `reward_rule: both` (or `tiers`) in content/programs/parrainage.md."), "\(r.stderr)")
        #expect(r.stderr.contains("warning: content/coupons.csv:5: programme parrainage pays per referral"))
        #expect(r.stderr.components(separatedBy: "content/coupons.csv:").count == 3, "\(r.stderr)")
        #expect(page.contains("content/coupons.csv:2: programme parrainage pays per referral"))

        // A rerun spends nothing more: the skipped friends stay skipped until corrected.
        let again = try p.report()
        #expect(again.status == 0, "\(again.output)")
        #expect(try p.rows(tier: "friend").count == 1)
        #expect(try p.rewards().dropFirst().allSatisfy { !$0[5].hasPrefix("HELLO-") || $0[1] == "ana@example.com" })
    }

    @Test("`refkit check` names a tier bank that per_referral never uses; under `both` it is used and not named")
    func unusedBankOnCheck() throws {
        let dir = try CLI.sampleProject(prefix: "refkit-unused-bank")
        defer { try? FileManager.default.removeItem(at: dir) }
        let program = dir.appendingPathComponent("content/programs/parrainage.md")
        let text = try String(contentsOf: program, encoding: .utf8)
        for (rule, named) in [("per_referral", true), ("both", false)] {
            try Data(text.replacingOccurrences(of: "\ncta: ", with: "\nreward_rule: \(rule)\ncta: ").utf8).write(to: program)
            let r = try CLI.refkit(["check", "--root", dir.path])
            #expect(r.status == 0, "\(r.output)")
            // The sample's tier banks start on lines 2 (tier 1), 14 (tier 3) and 20 (tier 5).
            let lines = r.output.components(separatedBy: "\n").filter { $0.contains("content/coupons.csv:") && $0.contains("never handed out") }
            #expect(lines.count == (named ? 3 : 0), "\(r.output)")
            if named {
                #expect(lines.contains { $0.contains("content/coupons.csv:2: programme parrainage pays per referral (`reward_rule: per_referral`), so its `1` coupons (tier 1)") }, "\(lines)")
            }
        }
    }
}
