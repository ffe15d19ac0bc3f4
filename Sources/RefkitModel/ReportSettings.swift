/// The `report:` section of `site.yaml`: what `refkit report` counts towards rewards.
public struct ReportSettings: Hashable, Sendable {
    /// What a referral must reach before it earns its referrer anything.
    public enum Ground: String, Hashable, Sendable {
        /// The friend became a customer (`refkit report --conversions`, the counter's export).
        case conversions
        /// The friend sent the form. Anyone can type made-up friends into the public form, so
        /// the report then holds what a fraud rule flags until the marketer confirms it.
        case submissions
    }

    public var rewardsFrom: Ground
    /// More counted submissions than this for one code on one day holds them (with
    /// `rewards_from: submissions`).
    public var dailyLimit: Int

    public init(rewardsFrom: Ground = .conversions, dailyLimit: Int = 5) {
        self.rewardsFrom = rewardsFrom
        self.dailyLimit = dailyLimit
    }
}

/// A held referral the marketer has checked, from `content/confirmed.csv` (`code,friend`).
public struct Confirmation: Hashable, Sendable {
    /// As typed; matched through the ledger's code rules.
    public var code: String
    /// The friend's address as the report shows it.
    public var friend: String
    public var line: Int

    public init(code: String, friend: String, line: Int) {
        self.code = code
        self.friend = friend
        self.line = line
    }
}
