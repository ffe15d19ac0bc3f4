import RefkitModel

/// How far one referrer got.
public struct ReferrerResult: Hashable, Sendable {
    public var referrer: ReportReferrer
    /// Counted form submissions.
    public var submitted: Int
    public var converted: Int
    /// What counts towards tiers (see `ReportAnalysis.successes`).
    public var successes: Int
    /// The highest tier reached, if any.
    public var tier: Tier?
}

/// A reward a referrer has earned: a tier reached, or with a programme without tiers, one
/// `incentive.referrer` per successful referral.
public struct EarnedReward: Hashable, Sendable {
    public var program: String
    public var code: InviteCode
    /// The friend whose referral reached the tier.
    public var friend: String
    /// The tier's referral count (`3`), or `each` for a programme without tiers.
    public var tier: String
    public var reward: String
    /// When the friend's referral succeeded.
    public var date: Day

    /// What makes a reward the same reward in the next run: a tier is earned once per
    /// referrer; a per-referral reward once per friend.
    public var key: String {
        tier == EarnedReward.eachTier ? code.rawValue + "\u{0}each\u{0}" + friend : code.rawValue + "\u{0}" + tier
    }

    public static let eachTier = "each"
}

extension ReportAnalysis {
    /// Every referrer with at least one counted submission or conversion, most successes first.
    public var referrerResults: [ReferrerResult] {
        var submitted: [InviteCode: Int] = [:], converted: [InviteCode: Int] = [:], successes: [InviteCode: Int] = [:]
        for r in referrals {
            if r.submitted { submitted[r.code, default: 0] += 1 }
            if r.conversion != nil { converted[r.code, default: 0] += 1 }
        }
        for r in self.successes { successes[r.code, default: 0] += 1 }
        let codes = Set(submitted.keys).union(converted.keys)
        return codes.compactMap { code -> ReferrerResult? in
            guard let referrer = referrer(code) else { return nil }
            let n = successes[code] ?? 0
            let tier = tiers(of: referrer.program).last { $0.referrals <= n }
            return ReferrerResult(referrer: referrer, submitted: submitted[code] ?? 0, converted: converted[code] ?? 0,
                                  successes: n, tier: tier)
        }.sorted { ($1.successes, $1.submitted, $0.referrer.code) < ($0.successes, $0.submitted, $1.referrer.code) }
    }

    /// A programme's tiers, fewest referrals first.
    public func tiers(of slug: String) -> [Tier] {
        (program(slug)?.defaultEdition.tiers ?? []).sorted { $0.referrals < $1.referrals }
    }

    /// Every reward earned so far, in the order they were earned (day, then referrer).
    public var earnedRewards: [EarnedReward] {
        var byCode: [InviteCode: [Referral]] = [:]
        for r in successes { byCode[r.code, default: []].append(r) }
        var earned: [EarnedReward] = []
        for (code, list) in byCode {
            guard let referrer = referrer(code), let program = program(referrer.program) else { continue }
            let ordered = list.sorted {
                ($0.successDate(usingConversions: usesConversions), $0.line ?? Int.max, $0.friend)
                    < ($1.successDate(usingConversions: usesConversions), $1.line ?? Int.max, $1.friend)
            }
            let tiers = tiers(of: program.slug)
            if tiers.isEmpty {
                for r in ordered {
                    earned.append(EarnedReward(program: program.slug, code: code, friend: r.friendLabel, tier: EarnedReward.eachTier,
                                               reward: program.defaultEdition.incentive.referrer,
                                               date: r.successDate(usingConversions: usesConversions)))
                }
            } else {
                for tier in tiers where tier.referrals >= 1 && tier.referrals <= ordered.count {
                    let r = ordered[tier.referrals - 1]
                    earned.append(EarnedReward(program: program.slug, code: code, friend: r.friendLabel, tier: String(tier.referrals),
                                               reward: tier.reward, date: r.successDate(usingConversions: usesConversions)))
                }
            }
        }
        return earned.sorted { ($0.date, $0.code, Int($0.tier) ?? 0, $0.friend) < ($1.date, $1.code, Int($1.tier) ?? 0, $1.friend) }
    }
}
