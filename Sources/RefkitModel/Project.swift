/// Everything a build knows after loading: the validated model every renderer reads.
public struct Project: Hashable, Sendable {
    public var site: Site
    /// The main programme first.
    public var programs: [Program]
    public var referrers: [Referrer]
    public var theme: Theme
    /// `content/assets/`, published under `assets/`.
    public var assets: [Asset]
    /// Problems that do not stop a build, each with its line: a referrer with no name a page
    /// may show (see `Referrer.firstName(fromName:language:)`).
    public var warnings: [Diagnostic] = []
    /// Every file the loader read, in the order read; `referrers.csv` among them.
    public var inputs: [InputFile]
    /// `content/coupons.csv`, in file order; empty without one. Private.
    public var coupons: [Coupon] = []
    /// `content/confirmed.csv`: held referrals the marketer has checked.
    public var confirmations: [Confirmation] = []
    /// `content/disposable-domains.txt`: domains added to the list refkit ships, lower case.
    public var disposableDomains: [String] = []
    /// The counts of the last `refkit report` (`kit/report/progress.csv`); nil before any
    /// report. Not among `inputs`: it feeds only the progress pages and leaderboards that show
    /// it, never the fingerprint every page shares.
    public var progress: ProgressSummary?
    /// `content/unsubscribed.csv`: nobody on it gets a draft.
    public var unsubscribed = Unsubscribed()
    /// The bytes `progress` was read from, for the whole build's fingerprint.
    public var progressBytes: [UInt8] = []

    public init(site: Site, programs: [Program], referrers: [Referrer], theme: Theme, assets: [Asset], inputs: [InputFile] = []) {
        self.site = site
        self.programs = programs
        self.referrers = referrers
        self.theme = theme
        self.assets = assets
        self.inputs = inputs
    }

    public var mainProgram: Program { programs[0] }

    public func program(_ slug: String) -> Program? { programs.first { $0.slug == slug } }

    /// The site path of a programme's landing page in a language, with no leading slash and
    /// a trailing one: `""`, `ja/`, `bread-club/`, `bread-club/ja/`.
    public func path(of program: Program, language: LanguageTag) -> String {
        var path = program.slug == mainProgram.slug ? "" : program.slug + "/"
        if language != program.defaultEdition.language { path += language.rawValue + "/" }
        return path
    }
}
