import Foundation
import RefkitTestSupport

/// Runs the real command-line tools the tests check PDFs with. A missing tool is an error,
/// so a machine without poppler, zbar or qpdf fails the tests instead of passing them.
enum Tool {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func path(of name: String) throws -> String {
        let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin", "/usr/local/bin"]
        for dir in dirs {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw Failure(description: "\(name) is not installed; install poppler-utils, zbar-tools and qpdf")
    }

    @discardableResult
    static func run(_ name: String, _ arguments: [String], allowing statuses: Set<Int32> = [0]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(of: name))
        process.arguments = arguments
        // Output goes to files, not pipes: Foundation's FileHandle reads crash on EINTR when
        // several tests run tools at once.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let output = Output(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        guard statuses.contains(output.status) else {
            throw Failure(description: "\(name) \(arguments.joined(separator: " ")) exited with \(output.status): \(output.stderr)")
        }
        return output
    }

    static func temporaryDirectory() throws -> URL {
        try TemporaryFolder.create("refkit-print")
    }
}

/// Page boxes as `pdfinfo -box` prints them, in points.
struct Boxes {
    var media: [Double]
    var bleed: [Double]
    var trim: [Double]

    /// Reads the boxes of every page.
    static func read(_ pdf: URL) throws -> [Boxes] {
        let text = try Tool.run("pdfinfo", ["-box", "-f", "1", "-l", "100000", pdf.path]).stdout
        var pages: [Int: Boxes] = [:]
        for line in text.split(separator: "\n") {
            // "Page    1 MediaBox:     0.00     0.00   317.48   439.37"
            let parts = line.split(separator: " ")
            guard parts.count == 7, parts[0] == "Page", let page = Int(parts[1]) else { continue }
            let values = parts[3...].compactMap { Double($0) }
            var boxes = pages[page] ?? Boxes(media: [], bleed: [], trim: [])
            switch parts[2] {
            case "MediaBox:": boxes.media = values
            case "BleedBox:": boxes.bleed = values
            case "TrimBox:": boxes.trim = values
            default: break
            }
            pages[page] = boxes
        }
        return pages.keys.sorted().map { pages[$0]! }
    }
}
