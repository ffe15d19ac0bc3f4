import Foundation
import RefkitCodes
import RefkitModel
import Testing
@testable import RefkitReport

@Suite("A synthetic export of hundreds of rows")
struct SyntheticTests {
    @Test("600 rows with typos, duplicates, self-referrals, late rows and unknown codes give the counts they were made with")
    func counts() throws {
        let ledger = try Fixtures.ledger()
        let synthetic = SyntheticExport(ledger: ledger, rows: 600)
        let export = try SubmissionExport.read(Data(synthetic.csv.utf8), file: "synthetic.csv")
        #expect(export.format == .generic)
        let a = ReportAnalysis(programs: [Fixtures.program()], ledger: ledger, submissions: export.submissions,
                               conversions: nil, today: Day("2027-04-10")!, rewardsFrom: .submissions)
        #expect(a.submissions.count == 600)
        #expect(a.counted == synthetic.counted)
        // 30 blocks of 20: 16 counted each (14 clean, 1 typo, 1 more clean).
        #expect(a.counted == 480)
        #expect(a.corrected.count == synthetic.corrected)
        #expect(a.corrected.count == 30)
        for (kind, count) in a.flagCounts {
            #expect(count == synthetic.flags[kind, default: 0], "\(kind)")
        }
        #expect(synthetic.flags == [.duplicate: 30, .selfReferral: 30, .late: 30, .unknownCode: 30])
        for r in a.referrerResults {
            #expect(r.submitted == synthetic.countedPerCode[r.referrer.code], "\(r.referrer.code)")
        }
        let channels = Dictionary(uniqueKeysWithValues: a.funnel(by: .channel).map { ($0.label, $0.submitted) })
        #expect(channels == Dictionary(uniqueKeysWithValues: synthetic.countedPerChannel.map { ($0.key.rawValue, $0.value) }))
        #expect(a.earnedRewards.count == synthetic.rewards(tiers: [1, 3, 5]))
        let variants = a.funnel(by: .variant)
        #expect(variants.map(\.label) == ["parrainage · a", "parrainage · urgence", "parrainage · cadeau"])
        #expect(variants.reduce(0) { $0 + ($1.invited ?? 0) } == 20)
        #expect(variants.reduce(0) { $0 + $1.submitted } == 480)
    }

    @Test("Twenty referrers cannot tell variants apart: the verdict asks for more referrers")
    func underpowered() throws {
        let ledger = try Fixtures.ledger()
        let synthetic = SyntheticExport(ledger: ledger, rows: 200)
        let export = try SubmissionExport.read(Data(synthetic.csv.utf8), file: "synthetic.csv")
        let a = ReportAnalysis(programs: [Fixtures.program()], ledger: ledger, submissions: export.submissions,
                               conversions: nil, today: Day("2027-04-10")!, rewardsFrom: .submissions)
        let test = try #require(a.abTests.first)
        #expect(test.arms.map(\.name) == ["a", "urgence", "cadeau"])
        #expect(test.arms.reduce(0) { $0 + $1.referrers } == 20)
        for arm in test.arms.dropFirst() {
            let c = try #require(arm.comparison)
            #expect(c.moreNeeded > 0)
            #expect(c.verdict.hasPrefix("Not enough data yet: about \(c.moreNeeded) more referrers needed"))
        }
    }

    @Test("400 referrers per arm, 10% against 20%: the variant does better, p < 0.001")
    func significant() {
        let c = ReportAnalysis.compare(name: "b", x1: 80, n1: 400, x0: 40, n0: 400, metric: .conversion)
        #expect(c.p! < 0.001)
        #expect(c.moreNeeded == 0)
        #expect(c.verdict.hasPrefix("b does better than the control: 20.0% against 10.0%"))
    }

    @Test("500 referrers per arm, 10% against 10.4%: no clear difference, and enough referrers to have seen 5 points")
    func noDifference() {
        let c = ReportAnalysis.compare(name: "b", x1: 52, n1: 500, x0: 50, n0: 500, metric: .submission)
        #expect(c.p! > 0.5)
        // 5 points from 10%: 683 per arm, so 366 more in total.
        #expect(c.neededPerArm == Statistics.sampleSizePerGroup(p0: 0.1, p1: 0.15))
        #expect(c.verdict.hasPrefix("Not enough data yet: about \(2 * (c.neededPerArm - 500)) more"))
        let big = ReportAnalysis.compare(name: "b", x1: 210, n1: 2000, x0: 200, n0: 2000, metric: .submission)
        #expect(big.moreNeeded == 0)
        #expect(big.verdict.hasPrefix("No clear difference"))
    }
}
