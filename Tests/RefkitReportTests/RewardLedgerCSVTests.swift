import Foundation
import RefkitCodes
import RefkitCSV
import RefkitModel
import Testing
@testable import RefkitReport

/// rewards.csv through refkit's one CSV writer: hostile friends stay in their cell, and files
/// written by earlier versions read as they did.
@Suite("rewards.csv cells")
struct RewardLedgerCSVTests {
    let L = Fixtures.code("68SW-R3QS-B"), J = Fixtures.code("7J6Q-ZKGZ-0")

    @Test("a file written before the one writer reads the same friends and rewards, and nothing is added twice")
    func olderFile() throws {
        // What the earlier writer made: `'` only before = + - @ tab CR, and none before a leading `'`.
        let old = """
        code,friend,tier,reward,date
        68SW-R3QS-B,'quoted@example.com,1,reward 1,2027-01-12
        68SW-R3QS-B,"'=HYPERLINK(""x"")@evil.example",3,reward 3,2027-01-13
        7J6Q-ZKGZ-0,'-x@example.com,each,'-20 %,2027-01-14

        """
        var ledger = try RewardLedger(bytes: Data(old.utf8))
        #expect(ledger.rows.map(\.friend) == ["'quoted@example.com", "=HYPERLINK(\"x\")@evil.example", "-x@example.com"])
        #expect(ledger.rows.map(\.reward) == ["reward 1", "reward 3", "-20 %"])
        let again = [
            EarnedReward(program: "parrainage", code: L, friend: "'quoted@example.com", tier: "1", reward: "reward 1", date: Day("2027-01-12")!),
            EarnedReward(program: "parrainage", code: J, friend: "-x@example.com", tier: EarnedReward.eachTier, reward: "-20 %", date: Day("2027-01-14")!),
        ]
        #expect(ledger.append(again, group: 4).isEmpty)
    }

    @Test("a friend whose quote the earlier writer left undoubled before a combining mark reads back")
    func undoubledQuote() throws {
        let old = "code,friend,tier,reward,date\n68SW-R3QS-B,\"eve\"\u{301},x@example.com\",1,reward 1,2027-01-12\n"
        let ledger = try RewardLedger(bytes: Data(old.utf8))
        #expect(ledger.rows.map { Array($0.friend.unicodeScalars) } == [Array("eve\"\u{301},x@example.com".unicodeScalars)])
    }

    @Test("a row the earlier writer split with a CR LF is named with its line and a fix that does not need a backup, and never says to delete it")
    func splitRow() throws {
        let old = "code,friend,tier,reward,date\n68SW-R3QS-B,mallory\r\n@example.com,1,reward 1,2027-01-12\n"
        let e = #expect(throws: ReportError.self) { try RewardLedger(bytes: Data(old.utf8)) }
        let diagnostics = e?.diagnostics ?? []
        #expect(diagnostics.map(\.location.line) == [2, 3])
        #expect(diagnostics.allSatisfy { $0.fix?.contains("correct the row as refkit wrote it") == true })
        // Deleting a row with a coupon would pay its reward again with another coupon.
        #expect(diagnostics.allSatisfy { $0.fix?.contains("do not delete a row with a coupon") == true })
    }

    @Test("a friend with a quote and a combining mark, CR LF and a forged row stays one cell on its line numbers")
    func forgedRow() throws {
        var ledger = try RewardLedger(bytes: Data())
        let friend = "\"\u{301}\r\n68SW-R3QS-B,forged@example.com,1,free,2027-01-01\r\n\"@example.com"
        ledger.append([
            EarnedReward(program: "parrainage", code: L, friend: friend, tier: "1", reward: "reward 1", date: Day("2027-01-12")!),
            EarnedReward(program: "parrainage", code: J, friend: "next@example.com", tier: "1", reward: "reward 1", date: Day("2027-01-13")!),
        ], group: 4)
        let reread = try RewardLedger(bytes: ledger.bytes)
        #expect(reread.rows.count == 2)
        #expect(reread.rows.first.map { Array($0.friend.unicodeScalars) } == Array(friend.unicodeScalars))
        // The second row starts after the two line breaks inside the first: the same number
        // the run that wrote it gave its thank-you draft.
        #expect(reread.rows.map(\.line) == ledger.rows.map(\.line))
        #expect(reread.rows.map(\.line) == [2, 5])
    }
}
