import Foundation
import Testing
import RefkitModel
@testable import RefkitCodes

@Suite("Issuing codes")
struct CodeIssuerTests {
    let settings = CodeSettings()

    func issue(_ referrers: [Referrer], _ ledger: Ledger = Ledger(), secret: Secret = testSecret, today: Day = day1) -> IssuedCodes {
        CodeIssuer.issue(referrers: referrers, ledger: ledger, secret: secret, settings: settings, today: today)
    }

    /// Codes by email, from an issue.
    func codes(_ issue: IssuedCodes) -> [String: String] {
        Dictionary(uniqueKeysWithValues: issue.assignments.map { ($0.referrer.email, $0.code.rawValue) })
    }

    @Test("a first run issues derived codes and writes the exact ledger")
    func first() {
        let result = issue(sampleReferrers)
        #expect(result.counts.new == 4)
        #expect(codes(result)["marie@example.fr"] == "ZK3MTA3S7")
        #expect(codes(result)["yamada@example.jp"] == "S1KP36GRB")
        let lines = result.ledger.bytes.text.split(separator: "\n")
        #expect(lines.first == "program,code,email,name,language,issued,status")
        #expect(lines[1] == "main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-03-01,active")
        #expect(lines.count == 5)
        #expect(result.file == OutputFile(area: .kit, path: "codes.csv", bytes: result.ledger.bytes, isPrivate: true))
    }

    @Test("the same inputs give the same bytes, and a second run appends nothing")
    func idempotent() throws {
        let a = issue(sampleReferrers), b = issue(sampleReferrers)
        #expect(a.ledger.bytes == b.ledger.bytes)
        let again = issue(sampleReferrers, try Ledger(bytes: a.ledger.bytes), today: day2)
        #expect(again.ledger.bytes == a.ledger.bytes)
        #expect(again.counts.appended == 0)
        #expect(again.counts.unchanged == 4)
    }

    @Test("codes survive reordering, a corrected name and a changed secret")
    func stable() throws {
        let first = issue(sampleReferrers)
        let ledger = try Ledger(bytes: first.ledger.bytes)
        var changed = Array(sampleReferrers.reversed())
        changed[3].name = "Marie Dupont-Durand"
        let second = issue(changed, ledger, secret: otherSecret, today: day2)
        #expect(codes(second) == codes(first))
        #expect(second.counts.updated == 1)
        #expect(second.counts.new == 0)
        // Reordering alone appends nothing.
        #expect(issue(Array(sampleReferrers.reversed()), ledger, secret: otherSecret).counts.appended == 0)
    }

    @Test("a removed referrer's code goes inactive, is never reissued, and comes back on return")
    func removeAndReturn() throws {
        let first = issue(sampleReferrers)
        let marie = InviteCode(uncheckedRawValue: "ZK3MTA3S7")
        let without = issue(Array(sampleReferrers.dropFirst()), try Ledger(bytes: first.ledger.bytes), today: day2)
        #expect(without.counts.deactivated == 1)
        #expect(without.ledger.latest(marie)?.status == .inactive)
        #expect(!without.assignments.contains { $0.code == marie })
        #expect(without.ledger.bytes.text.hasSuffix("main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-04-15,inactive\n"))

        // Deactivation is recorded once.
        let still = issue(Array(sampleReferrers.dropFirst()), try Ledger(bytes: without.ledger.bytes), today: day2)
        #expect(still.counts.appended == 0)

        let back = issue(sampleReferrers, try Ledger(bytes: without.ledger.bytes), secret: otherSecret, today: day2)
        #expect(back.counts.reactivated == 1)
        #expect(codes(back)["marie@example.fr"] == "ZK3MTA3S7")
        #expect(back.ledger.latest(marie)?.status == .active)
    }

    @Test("a code taken by someone else moves to the next attempt, deterministically")
    func collision() throws {
        // Paul already owns the code Marie's email derives to (as if a hand-made or older
        // ledger gave it to him), so Marie gets attempt 1.
        let taken = "program,code,email,name,language,issued,status\nmain,ZK3M-TA3S-7,paul@example.fr,Paul Martin,fr,2025-01-01,active\n"
        let ledger = try Ledger(bytes: Data(taken.utf8))
        let paul = referrer("paul@example.fr", "Paul Martin")
        let result = issue([paul, sampleReferrers[0]], ledger)
        #expect(codes(result)["paul@example.fr"] == "ZK3MTA3S7")
        #expect(codes(result)["marie@example.fr"] == "WY74J01YM")
        #expect(issue([paul, sampleReferrers[0]], ledger).ledger.bytes == result.ledger.bytes)

        // Even after Paul leaves, his code is not reissued.
        let gone = issue([sampleReferrers[0]], ledger)
        #expect(codes(gone)["marie@example.fr"] == "WY74J01YM")
    }

    @Test("the new ledger always starts with the old one's bytes", arguments: [
        "program,code,email,name,language,issued,status\n",
        "program,code,email,name,language,issued,status\nmain,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-03-01,active",
        "program,code,email,name,language,issued,status\r\nmain,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-03-01,inactive\r\n",
        "",
    ])
    func appendOnly(old: String) throws {
        let oldBytes = Data(old.utf8)
        let result = issue(Array(sampleReferrers.dropFirst(2)) + [sampleReferrers[0]], try Ledger(bytes: oldBytes), today: day2)
        #expect(result.ledger.bytes.prefix(oldBytes.count) == oldBytes)
        let reloaded = try Ledger(bytes: result.ledger.bytes)
        #expect(reloaded.entries == result.ledger.entries)
    }

    @Test("a ledger without a final line break is left as it is when there is nothing to add")
    func noFinalBreak() throws {
        let old = Data("program,code,email,name,language,issued,status\nmain,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-03-01,active".utf8)
        #expect(issue([sampleReferrers[0]], try Ledger(bytes: old)).ledger.bytes == old)
        let grown = issue(Array(sampleReferrers.prefix(2)), try Ledger(bytes: old)).ledger.bytes
        #expect(grown.text.hasSuffix(",active\nmain,S1KP-36GR-B,yamada@example.jp,山田花子,ja,2025-03-01,active\n"))
    }

    @Test("a referrer who moves programme gets a new code there; the old one goes inactive")
    func moveProgramme() throws {
        let first = issue([sampleReferrers[0]])
        var moved = sampleReferrers[0]
        moved.program = "bread-club"
        let second = issue([moved], try Ledger(bytes: first.ledger.bytes), today: day2)
        #expect(codes(second)["marie@example.fr"] == "VAZ2XJV9Z")
        #expect(second.counts.new == 1 && second.counts.deactivated == 1)
    }

    @Test("the group setting changes how new rows show codes, never old rows")
    func grouping() {
        let result = CodeIssuer.issue(referrers: [sampleReferrers[0]], ledger: Ledger(), secret: testSecret,
                                      settings: CodeSettings(length: 8, group: 3), today: day1)
        #expect(result.ledger.bytes.text.contains(",ZK3-MTA-3S7,"))
    }

    @Test("issuing 100,000 codes gives distinct codes, and a second run appends nothing")
    func scale() throws {
        let many = (0..<100_000).map { referrer("person\($0)@example.com", "Person \($0)", line: $0 + 2) }
        let clock = ContinuousClock()
        var result: IssuedCodes?
        let elapsed = clock.measure { result = issue(many) }
        let issued = try #require(result)
        #expect(Set(issued.assignments.map(\.code)).count == 100_000)
        var reloaded: Ledger?
        let loadTime = try clock.measure { reloaded = try Ledger(bytes: issued.ledger.bytes) }
        #expect(reloaded?.entries.count == 100_000)
        let again = clock.measure { result = issue(many, reloaded!) }
        #expect(result?.counts.appended == 0)
        // Timings are printed for reading, never asserted: machines vary; `refkit bench` owns speed.
        print("issue 100,000: \(elapsed); load ledger: \(loadTime); second run: \(again)")
    }
}
