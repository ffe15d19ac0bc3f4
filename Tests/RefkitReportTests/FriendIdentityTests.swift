import Foundation
import RefkitCodes
import RefkitModel
import Testing
@testable import RefkitReport

/// The report's duplicate-friend and self-referral checks against spellings typed into the
/// public form to count one friend twice, and dates no submission can have.
@Suite("Friend identity and plausible dates")
struct FriendIdentityTests {
    let L = Fixtures.code("68SW-R3QS-B"), J = Fixtures.code("7J6Q-ZKGZ-0")

    @Test("every evasion of the same address gives the same key", arguments: [
        "ｍａｒｉｅ＠ｅｘａｍｐｌｅ．ｆｒ",                       // full-width letters, at sign and dot
        "marie@example.fr.",                                  // trailing dot: the DNS root
        "marie@example.fr..",
        "MARİE@EXAMPLE.FR",                                   // dotted capital I
        "MARI\u{307}E@example.fr",                            // the same, decomposed
        "marıe@example.fr",                                   // dotless i
        "mar\u{200B}ie@example.fr",                           // zero-width space
        "ma\u{AD}rie@example.fr",                             // soft hyphen
        "\u{202E}marie@example.fr",                           // bidi override
        "marie@example\u{3002}fr",                            // ideographic full stop
        "marie@example\u{FF61}fr",                            // half-width ideographic full stop
        "Marie+promo@Example.FR.",                            // +tag, case and trailing dot together
        "  marie@example.fr\u{3000}",                         // ideographic space
        "m\u{FF41}rie@\u{FF25}xample.fr",                     // mixed widths
    ])
    func evasion(spelling: String) {
        #expect(EmailIdentity.key(spelling) == "marie@example.fr", "\(spelling.debugDescription) → \(EmailIdentity.key(spelling).debugDescription)")
    }

    @Test("Gmail's rules apply after the evasions are undone", arguments: [
        ("ｍ.ａ.ｒｉｅ＠ＧＯＯＧＬＥＭＡＩＬ．ＣＯＭ", "marie@gmail.com"),
        ("M.A.R.İ.E+x@gmail.com.", "marie@gmail.com"),
    ])
    func gmail(spelling: String, key: String) {
        #expect(EmailIdentity.key(spelling) == key)
    }

    @Test("different people stay different", arguments: [
        ("marie@example.fr", "mario@example.fr"),
        ("marie@example.fr", "marie@example.com"),
        ("marie@exam.ple.fr", "marie@example.fr"),
    ])
    func different(a: String, b: String) {
        #expect(EmailIdentity.key(a) != EmailIdentity.key(b))
    }

    func analysis(_ rows: [(String, InviteCode, String)]) throws -> ReportAnalysis {
        let submissions = rows.enumerated().map { i, row in
            Submission(line: i + 2, date: Day(row.0), dateText: row.0, code: row.1.formatted(), friendEmail: row.2)
        }
        return ReportAnalysis(programs: [Fixtures.program()], ledger: try Fixtures.ledger(), submissions: submissions,
                              conversions: nil, today: Day("2027-04-10")!)
    }

    @Test("a friend who sends the form again in full width, with a trailing dot or a dotted I counts once")
    func duplicates() throws {
        let a = try analysis([
            ("2027-01-12", L, "friend@example.com"),
            ("2027-01-13", J, "ＦＲＩＥＮＤ＠ＥＸＡＭＰＬＥ．ＣＯＭ"),
            ("2027-01-14", J, "friend@example.com."),
            ("2027-01-15", J, "FRİEND@example.com"),
        ])
        #expect(a.counted == 1)
        #expect(a.submissions.dropFirst().allSatisfy { $0.flag == .duplicate(firstLine: 2) })
    }

    @Test("a referrer's own address in full width is a self-referral")
    func selfReferral() throws {
        let ledger = try Fixtures.ledger()
        let own = try #require(ledger.records.first { $0.code == L }?.email)
        let wide = String(String.UnicodeScalarView(own.unicodeScalars.map { s in
            (0x21...0x7E).contains(s.value) ? Unicode.Scalar(s.value + 0xFEE0)! : s
        })).uppercased()
        let a = try analysis([("2027-01-12", L, wide + ".")])
        #expect(a.submissions.first?.flag == .selfReferral)
    }

    @Test("dates in years 0000 and 0001, before 2000 or after tomorrow are flagged with the reason, not counted", arguments: [
        ("0000-01-01", "before 2000-01-01"), ("0001-01-01", "before 2000-01-01"), ("1999-12-31", "before 2000-01-01"),
        ("2027-04-12", "after 2027-04-11"), ("9999-12-31", "after 2027-04-11"),
    ])
    func implausible(date: String, reason: String) throws {
        let a = try analysis([(date, L, "early@example.com"), ("2027-01-20", J, "early@example.com")])
        let flag = try #require(a.submissions.first?.flag)
        #expect(flag == .implausibleDate(Day(date)!, latest: Day("2027-04-11")!))
        #expect(flag.kind == .unreadable)
        #expect(flag.explanation(group: 4).contains(reason), "\(flag.explanation(group: 4))")
        // The genuine row of the same friend counts: the implausible one took no "first" place.
        #expect(a.submissions.last?.counts == true)
        #expect(a.counted == 1)
    }

    @Test("the first and last plausible days count", arguments: ["2000-01-01", "2027-04-11"])
    func plausible(date: String) throws {
        let a = try analysis([(date, J, "edge@example.com")])
        // Counted or flagged for another reason (an early date is before nothing, a late one after the deadline): not implausible.
        if case .implausibleDate = a.submissions.first?.flag { Issue.record("\(date) is plausible") }
    }

    @Test("a conversion in year 0001 is flagged, not counted")
    func conversion() throws {
        let submissions = [Submission(line: 2, date: Day("2027-01-12"), code: L.formatted(), friendEmail: "buyer@example.com")]
        let conversions = [Conversion(line: 2, email: "buyer@example.com", date: Day("0001-01-01"), dateText: "0001-01-01")]
        let a = ReportAnalysis(programs: [Fixtures.program()], ledger: try Fixtures.ledger(), submissions: submissions,
                               conversions: conversions, today: Day("2027-04-10")!)
        #expect(a.conversions?.first?.flag == .implausibleDate(Day("0001-01-01")!, latest: Day("2027-04-11")!))
        #expect(a.referrals.first?.conversion == nil)
    }
}
