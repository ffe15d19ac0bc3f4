/// What the last `refkit report` found for each referrer, as the build needs it for progress
/// pages and leaderboards: read from `kit/report/progress.csv` by the loader, written by the
/// report. Renderers read this value and never the file.
///
/// Only referrers with at least one counted friend have a row; everyone else stands at zero.
public struct ProgressSummary: Hashable, Sendable {
    /// The file inside the kit, and as messages name it.
    public static let kitPath = "report/progress.csv"
    public static let displayPath = "kit/report/progress.csv"
    /// `code` is the raw code (`K7QM4TZ9X`); `friends` the successes that count towards tiers
    /// (`ReportAnalysis.successes`); `waiting` the friends counted from the form who have not
    /// converted yet (with `--conversions`; 0 without); `first` the day of the earliest counted
    /// referral, which breaks ties on a leaderboard.
    public static let columns = ["code", "friends", "waiting", "first"]

    public var referrers: [InviteCode: ReferrerProgress]

    public init(referrers: [InviteCode: ReferrerProgress] = [:]) {
        self.referrers = referrers
    }

    /// A referrer's counts: zero when the report found nothing for them.
    public subscript(code: InviteCode) -> ReferrerProgress {
        referrers[code] ?? ReferrerProgress()
    }
}

/// One referrer's standing after the last report.
public struct ReferrerProgress: Hashable, Sendable {
    /// Friends who count towards tiers.
    public var friends: Int
    /// Friends whose form was counted and who have not become customers yet.
    public var waiting: Int
    /// The day of their earliest counted referral; nil with none.
    public var first: Day?

    public init(friends: Int = 0, waiting: Int = 0, first: Day? = nil) {
        self.friends = friends
        self.waiting = waiting
        self.first = first
    }
}
