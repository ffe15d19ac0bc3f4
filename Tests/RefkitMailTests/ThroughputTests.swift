import Foundation
import Testing
import RefkitModel
@testable import RefkitMail

/// Prints drafts per second and memory; asserts nothing about either (machines differ).
/// `REFKIT_MAIL_BENCH=10000 swift test --filter Throughput` for the full measurement; the
/// default run uses 1,000 drafts to stay quick.
@Suite("Throughput", .serialized)
struct ThroughputTests {
    /// Keeps byte counts only, like a writer that sends each file to disk and forgets it.
    final class CountingSink: OutputSink, Sendable {
        private let counts = Locked((files: 0, bytes: 0))
        var totals: (files: Int, bytes: Int) { counts.current }
        func add(_ file: OutputFile) throws { counts.withLock { $0.files += 1; $0.bytes += file.bytes.count } }
        func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile { Stream(sink: self) }
        final class Stream: OutputStreamFile {
            let sink: CountingSink
            init(sink: CountingSink) { self.sink = sink }
            func append(_ bytes: Data) throws { sink.counts.withLock { $0.bytes += bytes.count } }
            func close() throws { sink.counts.withLock { $0.files += 1 } }
        }
    }

    /// From /proc/self/status, in MiB: the resident set now and its peak so far.
    static func memory() -> (rss: Double, peak: Double) {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func value(_ key: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
        }
        return (value("VmRSS:"), value("VmHWM:"))
    }

    /// User plus system CPU seconds of this process: on a shared machine, wall time alone
    /// says more about the neighbours than about the renderer.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    @Test("Drafts per second and memory, printed")
    func measure() throws {
        let count = Int(ProcessInfo.processInfo.environment["REFKIT_MAIL_BENCH"] ?? "") ?? 1_000
        let renderer = try Fixture.renderer()
        let extra = [Referrer.Field(name: "store", value: "Lyon Part-Dieu")]
        // A lazy sequence: the drafts never sit in memory together, as in a real build.
        let drafts = (0..<count).lazy.map { Fixture.draft(Fixture.people[$0 % 4], index: $0, extra: extra) }
        let sink = CountingSink()
        let before = Self.memory()
        let cpuBefore = Self.cpuSeconds()
        let clock = ContinuousClock()
        let elapsed = try clock.measure { try renderer.render(drafts, to: sink) }
        let after = Self.memory()
        let cpu = Self.cpuSeconds() - cpuBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let totals = sink.totals
        print(String(format: "RefkitMail throughput: %d drafts in %.2f s = %.0f drafts/s (%.2f CPU s, %.0f drafts per CPU second, %d cores); %.1f MiB written; RSS %.1f → %.1f MiB, peak %.1f MiB",
                     count, seconds, Double(count) / seconds, cpu, Double(count) / cpu, ProcessInfo.processInfo.activeProcessorCount, Double(totals.bytes) / 1_048_576, before.rss, after.rss, after.peak))
        #expect(totals.files == count + 2)
    }
}
