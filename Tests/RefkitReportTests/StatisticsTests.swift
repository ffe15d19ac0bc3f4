import Testing
@testable import RefkitReport

@Suite("Statistics")
struct StatisticsTests {
    @Test("Wilson interval of 10 of 100 matches the published 95% interval (0.055, 0.174)")
    func wilson() {
        let i = Statistics.wilson(successes: 10, trials: 100)
        #expect(abs(i.low - 0.0552) < 0.0005)
        #expect(abs(i.high - 0.1744) < 0.0005)
    }

    @Test("Wilson interval stays within 0 and 1 at 0 of 12 and 12 of 12")
    func wilsonEdges() {
        #expect(Statistics.wilson(successes: 0, trials: 12).low == 0)
        #expect(Statistics.wilson(successes: 12, trials: 12).high == 1)
        #expect(Statistics.wilson(successes: 0, trials: 12).high > 0.2)
    }

    @Test("Two-proportion z-test: 30 of 100 against 20 of 100 gives z = 1.633, p = 0.102")
    func zTest() throws {
        let t = try #require(Statistics.twoProportionTest(x1: 30, n1: 100, x0: 20, n0: 100))
        #expect(abs(t.z - 1.633) < 0.001)
        #expect(abs(t.p - 0.1025) < 0.001)
        #expect(Statistics.twoProportionTest(x1: 0, n1: 10, x0: 0, n0: 10) == nil)
    }

    @Test("Sample size for 20% against 30% at α = 0.05 and 80% power is 294 per group")
    func sampleSize() {
        // The textbook figure (Fleiss, without continuity correction) is 293.1, rounded up.
        #expect(Statistics.sampleSizePerGroup(p0: 0.2, p1: 0.3) == 294)
        #expect(Statistics.sampleSizePerGroup(p0: 0.1, p1: 0.1) == Int.max)
    }
}
