import Foundation
import Testing

/// libFuzzer on the loaders of the files people edit or export (Sources/RefkitFuzz): a bounded
/// run per loader from the seed corpus in Tests/Fixtures/fuzz/, failing with the saved input
/// and the fuzzer's report when it finds a crash, a hang, a leak or a broken promise.
///
/// `make test` builds the fuzz binary first; by hand:
///
///     swift build --sanitize=fuzzer --sanitize=address -Xswiftc -DREFKIT_FUZZ \
///         --scratch-path .build-fuzz --product refkit-fuzz
@Suite("Fuzzing the loaders", .serialized)
struct FuzzTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// REFKIT_FUZZ_BINARY, or where `make test` builds it.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["REFKIT_FUZZ_BINARY"] { return URL(fileURLWithPath: path) }
        return repository.appendingPathComponent(".build-fuzz/debug/refkit-fuzz")
    }

    /// Seconds of fuzzing per loader: enough to replay the corpus and mutate a few thousand
    /// inputs in the debug, address-sanitized build; longer runs are for hunting by hand.
    static let seconds: [String: Int] = ["program": 15, "referrers": 15, "site": 10]

    @Test("no crash, hang, leak or broken promise in a bounded run", arguments: ["program", "referrers", "site"])
    func fuzz(loader: String) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path),
                     "no fuzz binary at \(Self.binary.path): run `make test`, or build it as this file's comment says")
        let outcome = try Self.run(loader: loader, seconds: Self.seconds[loader]!)
        #expect(outcome.artifacts.isEmpty && outcome.status == 0,
                "libFuzzer found a problem in the \(loader) loader (exit \(outcome.status)); input saved at \(outcome.artifacts.map(\.path)); replay it with REFKIT_FUZZ_LOADER=\(loader) \(Self.binary.path) FILE\n\(outcome.report)")
        // It fuzzed: the corpus was read and inputs were run to the end of the time.
        if outcome.status == 0 { #expect(outcome.output.contains("INITED") && outcome.output.contains("Done "), "\(outcome.report)") }
    }

    struct Outcome {
        var status: Int32
        var artifacts: [URL]
        /// Everything libFuzzer printed.
        var output: String
        /// Its first error line and what follows (at most 80 lines), or the last lines if none.
        var report: String
    }

    /// Runs the fuzzer on a copy of the loader's seed corpus (the copy grows, the repository's
    /// does not) and collects what it saved. A folder with a finding is kept for replaying.
    static func run(loader: String, seconds: Int) throws -> Outcome {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("refkit-fuzz-\(loader)-\(UUID().uuidString)")
        let corpus = work.appendingPathComponent("corpus"), artifacts = work.appendingPathComponent("findings")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        try fm.copyItem(at: repository.appendingPathComponent("Tests/Fixtures/fuzz/\(loader)"), to: corpus)
        try fm.createDirectory(at: artifacts, withIntermediateDirectories: true)

        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "-max_total_time=\(seconds)", "-timeout=5", "-rss_limit_mb=2048", "-max_len=16384",
            "-dict=" + repository.appendingPathComponent("Tests/Fixtures/fuzz/\(loader).dict").path,
            "-artifact_prefix=" + artifacts.path + "/", "-print_final_stats=1", corpus.path,
        ]
        var env = ProcessInfo.processInfo.environment
        env["REFKIT_FUZZ_LOADER"] = loader
        // Swift's own crash handler would catch the trap first and exit before libFuzzer saves
        // the input that caused it.
        env["SWIFT_BACKTRACE"] = "enable=no"
        process.environment = env
        let log = work.appendingPathComponent("fuzzer.log")
        _ = fm.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // libFuzzer stops itself after max_total_time; this bound only keeps a wedged fuzzer
        // from hanging the suite (it then fails, as a hang should).
        let deadline = Date().addingTimeInterval(Double(seconds) * 4 + 60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try handle.close()

        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let found = ((try? fm.contentsOfDirectory(at: artifacts, includingPropertiesForKeys: nil)) ?? []).sorted { $0.path < $1.path }
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.firstIndex { $0.contains("ERROR:") || $0.contains("Fatal error") || $0.contains("broken promise") }
        let report = (first.map { lines[$0...].prefix(80) } ?? lines.suffix(15)).joined(separator: "\n")
        if found.isEmpty, process.terminationStatus == 0 { try? fm.removeItem(at: work) }
        return Outcome(status: process.terminationStatus, artifacts: found, output: output, report: report)
    }
}
