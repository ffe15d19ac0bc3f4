import Foundation
import RefkitModel
import RefkitCodes
import RefkitMail
import RefkitPrint
import RefkitSite
import RefkitWrite

/// What a build did, for the summary the CLI prints.
public struct BuildReport: Sendable {
    /// What the build did despite (see `Project.warnings`).
    public var warnings: [Diagnostic] = []
    /// `site.yaml` as this build read it: `refkit serve` sends the headers it implies.
    public var siteSettings: Site?
    /// Whether `refkit report` has left counts for the progress pages (`kit/report/progress.csv`).
    public var hasReport = false
    /// Active referrers on `content/unsubscribed.csv`, who get no draft.
    public var unsubscribed = 0
    public var programs = 0
    public var languages = 0
    public var referrers = 0
    public var codes = IssuedCodes.Counts()
    public var site = SiteRenderer.Summary()
    /// Variants with their weights and how many referrers each got.
    public var variants: [VariantShare] = []
    /// Codes on the counter page (`kit/counter/index.html`): active and inactive.
    public var counter = CounterSummary()
    public var print = PrintSummary()
    /// Nil when no programme has email messages.
    public var mail: MailSummary?
    /// Postcards and drafts carried over from the last build, unrendered, because nothing they
    /// are made from changed (personal pages: `site.reusedPersonalPages`).
    public var reusedPostcards = 0
    public var reusedDrafts = 0
    /// How many print worker processes rendered postcards (0: they rendered in this process)
    /// and the sum of their peak resident memory, in bytes.
    public var printWorkers = 0
    public var printWorkerPeakBytes = 0
    public var written = WriteSummary(site: .init(), kit: .init())
    /// Nothing the build is made from changed and every output is intact: nothing was rendered
    /// or written, and the summaries of pages, cards and drafts are empty.
    public var upToDate = false
    public var timings: [(BuildStep, Double)] = []
    public var siteDirectory: URL?
    public var kitDirectory: URL?

    public var seconds: Double { timings.reduce(0) { $0 + $1.1 } }
}

/// One arm of a programme's A/B test in the build summary.
public struct VariantShare: Sendable {
    public var program: String
    public var variant: String
    public var weight: Double
    public var referrers: Int
}

/// What the counter page holds, for the summary.
public struct CounterSummary: Sendable {
    public var active = 0
    public var inactive = 0
    public var bytes = 0
    public var path = ""
}
