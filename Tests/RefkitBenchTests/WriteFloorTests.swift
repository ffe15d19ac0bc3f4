import Foundation
@testable import RefkitBench
import RefkitModel
import RefkitTestSupport
import Testing

/// The write floor is a rate: past its cap it writes an even sample of the sizes, not one
/// file per page.
@Suite("write floor")
struct WriteFloorTests {
    @Test("up to the cap every size is written; past it an even sample of exactly the cap, first to last")
    func sample() {
        let few = Array(0..<1_000)
        #expect(WriteFloor.sample(few) == few)
        let many = Array(0..<1_000_000)
        let sample = WriteFloor.sample(many)
        #expect(sample.count == WriteFloor.maximumFiles)
        #expect(sample.first == 0 && sample.last == 999_990)
        #expect(Set(zip(sample, sample.dropFirst()).map { $1 - $0 }) == [10])
    }
}

/// The floor's files go as soon as each set is measured, so a run never holds them beside
/// the programme's rebuilds and their spare folders.
@Suite("bench floor files")
struct BenchFloorFilesTests {
    @Test("without --keep no floor file is left when the rebuilds start, nor at the end")
    func floorGoesOnceMeasured() throws {
        let scratch = try TemporaryFolder("refkit-bench-floor")
        var bench = Benchmark(referrers: 10, content: CLI.repository.appendingPathComponent("content"),
                              siteTemplates: CLI.repository.appendingPathComponent("site-templates"))
        let folder = scratch.url.appendingPathComponent("bench")
        bench.workDirectory = folder
        let floorWhenRebuilding = Locked<[String: Bool]>([:])
        bench.log = { line in
            guard line.hasPrefix("No-op rebuild") || line.hasPrefix("Measuring the minimal postcard loop") else { return }
            let exists = FileManager.default.fileExists(atPath: folder.appendingPathComponent("floor").path)
            let sets = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("floor").path)) ?? []
            floorWhenRebuilding.withLock { $0[line] = exists && !sets.isEmpty }
        }
        let (report, _) = try bench.run()
        // The page and draft sets were measured (and gone) before the card loop started.
        #expect(report.pageFloor.files == report.personalPages && report.pageFloor.files > 0)
        #expect(floorWhenRebuilding.current == ["Measuring the minimal postcard loop": false, "No-op rebuild": false], "\(floorWhenRebuilding.current)")
        #expect(!FileManager.default.fileExists(atPath: folder.path))
    }
}
