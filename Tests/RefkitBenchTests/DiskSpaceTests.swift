import Foundation
@testable import RefkitBench
import RefkitModel
import RefkitTestSupport
import Testing

/// The bench's disk check: the estimate's arithmetic, the refusal through the public API with
/// a free-space figure handed in (no small disk needed), and the free space read the way `df`
/// reads it.
@Suite("bench disk space")
struct DiskSpaceTests {
    let scratch = try! TemporaryFolder("refkit-bench-disk")

    func bench(_ referrers: Int) -> Benchmark {
        var bench = Benchmark(referrers: referrers, content: CLI.repository.appendingPathComponent("content"),
                              siteTemplates: CLI.repository.appendingPathComponent("site-templates"))
        bench.workDirectory = scratch.url.appendingPathComponent("bench")
        return bench
    }

    @Test("a million referrers on a disk with 5 GB free are refused before anything is made, saying what is needed, what is free and what to do")
    func refusedBeforeGenerating() throws {
        var bench = bench(1_000_000)
        // No sample to copy: should the check ever let this through, the run fails at once
        // instead of generating a million referrers.
        bench.content = scratch.url.appendingPathComponent("no-content")
        bench.freeBytes = { _ in 5_000_000_000 }
        let logged = Locked<[String]>([])
        bench.log = { line in logged.withLock { $0.append(line) } }
        let error = try #require(throws: BenchError.self) { try bench.run() }
        let need = DiskSpace.needed(referrers: 1_000_000, keep: false)
        let fits = try #require(DiskSpace.largestFitting(5_000_000_000, keep: false))
        #expect(error.description == "refkit bench --referrers 1000000 needs about \(DiskSpace.text(need)) of disk in \(bench.workDirectory!.path), and 5.0 GB is free there; give --work-dir a folder on a disk with \(DiskSpace.text(need)) free, or ask for fewer referrers (about \(fits.grouped) fit here in one run). Nothing was generated.")
        #expect(error.failureKind == .fileSystem)
        #expect(!FileManager.default.fileExists(atPath: bench.workDirectory!.path))
        #expect(logged.current.isEmpty, "\(logged.current)")
        // The suggestion fits, one more significant step would not be far off, the request does not.
        #expect(DiskSpace.needed(referrers: fits, keep: false) <= 5_000_000_000)
        #expect(fits >= 10_000 && fits < 1_000_000)
    }

    @Test("the estimate: the programme grows with the referrers, the floor stops at its cap, --keep counts every floor set and every size")
    func arithmetic() throws {
        let perReferrer = DiskSpace.projectBytesPerReferrer
        #expect(perReferrer > 100_000, "the measured programme is about 110 KB a referrer at its peak")
        // Past the floor's cap, ten times the referrers is ten times the programme and no more floor.
        let big = DiskSpace.needed(referrers: 1_000_000, keep: false), bigger = DiskSpace.needed(referrers: 10_000_000, keep: false)
        #expect(abs(Double(bigger - big) - 9_000_000 * Double(perReferrer) * DiskSpace.margin) < 1_000_000)
        for n in [10, 2_000, 100_000, 1_000_000] {
            #expect(DiskSpace.needed(referrers: n, keep: true) > DiskSpace.needed(referrers: n, keep: false))
        }
        // Several sizes: one after the other without --keep, all of them with it.
        let sizes = [10_000, 100_000]
        #expect(DiskSpace.needed(sizes: sizes, keep: false) == DiskSpace.needed(referrers: 100_000, keep: false))
        #expect(DiskSpace.needed(sizes: sizes, keep: true) == sizes.map { DiskSpace.needed(referrers: $0, keep: true) }.reduce(0, +))
        // Exactly enough passes, a byte less is refused, and an unknown figure is not a refusal.
        let need = DiskSpace.needed(referrers: 2_000, keep: false)
        let folder = scratch.url.appendingPathComponent("bench")
        try DiskSpace.check(referrers: [2_000], keep: false, folder: folder, free: need)
        try DiskSpace.check(referrers: [2_000], keep: false, folder: folder, free: nil)
        #expect(throws: BenchError.self) { try DiskSpace.check(referrers: [2_000], keep: false, folder: folder, free: need - 1) }
        // Too little for even the smallest bench: free some space instead of fewer referrers.
        let tiny = #expect(throws: BenchError.self) { try DiskSpace.check(referrers: [2_000], keep: true, folder: folder, free: 1_000) }
        #expect(tiny?.description.contains("1.0 kB is free there") == true && tiny?.description.contains("free some space on this one") == true,
                "\(String(describing: tiny))")
        // A folder left by an earlier kept run is named, since its bytes count as used.
        try FileManager.default.createDirectory(at: scratch.url.appendingPathComponent("project"), withIntermediateDirectories: true)
        let earlier = #expect(throws: BenchError.self) { try DiskSpace.check(referrers: [100_000], keep: true, folder: scratch.url, free: need) }
        #expect(earlier?.description.contains("; \(scratch.url.path) holds an earlier run, which counts as used until it is removed. Nothing") == true,
                "\(String(describing: earlier))")
        // Several sizes kept add up; each goes in a folder of its own inside the one named.
        let kept = #expect(throws: BenchError.self) { try DiskSpace.check(referrers: [10, 100_000], keep: true, folder: scratch.url, free: need) }
        #expect(kept?.description.contains("--referrers 10 --referrers 100000 --keep needs about") == true, "\(String(describing: kept))")
        #expect(kept?.description.contains("without --keep each size's folder goes before the next size starts. Nothing") == true, "\(String(describing: kept))")
        // --work-dir takes one size; several run in the temporary folder, which TMPDIR moves.
        #expect(kept?.description.contains("set TMPDIR to a folder on a disk with ") == true, "\(String(describing: kept))")
    }

    @Test("free space is df's available figure for the nearest folder that exists")
    func freeSpaceIsDfs() throws {
        let missing = scratch.url.appendingPathComponent("not/made/yet")
        let free = try #require(DiskSpace.free(at: missing))
        let df = try CLI.run("df", ["--output=avail", "-B1", scratch.url.path])
        #expect(df.status == 0, "\(df.output)")
        let available = try #require(Int(df.stdout.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) ?? ""))
        // Other sessions write to the same disk between the two readings.
        #expect(abs(free - available) < 200_000_000, "statvfs \(free), df \(available)")
    }

    @Test("--help quotes the estimate for a million referrers")
    func helpQuotesTheEstimate() throws {
        let help = try CLI.refkit(["bench", "--help"])
        #expect(help.status == 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("refkit bench --referrers 1000000 --work-dir /mnt/big/bench (not part of `make bench`: about \(DiskSpace.text(DiskSpace.needed(referrers: 1_000_000, keep: false))) of disk)"),
                "\(help.stdout)")
    }

    @Test("bytes read as on a disk: decimal units, two significant digits or more")
    func byteText() {
        #expect(DiskSpace.text(999) == "999 bytes")
        #expect(DiskSpace.text(1_500) == "1.5 kB")
        #expect(DiskSpace.text(5_000_000_000) == "5.0 GB")
        #expect(DiskSpace.text(163_400_000_000) == "163 GB")
        #expect(DiskSpace.text(1_630_000_000_000) == "1.6 TB")
    }
}
