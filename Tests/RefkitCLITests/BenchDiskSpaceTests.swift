import Foundation
import RefkitTestSupport
import Testing

/// `refkit bench` checks the free space before it generates anything: on the real temporary
/// folder, ten million referrers (about 1.3 TB with the outputs and spare folders) do not fit.
@Suite("refkit bench disk space")
struct BenchDiskSpaceTests {
    func leftovers() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("refkit-bench-10000000-") })
    }

    @Test("a size the disk cannot hold is refused with exit 3, what it needs, what is free and what to do, and nothing generated",
          arguments: [["--referrers", "10000000"], ["--referrers", "10", "--referrers", "10000000"]])
    func refused(arguments: [String]) throws {
        let before = try leftovers()
        let run = try CLI.refkit(["bench"] + arguments)
        #expect(run.status == 3, "\(run.output)")
        let stderr = run.stderr.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(stderr.hasPrefix("error: refkit bench \(arguments.joined(separator: " ")) needs about "), "\(run.stderr)")
        let fix = arguments.count == 2 ? "give --work-dir a folder" : "set TMPDIR to a folder"
        for part in [" TB of disk in \(FileManager.default.temporaryDirectory.path)", " is free there; \(fix) on a disk with ",
                     "or ask for fewer referrers (about ", "Nothing was generated."] {
            #expect(stderr.contains(part), "no \(part) in: \(run.stderr)")
        }
        // Refused before the first size ran and before any folder was made.
        #expect(run.stdout.isEmpty, "\(run.stdout)")
        #expect(!run.stderr.contains("Generating"), "\(run.stderr)")
        #expect(try leftovers() == before)
    }

    @Test("a --work-dir that holds other files is refused with exit 2 and left as it was: the bench empties its folder first")
    func foreignWorkDirectory() throws {
        let scratch = try TemporaryFolder("refkit-bench-workdir")
        let precious = scratch.url.appendingPathComponent("thesis.txt")
        try Data("a year of work\n".utf8).write(to: precious)
        let run = try CLI.refkit(["bench", "--referrers", "10", "--work-dir", scratch.url.path])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.stderr.contains("--work-dir \(scratch.url.path) holds files that are not a bench's"), "\(run.stderr)")
        #expect(try String(contentsOf: precious, encoding: .utf8) == "a year of work\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["thesis.txt"])
    }
}
