import Foundation
import Testing

/// Runs the real `refkit` binary and the Python browser scripts in Tests/Browser/.
enum Tools {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The debug binary `swift build --build-tests` made; `make test` builds it first.
    static var refkit: URL { repository.appendingPathComponent(".build/debug/refkit") }

    struct Result {
        var status: Int32
        var output: String
    }

    /// Runs a program to the end, stdout and stderr together.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = executable.hasPrefix("/") ? URL(fileURLWithPath: executable) : URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs Tests/Browser/NAME.py against the binary; the script prints OK last when all passed.
    static func browserScript(_ name: String) throws -> Result {
        try run("python3", [repository.appendingPathComponent("Tests/Browser/\(name).py").path, refkit.path])
    }

    /// A fresh copy of the repository's sample project in a temporary folder.
    static func sampleProject() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-deploy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for folder in ["content", "site-templates"] {
            try FileManager.default.copyItem(at: repository.appendingPathComponent(folder), to: dir.appendingPathComponent(folder))
        }
        return dir
    }

    /// Fetches a URL with Python's urllib: status and body ("0" and the error when unreachable).
    static func fetch(_ url: String) throws -> (status: Int, body: String) {
        let script = """
        import sys, urllib.request, urllib.error
        try:
            r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status); sys.stdout.write(r.read().decode())
        except urllib.error.HTTPError as e:
            print(e.code); sys.stdout.write(e.read().decode())
        except Exception as e:
            print(0); print(e)
        """
        let result = try run("python3", ["-c", script, url])
        let status = Int(result.output.prefix { $0 != "\n" }) ?? 0
        return (status, String(result.output.drop { $0 != "\n" }.dropFirst()))
    }

    /// A TCP port nobody listens on right now, on 127.0.0.1.
    static func freePort() throws -> Int {
        let result = try run("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        return Int(result.output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }
}
