import Foundation
import Testing

/// Runs the real `refkit` binary on real folders.
enum CLI {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `refkit` binary built with the tests: it sits beside the test bundle, in whatever
    /// build folder (`--scratch-path`) the tests were built in.
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("refkit")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return repository.appendingPathComponent(".build/debug/refkit")
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // A binary built outside the repository (`--scratch-path /tmp/...`) cannot find the
        // sample by walking up from itself; `make test` builds inside, where it can.
        if !binary.path.hasPrefix(repository.path + "/") { env["REFKIT_SKELETON"] = repository.path }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so that a full pipe cannot block the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func refkit(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        try run(binary.path, arguments, in: directory, environment: environment)
    }

    /// A fresh copy of the repository's sample project in a temporary folder.
    static func sampleProject() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for folder in ["content", "site-templates"] {
            try FileManager.default.copyItem(at: repository.appendingPathComponent(folder), to: dir.appendingPathComponent(folder))
        }
        return dir
    }

    /// Every regular file under a folder with its modification time, relative paths as keys.
    static func snapshot(_ folder: URL) -> [String: Date] {
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
