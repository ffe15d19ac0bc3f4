import Foundation

/// Runs the real `refkit` binary and the tools that check its output, for the test folders
/// that drive the CLI (RefkitCLITests, RefkitReportTests, RefkitBrowserTests).
///
/// Every successful `refkit build` through `refkit(_:)` is followed by a `PrivacyScan` of
/// the output folder; a leak throws, which fails the calling test with file and kind.
public enum CLI {
    /// The repository, found from this file so tests run from any directory.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `refkit` binary built with the tests: it sits beside the test bundle, in whatever
    /// build folder (`--scratch-path`) the tests were built in.
    public static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("refkit")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repository.appendingPathComponent(".build/debug/refkit")
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        /// Empty when the run combined both streams into `stdout`.
        public var stderr: String
        /// Both streams, for messages.
        public var output: String { stdout + stderr }
    }

    /// Runs a program to the end. `combined` sends stderr into the same pipe as stdout, so
    /// the output keeps its order (the browser scripts end with "OK").
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String] = [:], combined: Bool = false) throws -> Result {
        let process = Process()
        process.executableURL = executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        // A binary built outside the repository (`--scratch-path /tmp/...`) cannot find the
        // sample by walking up from itself; `make test` builds inside, where it can.
        if !binary.path.hasPrefix(repository.path + "/") { env["REFKIT_SKELETON"] = repository.path }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = combined ? out : Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both before waiting, on two threads, so that neither full pipe blocks the child.
        let errData = LockedData()
        let errReader = Thread { errData.set(combined ? Data() : err.fileHandleForReading.readDataToEndOfFile()) }
        errReader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let e = errData.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Runs `refkit`; after a `build` that succeeds, scans its output for private data and
    /// throws `PrivacyScan.LeakError` if any is there.
    @discardableResult
    public static func refkit(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                              combined: Bool = false) throws -> Result {
        let result = try run(binary.path, arguments, in: directory, environment: environment, combined: combined)
        if result.status == 0, arguments.first == "build" {
            try scanBuild(arguments: arguments, in: directory, environment: environment)
        }
        return result
    }

    /// The privacy scan of the build these arguments made: `--root` (or the working folder),
    /// `--out` (or ROOT/public), `--kit` (or ROOT/kit), and the secret from REFKIT_SECRET when
    /// it was set.
    public static func scanBuild(arguments: [String], in directory: URL?, environment: [String: String] = [:]) throws {
        func value(_ option: String) -> String? {
            if let i = arguments.firstIndex(of: option), i + 1 < arguments.count { return arguments[i + 1] }
            return arguments.first { $0.hasPrefix(option + "=") }.map { String($0.dropFirst(option.count + 1)) }
        }
        let cwd = directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func path(_ p: String) -> URL { p.hasPrefix("/") ? URL(fileURLWithPath: p) : cwd.appendingPathComponent(p) }
        let root = value("--root").map(path) ?? cwd
        let out = value("--out").map(path) ?? root.appendingPathComponent("public")
        let kit = value("--kit").map(path)
        let secret = environment["REFKIT_SECRET"] ?? ProcessInfo.processInfo.environment["REFKIT_SECRET"]
        let scan = try PrivacyScan(project: root, secret: secret, kit: kit)
        try scan.check(out)
        try scan.checkCounter(kit: kit ?? root.appendingPathComponent("kit"))
    }

    /// A fresh copy of the repository's sample project in a temporary folder.
    public static func sampleProject(prefix: String = "refkit-cli") throws -> URL {
        let dir = try TemporaryFolder.create(prefix)
        for folder in ["content", "site-templates"] {
            try FileManager.default.copyItem(at: repository.appendingPathComponent(folder), to: dir.appendingPathComponent(folder))
        }
        return dir
    }

    /// Makes a project's form submissions count towards rewards (`report: rewards_from:
    /// submissions` in site.yaml), for tests about counting submissions: by default only
    /// conversions do.
    public static func rewardsFromSubmissions(_ project: URL) throws {
        let file = project.appendingPathComponent("content/site.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        text += (text.hasSuffix("\n") ? "" : "\n") + "report:\n  rewards_from: submissions\n"
        try Data(text.utf8).write(to: file)
    }

    /// Every regular file under a folder with its modification time, relative paths as keys.
    public static func snapshot(_ folder: URL) -> [String: Date] {
        var out: [String: Date] = [:]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey]) else { return out }
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey])
            guard values?.isRegularFile == true else { continue }
            out[String(url.path.dropFirst(folder.path.count + 1))] = values?.contentModificationDate
        }
        return out
    }
}

/// One value handed from the stderr reader thread, waited for once.
private final class LockedData: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}
