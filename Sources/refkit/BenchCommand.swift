import ArgumentParser
import Foundation
import RefkitBench
import RefkitModel
import RefkitSkeleton

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure a build of a synthetic programme against this machine's floor.",
        discussion: """
        Generates N referrers with names in five languages on the sample programme and default \
        theme in a temporary folder, builds it five times (full, nothing changed, one referrer \
        renamed, another renamed, the personal layout edited), and measures in the same run how \
        fast this machine writes files of the same \
        sizes and draws postcards in a minimal cairo loop. Prints each stage's time, rate and \
        peak memory, refkit's rates as ratios to each floor, and which performance goals hold.

        Several --referrers values run one after the other, each in a fresh process, and the \
        last report compares their peak memory.

        The programme, its outputs and the spare folders of the rebuilds take disk in \
        proportion to N (about \(DiskSpace.text(DiskSpace.needed(referrers: 10_000, keep: false))) at 10,000): \
        bench checks the free space first and refuses, saying what it needs, when the disk is \
        too small. --work-dir can put the run on a bigger disk.

        Examples:
          refkit bench --referrers 10000
          refkit bench --referrers 10000 --referrers 100000
          refkit bench --referrers 2000 --peer --keep
          refkit bench --referrers 1000000 --work-dir /mnt/big/bench
                (not part of `make bench`: about \(DiskSpace.text(DiskSpace.needed(referrers: 1_000_000, keep: false))) of disk)
        """
    )

    @Option(name: .long, help: ArgumentHelp("How many referrers (repeat for several sizes).", valueName: "n"))
    var referrers: [Int] = [10_000]

    @Flag(help: "Keep the generated programme and its outputs.")
    var keep = false

    @Flag(help: "Also build the same personal pages with Hugo (needs Debian's hugo package).")
    var peer = false

    @Option(help: ArgumentHelp("Where to generate the programme (default: a new temporary folder).", valueName: "dir"))
    var workDir: String?

    @Option(help: .hidden)
    var json: String?

    /// One process's share of the minimal postcard loop: `PART,PARTS,CARDS,PER-FILE`.
    @Option(help: .hidden)
    var cardFloorShare: String?

    func validate() throws {
        if referrers.contains(where: { $0 < 10 || $0 > 10_000_000 }) {
            throw ValidationError("--referrers must be between 10 and 10,000,000.")
        }
        if referrers.count > 1, workDir != nil { throw ValidationError("--work-dir takes one --referrers value.") }
    }

    func run() throws {
        if let cardFloorShare {
            guard let workDir, let answer = CardFloor.runShare(cardFloorShare, directory: URL(fileURLWithPath: workDir, isDirectory: true)) else {
                throw ValidationError("--card-floor-share takes PART,PARTS,CARDS,PER-FILE and --work-dir.")
            }
            Terminal.out(answer)
            return
        }
        let skeleton = Skeleton.locate()
        guard let root = skeleton.found else {
            Terminal.plainError("error: " + skeleton.notFoundMessage)
            throw ExitCode(3)
        }
        let content = root.appendingPathComponent("content", isDirectory: true)
        let templates = root.appendingPathComponent("site-templates", isDirectory: true)
        if referrers.count == 1 {
            var bench = Benchmark(referrers: referrers[0], content: content, siteTemplates: templates)
            bench.keep = keep
            bench.peer = peer
            bench.printWorker = Refkit.executable
            bench.workDirectory = workDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
            bench.log = { Terminal.plainError("… " + $0) }
            let (report, folder) = try bench.run()
            if let json {
                try JSONEncoder().encode(report).write(to: URL(fileURLWithPath: json))
            }
            Terminal.out(report.text())
            if keep { Terminal.out("Kept \(folder.path)") }
            return
        }
        // Each size checks its own folder before it starts; all of them at once first, so that a
        // size too large is refused before the smaller ones have run for an hour.
        try DiskSpace.check(referrers: referrers, keep: keep, folder: FileManager.default.temporaryDirectory,
                            free: DiskSpace.free(at: FileManager.default.temporaryDirectory))
        // Each size in its own process, so one size's heap cannot inflate the next one's peak.
        var reports: [BenchReport] = []
        for n in referrers {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-bench-\(n)-\(ProcessInfo.processInfo.processIdentifier).json")
            let child = Process()
            child.executableURL = Refkit.executable ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            child.arguments = ["bench", "--referrers", String(n), "--json", out.path] + (keep ? ["--keep"] : []) + (peer ? ["--peer"] : [])
            try child.run()
            child.waitUntilExit()
            guard child.terminationStatus == 0 else { throw ExitCode(child.terminationStatus) }
            reports.append(try JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: out)))
            try? FileManager.default.removeItem(at: out)
        }
        let sorted = reports.sorted { $0.referrers < $1.referrers }
        if let smallest = sorted.first, let largest = sorted.last, sorted.count > 1 {
            Terminal.out("Goals at \(largest.referrers) referrers, memory compared with \(smallest.referrers):")
            for g in largest.goals(smaller: smallest) {
                Terminal.out("  \(g.holds.map { $0 ? "holds  " : "MISSED " } ?? "n/a    ") \(g.text): \(g.measured)")
            }
        }
    }
}
