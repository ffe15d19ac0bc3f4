import ArgumentParser
import FlyingFox
import Foundation
import RefkitBuild
import RefkitModel

/// `refkit serve`: build, serve public/ on 127.0.0.1, rebuild when content/ or site-templates/
/// change. A failed rebuild keeps the last good site, prints the errors, and shows them on
/// every page until the next good build; the server keeps running.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build, serve the site on this computer, and rebuild when files change.",
        discussion: """
        Serves public/ at http://127.0.0.1:PORT/ (this computer only) and watches content/ and \
        site-templates/, rebuilding after every change. Build errors are printed here and shown \
        at the top of every page; fix the file and save, and the page is right again. \
        Stop with Ctrl-C.

        Examples:
          refkit serve
          refkit serve --port 8080 --root my-bakery
        """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("The port to listen on, on 127.0.0.1.", valueName: "n"))
    var port: Int = 8000

    @Option(help: ArgumentHelp("Today's date for deadlines and issue dates.", valueName: "YYYY-MM-DD"))
    var now: String?

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535.") }
        if let now, Day(now) == nil { throw ValidationError("--now \"\(now)\" is not a date; use YYYY-MM-DD.") }
    }

    func run() throws {
        // A parent may have started us with SIGINT/SIGTERM blocked (Foundation's Process passes
        // its thread's mask on); `serve` runs until stopped, so it must hear both.
        var stop = sigset_t()
        sigemptyset(&stop)
        sigaddset(&stop, SIGINT)
        sigaddset(&stop, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &stop, nil)
        let root = project.rootURL
        let options = BuildOptions(root: root, today: now.flatMap(Day.init) ?? .today(), printWorker: Refkit.executable)
        let state = ServeState()
        // The base URL points at this server, so that absolute links (the 404 page's) stay here.
        var local = options
        local.baseURL = "http://127.0.0.1:\(port)/"
        let watcher = Watcher(folders: ["content", "site-templates"].map { root.appendingPathComponent($0) })
        rebuild(local, state)

        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: UInt16(port)),
                                handler: SiteHandler(site: options.siteDirectory, state: state))
        Task {
            do {
                try await server.run()
            } catch {
                Terminal.plainError("refkit serve: cannot listen on 127.0.0.1:\(port): \(error.localizedDescription)")
                Foundation.exit(3)
            }
        }
        Terminal.out("Serving \(options.siteDirectory.path) at http://127.0.0.1:\(port)/ (Ctrl-C stops).")
        Terminal.out("Watching content/ and site-templates/ for changes.")
        var seen = watcher.fingerprint()
        while true {
            // Polling twice a second is enough for a person saving a file, and portable.
            Thread.sleep(forTimeInterval: 0.5)
            let current = watcher.fingerprint()
            guard current != seen else { continue }
            // Let an editor finish writing (several files, or write-then-rename) before building.
            Thread.sleep(forTimeInterval: 0.2)
            seen = watcher.fingerprint()
            Terminal.out("Change detected; rebuilding…")
            rebuild(local, state)
        }
    }

    private func rebuild(_ options: BuildOptions, _ state: ServeState) {
        do {
            let report = try Build(options: options).run()
            state.setErrors([])
            if !project.quiet {
                Terminal.out(Terminal.styled("Built", .green) + " in \(String(format: "%.2f", report.seconds)) s: \(report.written.site.written) file(s) written.")
            }
        } catch let error as any DiagnosticError {
            Terminal.error(error.diagnostics)
            state.setErrors(error.diagnostics.map(\.description))
        } catch {
            Terminal.plainError("error: \(error.localizedDescription)")
            state.setErrors([error.localizedDescription])
        }
    }
}

/// The current build errors, read by request handlers on other threads.
final class ServeState: @unchecked Sendable {
    // Guarded by `lock`.
    private var errors: [String] = []
    private let lock = NSLock()

    func setErrors(_ errors: [String]) {
        lock.lock()
        self.errors = errors
        lock.unlock()
    }

    var currentErrors: [String] {
        lock.lock()
        defer { lock.unlock() }
        return errors
    }
}

/// Notices changes in folders by the names, sizes and modification times of their files.
struct Watcher {
    let folders: [URL]

    func fingerprint() -> [String: String] {
        var out: [String: String] = [:]
        let keys: [URLResourceKey] = [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey]
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) else { continue }
            for case let url as URL in walker {
                guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { continue }
                out[url.path] = "\(values.fileSize ?? 0) \(values.contentModificationDate?.timeIntervalSince1970 ?? 0)"
            }
        }
        return out
    }
}

/// Serves files from public/ as a static host would: `index.html` for folders, a redirect
/// to add the final slash, and `404.html` with status 404 for anything missing.
struct SiteHandler: HTTPHandler {
    let site: URL
    let state: ServeState

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return HTTPResponse(statusCode: .methodNotAllowed, headers: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        let path = request.path.removingPercentEncoding ?? request.path
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        // Never outside public/: no `..`, and no hidden files.
        guard !parts.contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return notFound() }
        var file = site
        for part in parts { file.appendPathComponent(String(part)) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isFolder) else { return notFound() }
        if isFolder.boolValue {
            guard path.hasSuffix("/") else {
                return HTTPResponse(statusCode: .movedPermanently, headers: [.location: request.path + "/"])
            }
            file.appendPathComponent("index.html")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else { return notFound() }
        return respond(.ok, file.pathExtension, data)
    }

    private func notFound() -> HTTPResponse {
        let data = FileManager.default.contents(atPath: site.appendingPathComponent("404.html").path) ?? Data("Not found".utf8)
        return respond(.notFound, "html", data)
    }

    private func respond(_ status: HTTPStatusCode, _ ext: String, _ data: Data) -> HTTPResponse {
        var body = data
        let type = Self.contentTypes[ext.lowercased()] ?? "application/octet-stream"
        if ext == "html" { body = withErrors(data) }
        return HTTPResponse(statusCode: status, headers: [.contentType: type, .cacheControl: "no-store"], body: body)
    }

    /// The last build's errors as a banner at the top of the page: the page is the last good
    /// build, the banner says why the latest change is not in it.
    private func withErrors(_ page: Data) -> Data {
        let errors = state.currentErrors
        guard !errors.isEmpty, var html = String(data: page, encoding: .utf8) else { return page }
        let items = errors.map { "<li>" + Self.escape($0) + "</li>" }.joined()
        let banner = """
        <div role="alert" id="refkit-build-errors" style="background:#fff0f0;color:#5c0000;border:3px solid #b00020;padding:1rem;margin:0;font:14px/1.4 monospace;white-space:pre-wrap">\
        <strong>refkit: the last change did not build; this is the previous build.</strong><ul>\(items)</ul></div>
        """
        if let body = html.range(of: "<body>") { html.insert(contentsOf: banner, at: body.upperBound) } else { html = banner + html }
        return Data(html.utf8)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "json": "application/json", "xml": "application/xml; charset=utf-8", "txt": "text/plain; charset=utf-8",
        "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon", "woff2": "font/woff2", "woff": "font/woff",
        "pdf": "application/pdf", "webmanifest": "application/manifest+json",
    ]
}
