import Foundation
import RefkitModel

/// The A/B test of one programme. A static host never sees visitors, so the unit is the
/// referrer: each is assigned an arm for their whole funnel (page, postcard, email), and the
/// outcome is whether they brought at least one friend who sent the form, or who converted.
public struct ABTest: Hashable, Sendable {
    public var program: String
    /// "submission" or "conversion": what the verdict tests.
    public var metric: Metric
    /// The control first.
    public var arms: [Arm]

    public enum Metric: String, Hashable, Sendable {
        case submission
        case conversion
    }

    public struct Arm: Hashable, Sendable {
        public var name: String
        /// Referrers assigned to the arm.
        public var referrers: Int
        /// Referrers with at least one counted submission, and the submissions in total.
        public var referrersWithSubmission: Int
        public var submissions: Int
        /// Referrers with at least one converted friend, and the conversions in total.
        public var referrersWithConversion: Int
        public var conversions: Int
        /// The tested proportion with its 95% Wilson interval.
        public var rate: Double
        public var low: Double
        public var high: Double
        /// Against the control; nil for the control itself.
        public var comparison: Comparison?
    }

    public struct Comparison: Hashable, Sendable {
        /// Nil when there is nothing to test yet (no outcomes in either arm).
        public var z: Double?
        public var p: Double?
        /// Referrers per arm a two-sided test at α = 0.05 needs for 80% power.
        public var neededPerArm: Int
        /// More referrers needed in total, 0 when both arms have enough.
        public var moreNeeded: Int
        public var verdict: String
    }

    /// The smallest difference between two rates worth detecting, in absolute points: below
    /// it a shop cannot act on the answer, and the sample a smaller one needs never arrives.
    public static let smallestDifference = 0.05
}

extension ReportAnalysis {
    /// One test per programme with variants.
    public var abTests: [ABTest] {
        let metric: ABTest.Metric = usesConversions ? .conversion : .submission
        var submitted: [InviteCode: Int] = [:], converted: [InviteCode: Int] = [:]
        for r in referrals {
            if r.submitted { submitted[r.code, default: 0] += 1 }
            if r.conversion != nil { converted[r.code, default: 0] += 1 }
        }
        return programs.filter { $0.arms.count > 1 }.map { program in
            let members = referrers.filter { $0.program == program.slug }
            var arms = program.arms.map { arm -> ABTest.Arm in
                let inArm = members.filter { $0.variant == arm.name }
                let withSubmission = inArm.count { submitted[$0.code] != nil }
                let withConversion = inArm.count { converted[$0.code] != nil }
                let x = metric == .conversion ? withConversion : withSubmission
                let interval = Statistics.wilson(successes: x, trials: inArm.count)
                return ABTest.Arm(name: arm.name, referrers: inArm.count, referrersWithSubmission: withSubmission,
                                  submissions: inArm.reduce(0) { $0 + (submitted[$1.code] ?? 0) },
                                  referrersWithConversion: withConversion,
                                  conversions: inArm.reduce(0) { $0 + (converted[$1.code] ?? 0) },
                                  rate: inArm.isEmpty ? 0 : Double(x) / Double(inArm.count),
                                  low: interval.low, high: interval.high, comparison: nil)
            }
            let control = arms[0]
            let x0 = metric == .conversion ? control.referrersWithConversion : control.referrersWithSubmission
            for i in arms.indices.dropFirst() {
                let arm = arms[i]
                let x1 = metric == .conversion ? arm.referrersWithConversion : arm.referrersWithSubmission
                arms[i].comparison = Self.compare(name: arm.name, x1: x1, n1: arm.referrers, x0: x0, n0: control.referrers, metric: metric)
            }
            return ABTest(program: program.slug, metric: metric, arms: arms)
        }
    }

    static func compare(name: String, x1: Int, n1: Int, x0: Int, n0: Int, metric: ABTest.Metric) -> ABTest.Comparison {
        let p1 = n1 > 0 ? Double(x1) / Double(n1) : 0, p0 = n0 > 0 ? Double(x0) / Double(n0) : 0
        let test = Statistics.twoProportionTest(x1: x1, n1: n1, x0: x0, n0: n0)
        // Power for the observed difference, or the smallest one worth detecting if that is less.
        let difference = max(abs(p1 - p0), ABTest.smallestDifference)
        let target = p0 + difference <= 1 ? p0 + difference : p0 - difference
        let needed = Statistics.sampleSizePerGroup(p0: p0, p1: target)
        let more = max(0, needed - n1) + max(0, needed - n0)
        let percent = { (p: Double) in String(format: "%.1f%%", 100 * p) }
        let what = "referrers with a \(metric.rawValue)"
        let verdict: String
        if let test, test.p < 0.05 {
            verdict = "\(name) does \(p1 > p0 ? "better" : "worse") than the control: \(percent(p1)) against \(percent(p0)) of \(what) (p = \(String(format: "%.3f", test.p)))."
        } else if more > 0 {
            verdict = "Not enough data yet: about \(more) more referrers needed (\(needed) per arm) to tell \(name) from the control."
        } else {
            verdict = "No clear difference: \(percent(p1)) against \(percent(p0)) of \(what); a difference of \(Int((difference * 100).rounded())) points would have shown (p = \(String(format: "%.2f", test?.p ?? 1)))."
        }
        return ABTest.Comparison(z: test?.z, p: test?.p, neededPerArm: needed, moreNeeded: more, verdict: verdict)
    }
}
