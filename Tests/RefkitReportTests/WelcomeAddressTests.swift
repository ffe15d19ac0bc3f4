import Foundation
import RefkitCodes
import RefkitModel
import RefkitReport
import Testing

/// `earnedRewards(welcoming:canWelcome:)` earns a welcome offer only for an address the welcome
/// draft can go to, and `unwelcomable` lists the others with the row they came from.
@Suite("Welcome offers and addresses")
struct WelcomeAddressTests {
    /// What `ReportRun` passes (`MailAddress.isValid`), restated for this target, which does not
    /// import RefkitMail: one plain ASCII address, nothing that could start another.
    static func plain(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && s.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && !"<>()[]\\,;:\"".utf8.contains($0) }
    }

    @Test("hostile till addresses converted as walk-ins earn no welcome offer, and are listed with their file and line")
    func hostileWalkIns() throws {
        let codes = try Fixtures.ledger().records.map(\.code)
        let emails = ["ana@example.com", "evil@x.com\r\nBcc: victim@y.com", "evil2@x.com\nBcc: victim@y.com", "Friend <f@x.com>, other@y.com",
                      "friend0", "nul\u{0}@x.com", "evil\u{202E}moc@x.com", "\"\u{301}q@x.com"]
        let conversions = emails.enumerated().map { i, email in
            Conversion(line: i + 2, email: email, code: codes[i].rawValue, date: Day("2027-01-12"), value: 10, file: "till.csv")
        }
        let a = ReportAnalysis(programs: [Fixtures.program()], ledger: try Fixtures.ledger(), submissions: [], conversions: conversions,
                               today: Day("2027-02-01")!)
        let converted = a.successes
        try #require(converted.count >= 4, "\(a.conversions!.map(\.flag))")
        let welcoming: Set<String> = ["parrainage"]

        let earned = a.earnedRewards(welcoming: welcoming, canWelcome: Self.plain).filter { $0.tier == EarnedReward.friendTier }
        #expect(earned.map(\.friend) == ["ana@example.com"])
        let skipped = a.unwelcomable(welcoming: welcoming, canWelcome: Self.plain)
        // Every converted friend is either welcomed or listed, never both, never neither.
        #expect(skipped.count + earned.count == converted.count)
        #expect(skipped.allSatisfy { $0.conversion?.file == "till.csv" && $0.line == nil })
        // The display name with a comma, NUL, the bidi override and the quote with a combining
        // mark convert (each has one address for the friend key) and are listed, in file
        // order; the header injections and the bare word are not counted at all.
        #expect(skipped.compactMap { $0.conversion?.line } == [5, 7, 8, 9], "\(skipped)")
        let notCounted = a.conversions!.filter { $0.flag != nil }.map(\.conversion.line)
        #expect(notCounted == [3, 4, 6], "\(a.conversions!.map(\.flag))")
        // Without the check everything converted is welcomed (what the report did before).
        #expect(a.earnedRewards(welcoming: welcoming).count { $0.tier == EarnedReward.friendTier } == converted.count)
        // A programme that does not welcome lists nobody.
        #expect(a.unwelcomable(welcoming: [], canWelcome: Self.plain).isEmpty)
    }
}
