import Foundation

/// The few statistics an A/B test of referral copy needs, on proportions of referrers.
public enum Statistics {
    /// z for a two-sided 95% interval and α = 0.05.
    public static let z95 = 1.959963984540054
    /// z for 80% power.
    public static let z80 = 0.8416212335729143

    /// The Wilson score interval for `successes` out of `trials`: unlike the textbook
    /// p ± z·√(p(1−p)/n), it stays inside 0…1 and is sensible for 0 of 12 or 12 of 12, which is
    /// what small shops see.
    public static func wilson(successes: Int, trials: Int, z: Double = z95) -> (low: Double, high: Double) {
        guard trials > 0 else { return (0, 1) }
        let n = Double(trials), p = Double(successes) / n
        let denominator = 1 + z * z / n
        let centre = (p + z * z / (2 * n)) / denominator
        let half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
        // Exactly 0 and 1 at the edges, where rounding would leave 1e-17.
        return (successes == 0 ? 0 : max(0, centre - half), successes == trials ? 1 : min(1, centre + half))
    }

    /// The pooled two-proportion z-test of x₁/n₁ against x₀/n₀: z and the two-sided p-value.
    /// Nil when a group is empty or the pooled rate is 0 or 1 (no variance: nothing to test).
    public static func twoProportionTest(x1: Int, n1: Int, x0: Int, n0: Int) -> (z: Double, p: Double)? {
        guard n1 > 0, n0 > 0 else { return nil }
        let p1 = Double(x1) / Double(n1), p0 = Double(x0) / Double(n0)
        let pooled = Double(x1 + x0) / Double(n1 + n0)
        let se = sqrt(pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n0)))
        guard se > 0 else { return nil }
        let z = (p1 - p0) / se
        return (z, erfc(abs(z) / sqrt(2)))
    }

    /// Referrers needed in each group to detect rates p₀ against p₁ with a two-sided test at
    /// α = 0.05 and 80% power (the usual normal-approximation formula):
    ///
    ///     n = (z₀.₉₇₅·√(2·p̄(1−p̄)) + z₀.₈·√(p₀(1−p₀) + p₁(1−p₁)))² / (p₁ − p₀)²,   p̄ = (p₀ + p₁)/2
    public static func sampleSizePerGroup(p0: Double, p1: Double) -> Int {
        let d = abs(p1 - p0)
        guard d > 0 else { return Int.max }
        let pBar = (p0 + p1) / 2
        let a = z95 * sqrt(2 * pBar * (1 - pBar))
        let b = z80 * sqrt(p0 * (1 - p0) + p1 * (1 - p1))
        return Int(((a + b) * (a + b) / (d * d)).rounded(.up))
    }
}
