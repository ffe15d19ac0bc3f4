import Foundation
import RefkitBuild
import RefkitModel

/// `refkit bench`: builds a synthetic programme five times (full, no-op, one referrer
/// renamed, another renamed, the personal layout edited), measures this machine's floor in the same run and, when asked, Hugo on the
/// same personal pages.
public struct Benchmark {
    public var referrers: Int
    /// The sample content/ and site-templates/ the synthetic programme starts from.
    public var content: URL
    public var siteTemplates: URL
    /// Where the temporary programme goes; a new folder under the system's temporary folder
    /// by default.
    public var workDirectory: URL?
    /// Leave the programme and its outputs behind for inspection.
    public var keep = false
    /// Also build the personal pages with Hugo.
    public var peer = false
    /// The executable builds start print workers from (refkit itself), and the minimal
    /// postcard loop its processes; nil renders both in this process, on one core.
    public var printWorker: URL?
    /// Told what is happening, for a long run's progress lines.
    public var log: @Sendable (String) -> Void = { _ in }
    /// The bytes free for the programme at a folder (or the nearest one above it that exists);
    /// replaceable so that tests can check the refusal without a small disk.
    public var freeBytes: @Sendable (URL) -> Int? = DiskSpace.free(at:)

    public init(referrers: Int, content: URL, siteTemplates: URL) {
        self.referrers = referrers
        self.content = content
        self.siteTemplates = siteTemplates
    }

    public func run() throws -> (report: BenchReport, folder: URL) {
        let folder = workDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("refkit-bench-\(referrers)-\(ProcessInfo.processInfo.processIdentifier)")
        // The folder is emptied first and, without --keep, removed at the end: only a bench's own.
        guard Self.isBenchFolder(folder) else {
            throw BenchError("--work-dir \(folder.path) holds files that are not a bench's, and the bench empties its folder first; give it a new folder (the bench makes it) or an empty one")
        }
        // Before anything is made: a run that fills the disk an hour in helps nobody.
        try DiskSpace.check(referrers: [referrers], keep: keep, folder: folder, free: freeBytes(folder))
        try? FileManager.default.removeItem(at: folder)
        defer { if !keep { try? FileManager.default.removeItem(at: folder) } }

        log("Generating \(referrers.grouped) referrers in \(folder.path)")
        let project = try SyntheticProject(root: folder.appendingPathComponent("project"), referrers: referrers,
                                           content: content, siteTemplates: siteTemplates)
        // A fixed day keeps the four builds comparable and the secret fixed keeps codes stable.
        let options = BuildOptions(root: project.root, today: Day(year: 2026, month: 11, day: 23)!,
                                   environment: ["REFKIT_SECRET": "refkit-bench-secret-0123456789abcdef"], printWorker: printWorker)

        log("Full build")
        let (full, report) = try build(options)
        let site = options.siteDirectory, kit = options.kitDirectory

        log("Measuring the write floor")
        let pageSizes = fileSizes(under: site.appendingPathComponent("r"), suffix: ".html")
        let draftSizes = fileSizes(under: kit.appendingPathComponent("mail/drafts"), suffix: ".eml")
        let floors = folder.appendingPathComponent("floor")
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Each set of floor files goes as soon as it is measured (unless --keep), so the run
        // never holds more than one beside the programme.
        func measured<T>(_ set: URL, _ measure: (URL) throws -> T) throws -> T {
            defer { if !keep { try? FileManager.default.removeItem(at: set) } }
            return try measure(set)
        }
        func writeRate(_ name: String, _ sizes: [Int], _ layout: WriteFloor.Layout) throws -> BenchReport.WriteRate {
            let sizes = WriteFloor.sample(sizes)
            guard !sizes.isEmpty else { return .init(files: 0, oneThread: 0, allCores: 0) }
            let one = try measured(floors.appendingPathComponent(name + "-1")) { try WriteFloor(directory: $0, layout: layout).measure(sizes: sizes, threads: 1) }
            let all = try measured(floors.appendingPathComponent(name + "-\(cores)")) { try WriteFloor(directory: $0, layout: layout).measure(sizes: sizes, threads: cores) }
            return .init(files: sizes.count, oneThread: Double(sizes.count) / one, allCores: Double(sizes.count) / all)
        }
        let pageFloor = try writeRate("pages", pageSizes, .folderPerFile)
        let draftFloor = try writeRate("drafts", draftSizes, .flat)

        log("Measuring the minimal postcard loop")
        // A rate too: at most as many cards as the write floor has files.
        let floorCards = min(report.print.cards, CardFloor.maximumCards)
        let cardFloor = try measured(floors.appendingPathComponent("cards")) {
            try CardFloor(directory: $0, cardsPerFile: 500).measure(cards: floorCards, processes: cores, executable: printWorker)
        }
        if !keep { try? FileManager.default.removeItem(at: floors) }

        log("No-op rebuild")
        let (noOp, _) = try build(options)
        log("Rebuild after renaming one referrer")
        _ = try project.renameOneReferrer()
        let (oneChange, _) = try build(options)
        // The first rebuild after a full build makes its staging folders from nothing; from
        // the second on, the folders the last build replaced are there to reuse (spares).
        log("Rebuild after renaming another referrer (spares in place)")
        _ = try project.renameAnotherReferrer()
        let (steadyChange, _) = try build(options)
        // What a marketer waits for most often: every personal page rendered again (none can
        // be carried over), with the QR masks and the spare folders of the builds before.
        log("Rebuild after editing the personal layout")
        try project.editTheme()
        let (themeEdit, _) = try build(options)

        let shop = report.print.paths.filter { $0.contains("-shop-") }
        let office = report.print.paths.filter { $0.contains("-office-") }
        func bytes(_ paths: [String]) -> Int {
            paths.reduce(0) { $0 + ((try? kit.appendingPathComponent($1).resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
        }
        let cards = max(1, report.print.cards)

        var result = BenchReport(
            referrers: referrers, machine: Machine.describe(), date: ISO8601DateFormatter().string(from: Date()),
            full: full, noOp: noOp, oneChange: oneChange, steadyChange: steadyChange, themeEdit: themeEdit,
            personalPages: report.site.personalPages, pageBytes: pageSizes.reduce(0, +),
            cards: report.print.cards, cardPages: report.print.shop.pages + report.print.office.pages,
            shopBytesPerCard: Double(bytes(shop)) / Double(cards), officeBytesPerCard: Double(bytes(office)) / Double(cards),
            frontForms: shop.first.flatMap { Self.formCount(kit.appendingPathComponent($0)) },
            drafts: report.mail?.drafts ?? 0, draftBytes: draftSizes.reduce(0, +),
            pageFloor: pageFloor, draftFloor: draftFloor,
            cardFloorCardsPerSecond: Double(floorCards) / cardFloor.seconds, cardFloorPages: cardFloor.pages,
            cardFloorBytesPerCard: Double(cardFloor.bytes) / Double(max(1, floorCards)), cores: cores)

        if peer {
            log("Building the same personal pages with Hugo")
            result.peer = try HugoPeer(directory: folder.appendingPathComponent("hugo"), site: site).run(pages: report.site.personalPages)
        }
        return (result, folder)
    }

    /// Whether `folder` is missing, empty or an earlier run's (`--keep`): the folders a bench
    /// may empty and remove. A user's `--work-dir /mnt/big` is none of them.
    static func isBenchFolder(_ folder: URL) -> Bool {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else { return true }
        guard isFolder.boolValue, let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return false }
        return Set(names).isSubset(of: ["project", "floor", "hugo"])
    }

    /// One build, with each stage's time, rate and peak memory.
    private func build(_ options: BuildOptions) throws -> (BenchReport.BuildFigures, BuildReport) {
        let peaks = Locked<[String: Int]>([:])
        PeakMemory.releaseFreed()
        PeakMemory.reset()
        let start = Date()
        let report = try Build(options: options) { event in
            switch event {
            case .started: PeakMemory.reset()
            case let .finished(step, _): let peak = PeakMemory.peak(); peaks.withLock { $0[step.rawValue] = peak }
            }
        }.run()
        let seconds = Date().timeIntervalSince(start)
        let stages = report.timings.map { step, seconds -> BenchReport.Stage in
            let (unit, count): (String?, Int) = switch step {
            case .renderSite: ("pages", report.site.personalPages)
            case .renderPrint: ("cards", report.print.cards)
            case .renderMail: ("drafts", report.mail?.drafts ?? 0)
            default: (nil, 0)
            }
            // The print workers' memory counts too: it is the build's, in other processes.
            let workers = step == .renderPrint ? report.printWorkerPeakBytes : 0
            return .init(name: step.rawValue, seconds: seconds, peakBytes: (peaks.current[step.rawValue] ?? 0) + workers, unit: unit, count: count)
        }
        let figures = BenchReport.BuildFigures(
            seconds: seconds, peakBytes: stages.map(\.peakBytes).max() ?? PeakMemory.peak(), stages: stages,
            siteWritten: report.written.site.written, siteUnchanged: report.written.site.unchanged,
            kitWritten: report.written.kit.written, kitUnchanged: report.written.kit.unchanged)
        return (figures, report)
    }

    /// Form XObjects in a PDF whose object dictionaries are readable (cairo and qpdf leave
    /// them uncompressed); nil when none are found, which means the dictionaries are packed.
    static func formCount(_ url: URL) -> Int? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let needle = Array("/Subtype /Form".utf8)
        var count = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= needle.count else { return }
            var i = 0
            while i <= bytes.count - needle.count {
                if bytes[i] == needle[0], Array(bytes[i..<(i + needle.count)]) == needle { count += 1; i += needle.count } else { i += 1 }
            }
        }
        return count == 0 ? nil : count
    }

}

/// The machine the figures came from, for the README.
enum Machine {
    static func describe() -> String {
        var cpu = "unknown CPU"
        if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let name = line.split(separator: ":", maxSplits: 1).last {
            cpu = name.trimmingCharacters(in: .whitespaces)
        }
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
        var os = "Linux"
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8),
           let line = release.split(separator: "\n").first(where: { $0.hasPrefix("PRETTY_NAME=") }) {
            os = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(String(format: "%.0f", memory)) GiB, \(os)"
    }
}
