import Foundation

/// Every figure one benchmark run measured, for printing and for comparing two sizes.
public struct BenchReport: Codable, Sendable {
    public var referrers: Int
    public var machine: String
    public var date: String

    /// One build of the synthetic programme.
    public struct BuildFigures: Codable, Sendable {
        public var seconds: Double
        public var peakBytes: Int
        public var stages: [Stage]
        public var siteWritten: Int
        public var siteUnchanged: Int
        public var kitWritten: Int
        public var kitUnchanged: Int
    }

    public struct Stage: Codable, Sendable {
        public var name: String
        public var seconds: Double
        public var peakBytes: Int
        /// What the stage made and how many, for the rate: "pages", "cards", "drafts".
        public var unit: String?
        public var count: Int
        public var rate: Double? { unit == nil || seconds <= 0 ? nil : Double(count) / seconds }
    }

    public var full: BuildFigures
    public var noOp: BuildFigures
    public var oneChange: BuildFigures
    /// A second one-referrer change: the steady state of a project rebuilt again and again.
    public var steadyChange: BuildFigures
    /// After editing the personal layout: every personal page rendered again.
    public var themeEdit: BuildFigures

    public var personalPages: Int
    public var pageBytes: Int
    public var cards: Int
    public var cardPages: Int
    public var shopBytesPerCard: Double
    public var officeBytesPerCard: Double
    /// Form XObjects in the first print-shop file: 3 when the front, the shared back and the logo are each stored once.
    public var frontForms: Int?
    public var drafts: Int
    public var draftBytes: Int

    /// Files per second of the plain write loop, on one thread and on all cores.
    public struct WriteRate: Codable, Sendable {
        public var files: Int
        public var oneThread: Double
        public var allCores: Double
        public var best: Double { max(oneThread, allCores) }
    }
    public var pageFloor: WriteRate
    public var draftFloor: WriteRate
    public var cardFloorCardsPerSecond: Double
    public var cardFloorPages: Int
    public var cardFloorBytesPerCard: Double
    public var cores: Int

    /// Hugo on the same personal pages, when `--peer` asked for it.
    public struct Peer: Codable, Sendable {
        public var version: String
        public var pages: Int
        public var seconds: Double
        public var peakBytes: Int
        public var pagesPerSecond: Double { Double(pages) / seconds }
    }
    public var peer: Peer?

    func stage(_ name: String) -> Stage? { full.stages.first { $0.name == name } }
    public var pagesPerSecond: Double { stage(StageName.site)?.rate ?? 0 }
    public var cardsPerSecond: Double { stage(StageName.print)?.rate ?? 0 }
    public var draftsPerSecond: Double { stage(StageName.mail)?.rate ?? 0 }
    /// Personal pages per second in the build after the theme edit.
    public var themeEditPagesPerSecond: Double { themeEdit.stages.first { $0.name == StageName.site }?.rate ?? 0 }

    enum StageName {
        static let site = "Render site"
        static let print = "Render postcards"
        static let mail = "Render email drafts"
    }

    /// A goal of the issue and whether this run met it.
    public struct Goal: Sendable {
        public var text: String
        public var measured: String
        public var holds: Bool?
    }

    /// The goals of #22. Several are stated at 100,000 referrers, where the write floor is the
    /// disk's and not the page cache's: below that size they print "n/a" with the figure.
    public func goals(smaller: BenchReport? = nil) -> [Goal] {
        let large = referrers >= 100_000
        let at100k = large ? "" : " (at 100,000; this is \(referrers.grouped))"
        func atScale(_ holds: Bool) -> Bool? { large ? holds : nil }
        var goals: [Goal] = [
            Goal(text: "personal pages ≥ 0.6× the write floor" + at100k, measured: ratio(pagesPerSecond, pageFloor.best),
                 holds: atScale(pagesPerSecond >= 0.6 * pageFloor.best)),
            Goal(text: "pages after a theme edit ≥ 0.8× the write floor" + at100k, measured: ratio(themeEditPagesPerSecond, pageFloor.best),
                 holds: atScale(themeEditPagesPerSecond >= 0.8 * pageFloor.best)),
            Goal(text: "postcards ≥ 0.7× the minimal cairo/pango/qrencode loop", measured: ratio(cardsPerSecond, cardFloorCardsPerSecond),
                 holds: cardsPerSecond >= 0.7 * cardFloorCardsPerSecond),
            Goal(text: "email drafts ≥ 0.5× the write floor in a full build", measured: ratio(draftsPerSecond, draftFloor.best),
                 holds: drafts == 0 ? nil : draftsPerSecond >= 0.5 * draftFloor.best),
            Goal(text: "whole kit ≤ 2 minutes" + at100k,
                 measured: String(format: "%.1f s", full.seconds), holds: atScale(full.seconds <= 120)),
            Goal(text: "peak memory ≤ 1 GiB, print workers included", measured: full.peakBytes.mebibytes, holds: full.peakBytes <= 1 << 30),
            Goal(text: "no-op rebuild ≤ 10% of a full build", measured: percent(noOp.seconds, full.seconds),
                 holds: noOp.seconds <= 0.1 * full.seconds),
            // What is rebuilt, and how quickly: reported apart so that neither hides the other.
            Goal(text: "one-referrer change rewrites only that referrer's outputs and count pages",
                 measured: "\(oneChange.siteWritten) site + \(oneChange.kitWritten) kit files written, then \(steadyChange.siteWritten) + \(steadyChange.kitWritten)",
                 holds: max(oneChange.siteWritten + oneChange.kitWritten, steadyChange.siteWritten + steadyChange.kitWritten) <= 16),
            Goal(text: "one-referrer rebuild ≤ 5% of a full build, spares in place" + at100k,
                 measured: "\(percent(oneChange.seconds, full.seconds)) first, \(percent(steadyChange.seconds, full.seconds)) with spares",
                 holds: atScale(steadyChange.seconds <= 0.05 * full.seconds)),
            // Three shared forms: the front, the back's fixed parts and the logo on the back.
            Goal(text: "postcard front, shared back and logo stored once per file",
                 measured: frontForms.map { "\($0) form XObject(s) in a shop file, \(Int(shopBytesPerCard)) B/card" } ?? "\(Int(shopBytesPerCard)) B/card",
                 holds: frontForms.map { $0 <= 3 }),
        ]
        if let peer {
            goals.append(Goal(text: "personal pages ≥ 1.5× Hugo in the same run" + at100k, measured: ratio(pagesPerSecond, peer.pagesPerSecond),
                              holds: atScale(pagesPerSecond >= 1.5 * peer.pagesPerSecond)))
        }
        if let smaller, smaller.referrers < referrers {
            let growth = Double(full.peakBytes) / Double(max(1, smaller.full.peakBytes))
            let scale = Double(referrers) / Double(smaller.referrers)
            goals.append(Goal(text: "peak memory grows slower than the referrers (\(smaller.referrers.grouped) → \(referrers.grouped))",
                              measured: String(format: "%.2f× memory for %.0f× referrers", growth, scale), holds: growth < scale))
        }
        return goals
    }

    /// The human report.
    public func text(smaller: BenchReport? = nil) -> String {
        var out = "refkit bench: \(referrers.grouped) referrers on \(machine), \(date)\n\n"
        func line(_ s: String) { out += s + "\n" }
        for (title, build) in [("Full build", full), ("No-op rebuild", noOp), ("After renaming one referrer", oneChange),
                               ("After renaming another (spares in place)", steadyChange),
                               ("After editing the personal layout", themeEdit)] {
            line("\(title): \(String(format: "%.2f s", build.seconds)), peak \(build.peakBytes.mebibytes); site \(build.siteWritten) written / \(build.siteUnchanged) unchanged, kit \(build.kitWritten) written / \(build.kitUnchanged) unchanged")
            for s in build.stages {
                var row = "  " + s.name.padding(toLength: 22, withPad: " ", startingAt: 0)
                row += String(format: "%8.2f s  peak ", s.seconds) + s.peakBytes.mebibytes
                if let rate = s.rate { row += String(format: "  %9.0f ", rate) + s.unit! + "/s" }
                line(row)
            }
        }
        line("")
        line("Floor of this machine (\(cores) cores):")
        line("  write \(pageFloor.files.grouped) page-sized files: \(String(format: "%.0f", pageFloor.oneThread)) files/s on 1 thread, \(String(format: "%.0f", pageFloor.allCores)) on \(cores)")
        line("  write \(draftFloor.files.grouped) draft-sized files: \(String(format: "%.0f", draftFloor.oneThread)) files/s on 1 thread, \(String(format: "%.0f", draftFloor.allCores)) on \(cores)")
        line("  minimal cairo/pango/qrencode loop: \(String(format: "%.0f", cardFloorCardsPerSecond)) cards/s (\(cardFloorPages.grouped) pages, \(Int(cardFloorBytesPerCard)) B/card)")
        line("")
        line("refkit against the floor:")
        line("  personal pages \(String(format: "%.0f", pagesPerSecond))/s = \(ratio(pagesPerSecond, pageFloor.best)) the write floor (\(Int(Double(pageBytes) / Double(max(1, personalPages)))) B/page)")
        line("  pages after a theme edit: \(String(format: "%.0f", themeEditPagesPerSecond))/s = \(ratio(themeEditPagesPerSecond, pageFloor.best)) the write floor")
        line("  postcards \(String(format: "%.0f", cardsPerSecond)) cards/s = \(ratio(cardsPerSecond, cardFloorCardsPerSecond)) the minimal loop (\(cardPages.grouped) pages; \(Int(shopBytesPerCard)) B/card shop, \(Int(officeBytesPerCard)) B/card office)")
        line("  drafts \(String(format: "%.0f", draftsPerSecond))/s = \(ratio(draftsPerSecond, draftFloor.best)) the write floor (\(Int(Double(draftBytes) / Double(max(1, drafts)))) B/draft)")
        line("  no-op rebuild = \(percent(noOp.seconds, full.seconds)) of the full build; one renamed referrer = \(percent(oneChange.seconds, full.seconds)), another = \(percent(steadyChange.seconds, full.seconds))")
        if let peer {
            line("  Hugo \(peer.version): \(peer.pages.grouped) pages in \(String(format: "%.2f", peer.seconds)) s = \(String(format: "%.0f", peer.pagesPerSecond)) pages/s, peak \(peer.peakBytes.mebibytes); refkit = \(ratio(pagesPerSecond, peer.pagesPerSecond)) Hugo")
        }
        line("")
        line("Goals:")
        for g in goals(smaller: smaller) {
            let mark = g.holds.map { $0 ? "holds  " : "MISSED " } ?? "n/a    "
            line("  \(mark) \(g.text): \(g.measured)")
        }
        return out
    }

    func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2f×", a / b) : "n/a" }
    func percent(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.0f%%", 100 * a / b) : "n/a" }
}

extension Int {
    var grouped: String {
        let s = String(self)
        var out = ""
        for (i, c) in s.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return String(out.reversed())
    }

    var mebibytes: String { String(format: "%.0f MiB", Double(self) / 1_048_576) }
}
