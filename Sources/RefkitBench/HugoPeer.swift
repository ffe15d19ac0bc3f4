import Foundation

/// Hugo building the same personal pages: one content file per referrer and a layout made
/// from one of refkit's own rendered personal pages, so both write pages of the same size.
struct HugoPeer {
    let directory: URL
    /// refkit's built site, where the template page comes from.
    let site: URL

    func run(pages: Int) throws -> BenchReport.Peer {
        guard let hugo = Self.which("hugo") else {
            throw BenchError("hugo is not installed; install Debian's `hugo` package (make bench-peer does)")
        }
        let fm = FileManager.default
        try? fm.removeItem(at: directory)
        let layouts = directory.appendingPathComponent("layouts/_default")
        let content = directory.appendingPathComponent("content/r")
        try fm.createDirectory(at: layouts, withIntermediateDirectories: true)
        try fm.createDirectory(at: content, withIntermediateDirectories: true)

        // The template: a real personal page with its code and first name as Hugo parameters.
        guard let sample = try fm.contentsOfDirectory(atPath: site.appendingPathComponent("r").path).sorted().first else {
            throw BenchError("refkit wrote no personal page to copy a layout from")
        }
        var page = try String(contentsOf: site.appendingPathComponent("r/\(sample)/index.html"), encoding: .utf8)
        // Hugo would read any braces in the page as template actions.
        page = page.replacingOccurrences(of: "{{", with: "{{ \"{{\" }}")
        page = page.replacingOccurrences(of: sample, with: "{{ .Params.code }}")
        try page.write(to: layouts.appendingPathComponent("single.html"), atomically: true, encoding: .utf8)
        try """
            baseURL = "https://parrainage.boulangerie-martin.example.fr/"
            disableKinds = ["home", "section", "taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]

            """.write(to: directory.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        for i in 0..<pages {
            let person = SyntheticNames.person(i)
            let code = String(format: "B%08dX", i)
            try Data("""
                ---
                code: "\(code)"
                first_name: "\(person.firstName.isEmpty ? person.name : person.firstName)"
                url: "/r/\(code)/"
                ---

                """.utf8).write(to: content.appendingPathComponent("\(code).md"))
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: hugo)
        process.arguments = ["--quiet", "--source", directory.path, "--destination", directory.appendingPathComponent("public").path]
        let start = Date()
        try process.run()
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        guard process.terminationStatus == 0 else { throw BenchError("hugo failed with status \(process.terminationStatus)") }
        // Hugo is this process's only waited-for child, so the children's peak is Hugo's.
        return .init(version: Self.version(hugo), pages: pages, seconds: seconds, peakBytes: Syscalls.peakResidentBytes(children: true))
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func version(_ hugo: String) -> String {
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: hugo)
        process.arguments = ["version"]
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "?" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        // "hugo v0.111.3+extended linux/amd64 BuildDate=..."
        return text.split(separator: " ").dropFirst().first.map(String.init) ?? text
    }
}
