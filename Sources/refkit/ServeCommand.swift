import ArgumentParser
import Foundation
import RefkitBuild
import RefkitModel
import RefkitPreview

#if canImport(Glibc)
import Glibc
#endif

/// `refkit serve`: build a preview into a private folder, serve it on 127.0.0.1, rebuild when
/// content/ or site-templates/ change. The project's public/ and kit/ are never written (see
/// `PreviewFolder`). A failed rebuild keeps the last good preview, prints the errors, and
/// shows them on every page until the next good build; the server keeps running.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site on this computer, rebuilding when files change.",
        discussion: """
        Builds a preview into a private folder (.refkit-preview/ in the project, removed when \
        serve stops) and serves it at http://127.0.0.1:PORT/ (this computer only). public/ and \
        kit/ are left exactly as they are: run `refkit build` to make the real site and kit. \
        Watches content/ and site-templates/, rebuilding after every change. Build errors are \
        printed here and shown at the top of every page; fix the file and save, and the page is \
        right again. Stop with Ctrl-C.

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
        let root = project.rootURL
        let options = BuildOptions(root: root, today: now.flatMap(Day.init) ?? .today(), printWorker: Refkit.executable)
        let folder = try PreviewFolder(root: root)
        StopSignals.onStop { _ in
            folder.remove()
            Terminal.out("Stopped; the preview folder was removed.")
            _exit(0)
        }
        let site = PreviewSite(folder: folder.site, port: port)
        // Listening first: a port in use is reported at once, not after a whole build.
        do {
            let server = try PreviewServer(port: port, socketPath: folder.socketPath, site: site)
            try server.start { reason in
                Terminal.plainError("refkit serve: \(reason)")
                folder.remove()
                _exit(3)
            }
        } catch {
            folder.remove()
            throw error
        }
        let address = "http://127.0.0.1:\(port)/"
        Terminal.out("Serving a preview at \(address) (Ctrl-C stops), built in \(folder.url.path).")
        Terminal.out("public/ and kit/ are not changed: run `refkit build` for the real site and kit.")
        if folder.usesPlaceholderSecret(options) {
            Terminal.out("No kit/secret yet: the preview's invite codes are placeholders; the first `refkit build` issues the real ones.")
        }
        let watcher = Watcher(folders: ["content", "site-templates"].map { root.appendingPathComponent($0) })
        var seen = watcher.fingerprint()
        rebuild(folder.options(for: options, baseURL: address), site)
        Terminal.out("Watching content/ and site-templates/ for changes.")
        while true {
            // Polling twice a second is enough for a person saving a file, and portable.
            Thread.sleep(forTimeInterval: 0.5)
            let current = watcher.fingerprint()
            guard current != seen else { continue }
            // Let an editor finish writing (several files, or write-then-rename) before building.
            Thread.sleep(forTimeInterval: 0.2)
            seen = watcher.fingerprint()
            Terminal.out("Change detected; rebuilding…")
            rebuild(folder.options(for: options, baseURL: address), site)
        }
    }

    private func rebuild(_ options: BuildOptions, _ site: PreviewSite) {
        do {
            let report = try Build(options: options).run()
            site.setErrors([])
            if !project.quiet {
                Terminal.out(Terminal.styled("Built", .green) + " the preview in \(String(format: "%.2f", report.seconds)) s: \(report.written.site.written) file(s) written.")
            }
        } catch let error as any DiagnosticError {
            Terminal.error(error.diagnostics, nothingWritten: false)
            site.setErrors(error.diagnostics.map(\.description))
        } catch {
            Terminal.plainError("error: \(error.localizedDescription)")
            site.setErrors([error.localizedDescription])
        }
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
