import Foundation
import RefkitCodes
import RefkitModel
import Testing
@testable import RefkitReport

@Suite("The hand-checked fixtures")
struct FixtureTests {
    let L = Fixtures.code("68SW-R3QS-B"), J = Fixtures.code("7J6Q-ZKGZ-0"), M = Fixtures.code("H4E6-EVYE-7")

    func analysis(conversions: Bool) throws -> (ReportAnalysis, SubmissionExport) {
        let export = try SubmissionExport.read(Fixtures.data("submissions-netlify.csv"), file: "submissions-netlify.csv")
        let conv = conversions ? try ConversionExport.read(Fixtures.data("conversions.csv"), file: "conversions.csv") : nil
        let a = ReportAnalysis(programs: [Fixtures.program()], ledger: try Fixtures.ledger(), submissions: export.submissions,
                               conversions: conv, today: Day("2027-04-10")!, rewardsFrom: .submissions)
        return (a, export)
    }

    @Test("The Netlify export: 12 rows, 5 counted, every flag on its line")
    func submissions() throws {
        let (a, export) = try analysis(conversions: false)
        #expect(export.format == .netlify)
        #expect(a.submissions.count == 12)
        #expect(a.counted == 5)
        #expect(a.submissions.filter(\.counts).map(\.submission.line) == [2, 3, 4, 10, 12])
        let flags = Dictionary(uniqueKeysWithValues: a.submissions.compactMap { o in o.flag.map { (o.submission.line, $0) } })
        #expect(flags == [5: .duplicate(firstLine: 2), 6: .selfReferral, 7: .duplicate(firstLine: 3), 8: .late(ends: Day("2027-03-31")!),
                          9: .unknownCode, 11: .unreadableDate("not a date"), 13: .unknownCode])
        #expect(a.corrected.map(\.submission.line) == [4])
        #expect(a.corrected.first?.code == L)
        #expect(Dictionary(uniqueKeysWithValues: a.flagCounts.map { ($0.kind, $0.count) })
                == [.unknownCode: 2, .selfReferral: 1, .duplicate: 2, .late: 1, .unreadable: 1])
    }

    @Test("Channels come from utm_source in the page address; no parameter is a shared link")
    func channels() throws {
        let (a, _) = try analysis(conversions: false)
        let rows = Dictionary(uniqueKeysWithValues: a.funnel(by: .channel).map { ($0.label, $0.submitted) })
        #expect(rows == ["postcard": 1, "email": 1, "link/qr": 3])
        #expect(a.funnel(by: .channel).allSatisfy { $0.invited == nil })
        #expect(a.funnel(by: .program) == [FunnelRow(label: "parrainage", invited: 20, submitted: 5, converted: 0)])
    }

    @Test("Without conversions, each counted form is a success: tiers 1 and 3 for 68SW-R3QS-B, tier 1 for H4E6-EVYE-7")
    func rewardsWithoutConversions() throws {
        let (a, _) = try analysis(conversions: false)
        let earned = a.earnedRewards.map { "\($0.code.rawValue) \($0.tier) \($0.friend) \($0.date)" }
        #expect(earned == ["68SWR3QSB 1 ana@example.com 2027-01-12", "68SWR3QSB 3 cy@example.com 2027-01-13",
                           "H4E6EVYE7 1 fay@example.com 2027-01-20"])
        let top = a.referrerResults.first!
        #expect(top.referrer.code == L && top.submitted == 4 && top.tier?.referrals == 3)
    }

    @Test("Conversions: by email (with or without the code), a walk-in by code alone, and three rows not counted")
    func conversions() throws {
        let (a, _) = try analysis(conversions: true)
        #expect(a.converted == 5)
        #expect(a.walkIns == 1)
        #expect(abs(a.orderValue - 26.5) < 0.001)
        let flags = Dictionary(uniqueKeysWithValues: a.conversions!.compactMap { o in o.flag.map { (o.conversion.line, $0) } })
        #expect(flags == [5: .alreadyConverted(firstLine: 2), 6: .noReferral, 8: .unknownCode])
        let earned = a.earnedRewards.map { "\($0.code.rawValue) \($0.tier) \($0.friend) \($0.date)" }
        #expect(earned == ["68SWR3QSB 1 ana@example.com 2027-01-20", "7J6QZKGZ0 1 walk-in 7J6QZKGZ0 2027-01-21 #1 2027-01-21",
                           "H4E6EVYE7 1 fay@example.com 2027-01-26", "68SWR3QSB 3 cy@example.com 2027-04-05"])
    }

    @Test("The rewards ledger appends only new rewards and keeps every earlier byte")
    func rewardLedger() throws {
        let (without, _) = try analysis(conversions: false)
        var ledger = try RewardLedger(bytes: Data())
        #expect(ledger.append(without.earnedRewards, group: 4).count == 3)
        let first = ledger.bytes
        var again = try RewardLedger(bytes: first)
        #expect(again.append(without.earnedRewards, group: 4).isEmpty)
        #expect(again.bytes == first)
        // With conversions the same tiers are reached by other friends on other days: same keys,
        // so only the walk-in's tier is new.
        let (with, _) = try analysis(conversions: true)
        let added = again.append(with.earnedRewards, group: 4)
        #expect(added.map(\.code) == [J])
        #expect(again.bytes.prefix(first.count) == first)
    }

    @Test("A friend's email starting with = is written so spreadsheets show it as text")
    func formulaCell() throws {
        var ledger = try RewardLedger(bytes: Data())
        let reward = EarnedReward(program: "p", code: L, friend: "=HYPERLINK(\"x\")@evil.example", tier: "1", reward: "a, b", date: Day("2027-01-01")!)
        ledger.append([reward], group: 4)
        let text = String(decoding: ledger.bytes, as: UTF8.self)
        #expect(text.contains("\"'=HYPERLINK(\"\"x\"\")@evil.example\""))
        var reread = try RewardLedger(bytes: ledger.bytes)
        #expect(reread.append([reward], group: 4).isEmpty)
    }

    @Test("Self-referral and duplicate keys see through +tags and Gmail dots", arguments: [
        ("Marie.Dupont+pain@Example.fr", "marie.dupont@example.fr"),
        ("m.a.r.i.e+x@googlemail.com", "marie@gmail.com"),
        ("marie@gmail.com", "marie@gmail.com"),
    ])
    func identity(input: String, key: String) {
        #expect(EmailIdentity.key(input) == key)
    }

    @Test("Dates as exports write them; day-first dates are not guessed", arguments: [
        ("2027-03-02", "2027-03-02"), ("2027-03-02T14:05:11.000Z", "2027-03-02"), ("2027-03-02 14:05:11 UTC", "2027-03-02"),
        ("2027/03/02", "2027-03-02"), ("03/02/2027", nil), ("", nil), ("2027-03-021", nil),
    ] as [(String, String?)])
    func dates(text: String, day: String?) {
        #expect(ExportDate.day(text)?.description == day)
    }

    @Test("An export without a code column says which columns it has")
    func missingColumn() {
        let e = #expect(throws: ReportError.self) {
            try SubmissionExport.read(Data("date,email\n2027-01-01,a@b.c\n".utf8), file: "x.csv")
        }
        #expect(e?.diagnostics.first?.location.line == 1)
        #expect(e?.diagnostics.first?.message.contains("the code") == true)
        #expect(e?.diagnostics.first?.fix?.contains("`date`, `email`") == true)
    }
}
