import Foundation
import PropertyBased
import RefkitCSV
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitReport

/// Single scalars, so that a string is any sequence of them: quotes next to combining marks,
/// CR before LF (one Character) and alone, NUL, delimiters, formula signs in every width,
/// leading white space and invisible characters.
let csvScalar = Gen<Character?>.element(of: [
    "\"", "\u{301}", "\u{20DD}", "\r", "\n", "\u{0}", "\t", ",", ";", "'", " ", "\u{3000}", "\u{200B}", "\u{FEFF}",
    "\u{202E}", "\u{2028}", "\u{85}", "=", "+", "-", "@", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}", "\u{FE66}",
    "a", "Z", "0", "é", "日", "👩", "\u{200D}", "🍳",
] as [Character]).map { $0! }
let csvCell = csvScalar.string(of: 0...12)

@Suite("The CSV writer holds for any cells")
struct CSVProperties {
    @Test("a written row reads back as the same cells, scalar for scalar, with refkit's reader and Python's csv")
    func roundTrip() async throws {
        var written: [[String]] = []
        await propertyCheck(count: 500, input: csvCell.array(of: 1...6)) { cells in
            for lineEnd in [CSVWriter.LineEnd.lf, .crlf] {
                let text = CSVWriter(lineEnd: lineEnd).line(cells)
                let read = CSVRecords.read(Array(text.utf8))
                #expect(read.errors.isEmpty)
                #expect(read.records.count == 1)
                let back = read.records.first?.fields.map(FormulaGuard.unprotect) ?? []
                #expect(CSVReadBack.same([back], [cells]), "\(cells.map(\.debugDescription)) → \(back.map(\.debugDescription))")
            }
            written.append(cells)
        }
        // Python once for every row the check made.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-csv-property-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(written.map(CSVWriter(lineEnd: .crlf).line).joined().utf8).write(to: file)
        let python = try CSVReadBack.python(file).map { $0.map(FormulaGuard.unprotect) }
        #expect(python.count == written.count)
        let mismatch = zip(python, written).first { !CSVReadBack.same([$0.0], [$0.1]) }
        #expect(mismatch == nil, "\(mismatch.map { "\($0.1.map(\.debugDescription)) → \($0.0.map(\.debugDescription))" } ?? "")")
    }

    @Test("a reward for any friend and reward text reads back from rewards.csv, and is not appended twice")
    func rewardLedger() async throws {
        let code = InviteCode.parse("68SW-R3QS-B")!
        await propertyCheck(count: 300, input: csvCell, csvCell) { friend, reward in
            var ledger = try! RewardLedger(bytes: Data())
            let earned = EarnedReward(program: "p", code: code, friend: friend, tier: EarnedReward.eachTier, reward: reward,
                                      date: Day("2027-01-01")!)
            ledger.append([earned], group: 4)
            do {
                var reread = try RewardLedger(bytes: ledger.bytes)
                #expect(reread.rows.count == 1)
                #expect(reread.rows.first.map { Array($0.friend.unicodeScalars) } == Array(friend.unicodeScalars))
                #expect(reread.rows.first.map { Array($0.reward.unicodeScalars) } == Array(reward.unicodeScalars))
                #expect(reread.rows.first?.line == ledger.rows.first?.line)
                #expect(reread.append([earned], group: 4).isEmpty)
            } catch {
                Issue.record("rewards.csv did not read back: \(error) for \(friend.debugDescription)")
            }
        }
    }
}
