/// `mail.follow_ups` in `site.yaml`: how often `refkit report` drafts each follow-up.
public struct FollowUpCadence: Hashable, Sendable {
    /// A `nudge` goes to an active referrer with no counted referral this many days after their
    /// code was issued, or after their last nudge...
    public var nudgeAfterDays = 14
    /// ...at most this many times.
    public var nudgeMax = 2
    /// A `friend_reminder` goes to a friend whose form counted and who has not converted this
    /// many days later (with `--conversions`).
    public var friendAfterDays = 3
    /// A `deadline` goes to every active referrer once, this many days before `ends`.
    public var deadlineDaysBefore = 7

    /// The keys, with the range each accepts: a cadence outside it is a typo (a negative
    /// wait, ten years), not a plan.
    public static let limits: [(key: String, range: ClosedRange<Int>)] = [
        ("nudge_after_days", 1...365), ("nudge_max", 0...12), ("friend_after_days", 1...365), ("deadline_days_before", 1...365),
    ]

    public init() {}
}
