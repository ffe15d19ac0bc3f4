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

    public init(referrers: Int, content: URL, siteTemplates: URL) {
        self.referrers = referrers
        self.content = content
        self.siteTemplates = siteTemplates
    }

    public func run() throws -> (report: BenchReport, folder: URL) {
        let folder = workDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("refkit-bench-\(referrers)-\(ProcessInfo.processInfo.processIdentifier)")
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
        func writeRate(_ name: String, _ sizes: [Int], _ layout: WriteFloor.Layout) throws -> BenchReport.WriteRate {
            guard !sizes.isEmpty else { return .init(files: 0, oneThread: 0, allCores: 0) }
            let one = try WriteFloor(directory: floors.appendingPathComponent(name + "-1"), layout: layout).measure(sizes: sizes, threads: 1)
            let all = try WriteFloor(directory: floors.appendingPathComponent(name + "-\(cores)"), layout: layout).measure(sizes: sizes, threads: cores)
            return .init(files: sizes.count, oneThread: Double(sizes.count) / one, allCores: Double(sizes.count) / all)
        }
        let pageFloor = try writeRate("pages", pageSizes, .folderPerFile)
        let draftFloor = try writeRate("drafts", draftSizes, .flat)

        log("Measuring the minimal postcard loop")
        let cardFloor = try CardFloor(directory: floors.appendingPathComponent("cards"), cardsPerFile: 500)
            .measure(cards: report.print.cards, processes: cores, executable: printWorker)

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
            cardFloorCardsPerSecond: Double(report.print.cards) / cardFloor.seconds, cardFloorPages: cardFloor.pages,
            cardFloorBytesPerCard: Double(cardFloor.bytes) / Double(cards), cores: cores)

        if peer {
            log("Building the same personal pages with Hugo")
            result.peer = try HugoPeer(directory: folder.appendingPathComponent("hugo"), site: site).run(pages: report.site.personalPages)
        }
        return (result, folder)
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
