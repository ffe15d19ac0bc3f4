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

/// A reward earned: a tier reached, one `incentive.referrer` per successful referral (see
/// `RewardRule`), or a friend's welcome offer.
public struct EarnedReward: Hashable, Sendable {
    public var program: String
    public var code: InviteCode
    /// The friend whose referral earned it (reached the tier, or was the referral).
    public var friend: String
    /// The tier's referral count (`3`), `each` for a per-referral reward, or `friend` for the
    /// friend's own welcome offer.
    public var tier: String
    public var reward: String
    /// When the friend's referral succeeded.
    public var date: Day
    /// The friends (`Referral.friend`) whose referrals it rests on: the first N for tier N, the
    /// one for the others. A fraud hold on any of them holds the reward.
    public var basis: [String] = []

    public init(program: String, code: InviteCode, friend: String, tier: String, reward: String, date: Day, basis: [String] = []) {
        self.program = program
        self.code = code
        self.friend = friend
        self.tier = tier
        self.reward = reward
        self.date = date
        self.basis = basis
    }

    /// What makes a reward the same reward in the next run: a tier is earned once per
    /// referrer; a per-referral reward and a welcome offer once per friend. The three never
    /// collide: a tier's key has no friend, and the other two carry `each` or `friend`.
    public var key: String { EarnedReward.key(code: code, tier: tier, friend: friend) }

    ///
    /// The friend is keyed by who they are (`EmailIdentity.key`), not by the address as
    /// written: `annab+bakery@gmail.com` at the till and `anna.b@gmail.com` in the form are
    /// one friend, paid once.
    static func key(code: InviteCode, tier: String, friend: String) -> String {
        switch tier {
        case eachTier, friendTier: code.rawValue + "\u{0}" + tier + "\u{0}" + EmailIdentity.key(friend)
        default: code.rawValue + "\u{0}" + tier
        }
    }

    /// Which coupons pay it.
    public var kind: CouponKind? { CouponKind.of(tier: tier) }

    public static let eachTier = "each"
    public static let friendTier = "friend"
}

extension CouponKind {
    /// The coupon kind of a `tier` cell of rewards.csv.
    static func of(tier: String) -> CouponKind? {
        switch tier {
        case EarnedReward.eachTier: .referral
        case EarnedReward.friendTier: .friend
        default: Int(tier).map(CouponKind.tier)
        }
    }
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
    public var earnedRewards: [EarnedReward] { earnedRewards(welcoming: []) }

    /// Every reward earned so far under each programme's `reward_rule`, plus, for the
    /// programmes in `welcoming` (those with a `friend` coupon or a `welcome` message), one
    /// welcome offer per successful friend whose address `canWelcome` accepts (the friendLabel,
    /// as rewards.csv writes it). A friend whose address cannot take a welcome draft earns no
    /// welcome offer, so no `friend` coupon is spent on them: see `unwelcomable`.
    public func earnedRewards(welcoming: Set<String>, canWelcome: (String) -> Bool = { _ in true }) -> [EarnedReward] {
        var byCode: [InviteCode: [Referral]] = [:]
        for r in successes { byCode[r.code, default: []].append(r) }
        let conv = usesConversions
        var earned: [EarnedReward] = []
        for (code, list) in byCode {
            // A referrer who left the programme earns nothing more and gets no thank-you draft;
            // what they earned before stays in rewards.csv.
            guard let referrer = referrer(code), referrer.isActive, let program = program(referrer.program) else { continue }
            let ordered = list.sorted {
                ($0.successDate(usingConversions: conv), $0.line ?? Int.max, $0.friend)
                    < ($1.successDate(usingConversions: conv), $1.line ?? Int.max, $1.friend)
            }
            let rule = program.effectiveRewardRule
            let tiers = tiers(of: program.slug)
            if rule == .perReferral || rule == .both || tiers.isEmpty {
                for r in ordered {
                    earned.append(EarnedReward(program: program.slug, code: code, friend: r.friendLabel, tier: EarnedReward.eachTier,
                                               reward: program.defaultEdition.incentive.referrer,
                                               date: r.successDate(usingConversions: conv), basis: [r.friend]))
                }
            }
            if rule == .tiers || rule == .both {
                for tier in tiers where tier.referrals >= 1 && tier.referrals <= ordered.count {
                    let r = ordered[tier.referrals - 1]
                    earned.append(EarnedReward(program: program.slug, code: code, friend: r.friendLabel, tier: String(tier.referrals),
                                               reward: tier.reward, date: r.successDate(usingConversions: conv),
                                               basis: ordered.prefix(tier.referrals).map(\.friend)))
                }
            }
            if welcoming.contains(program.slug) {
                for r in ordered where !r.friendEmail.isEmpty && canWelcome(r.friendLabel) {
                    earned.append(EarnedReward(program: program.slug, code: code, friend: r.friendLabel, tier: EarnedReward.friendTier,
                                               reward: program.defaultEdition.incentive.friend,
                                               date: r.successDate(usingConversions: conv), basis: [r.friend]))
                }
            }
        }
        // Within a day and referrer: per-referral rewards and welcome offers, then tiers upwards.
        func rank(_ tier: String) -> Int { Int(tier) ?? (tier == EarnedReward.friendTier ? -1 : 0) }
        return earned.sorted { ($0.date, $0.code, rank($0.tier), $0.friend) < ($1.date, $1.code, rank($1.tier), $1.friend) }
    }

    /// The successful friends of the programmes in `welcoming` who earn no welcome offer because
    /// `canWelcome` refuses their address (a header injection attempt, a display name with a
    /// comma, a bare word): what `earnedRewards(welcoming:canWelcome:)` leaves out, in the
    /// order the referrals succeeded, so the report can list each with the row to correct.
    public func unwelcomable(welcoming: Set<String>, canWelcome: (String) -> Bool) -> [Referral] {
        guard !welcoming.isEmpty else { return [] }
        let conv = usesConversions
        return successes.filter { r in
            guard welcoming.contains(r.program), !r.friendEmail.isEmpty, !canWelcome(r.friendLabel),
                  let referrer = referrer(r.code), referrer.isActive else { return false }
            return true
        }.sorted {
            ($0.successDate(usingConversions: conv), $0.line ?? $0.conversion?.line ?? Int.max, $0.friend)
                < ($1.successDate(usingConversions: conv), $1.line ?? $1.conversion?.line ?? Int.max, $1.friend)
        }
    }
}
