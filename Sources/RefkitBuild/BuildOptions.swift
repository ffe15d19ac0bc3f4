import Foundation
import RefkitDeploy
import RefkitModel

/// What a build reads and where it writes.
public struct BuildOptions: Sendable {
    /// The project folder holding `content/` and `site-templates/`.
    public var root: URL
    public var siteDirectory: URL
    public var kitDirectory: URL
    /// The kit the ledger and the secret are read from: `kitDirectory`, except in `refkit
    /// serve`'s preview, which reads the project's kit and writes a private copy of its own,
    /// so that previewing never adds a row to the real ledger nor a secret to the real kit.
    public var ledgerKit: URL
    /// Overrides `base_url` from site.yaml (a preview deployment, say).
    public var baseURL: String?
    /// "Today" for deadline logic and issue dates; fixed in tests for reproducible builds.
    public var today: Day
    /// The process environment: `REFKIT_SECRET` comes from here.
    public var environment: [String: String]
    /// The static host to add files for (`_headers`, `.nojekyll`, kit/deploy/nginx.conf ...).
    public var target: DeployTarget
    /// An executable that serves `print-worker` (refkit itself), to render postcards in one
    /// process per core; nil renders them in this process, one file at a time.
    public var printWorker: URL?

    public init(root: URL, siteDirectory: URL? = nil, kitDirectory: URL? = nil, ledgerKit: URL? = nil, baseURL: String? = nil,
                today: Day = .today(), environment: [String: String] = ProcessInfo.processInfo.environment,
                target: DeployTarget = .plain, printWorker: URL? = nil) {
        self.root = root
        self.siteDirectory = siteDirectory ?? root.appendingPathComponent("public")
        self.kitDirectory = kitDirectory ?? root.appendingPathComponent("kit")
        self.ledgerKit = ledgerKit ?? self.kitDirectory
        self.baseURL = baseURL
        self.today = today
        self.environment = environment
        self.target = target
        self.printWorker = printWorker
    }
}

extension Day {
    /// Today's date in the machine's time zone.
    public static func today() -> Day {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!)!
    }
}
