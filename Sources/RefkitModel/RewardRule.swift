/// How a programme's referrers earn, from `reward_rule:` in its front matter.
public enum RewardRule: String, Hashable, Sendable, CaseIterable {
    /// `incentive.referrer` for every friend who succeeds.
    case perReferral = "per_referral"
    /// Each tier once, when the referrer reaches it.
    case tiers
    /// Per referral, plus each tier once as a milestone bonus on top.
    case both
}

extension Program {
    /// The rule in force: the programme's `reward_rule`, or as before there was one: tiers
    /// when the programme has tiers, per referral otherwise.
    public var effectiveRewardRule: RewardRule {
        rewardRule ?? (defaultEdition.tiers.isEmpty ? .perReferral : .tiers)
    }
}
