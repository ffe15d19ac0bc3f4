import ArgumentParser
import Foundation
import RefkitBuild
import RefkitDeploy
import RefkitModel
import RefkitPreview

/// `refkit serve`: build a preview into a private folder, serve it on 127.0.0.1, rebuild when
/// content/ or site-templates/ change, and tell the open pages (live reload). The project's
/// public/ and kit/ are never written (see `PreviewFolder`). A failed rebuild keeps the last
/// good preview, prints the errors, and shows them on every page until the next good build;
/// the server keeps running.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site on this computer, rebuilding when files change.",
        discussion: """
        Builds a preview into a private folder (.refkit-preview/ in the project, removed when \
        serve stops) and serves it at http://127.0.0.1:PORT/ (this computer only). public/ and \
        kit/ are left exactly as they are: run `refkit build` to make the real site and kit. \
        Watches content/ and site-templates/, rebuilding after every change; open pages reload \
        by themselves (a change to a stylesheet only swaps it, without a reload). Build errors \
        are printed here and shown at the top of every page; fix the file and save, and the \
        page is right again. The preview sends the security headers of `--target netlify`, \
        the Content-Security-Policy included. A port in use moves to the next free one. Stop \
        with Ctrl-C.

        Examples:
          refkit serve
          refkit serve --port 8080 --root my-bakery
          refkit serve --bind 192.168.1.20    (a phone on the same network; see the warning)
        """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("The port to listen on; the next free one when it is in use.", valueName: "n"))
    var port: Int = 8000

    @Option(help: ArgumentHelp("The IP address to listen on: 127.0.0.1 (this computer only), another of this computer's addresses, or 0.0.0.0 for all of them.",
                               valueName: "address"))
    var bind: String = BindAddress.loopback

    @Option(help: ArgumentHelp("Today's date for deadlines and issue dates.", valueName: "YYYY-MM-DD"))
    var now: String?

    func validate() throws {
        if !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535.") }
        if !BindAddress.isIPv4(bind) && !BindAddress.isIPv6(bind) {
            throw ValidationError("--bind \"\(bind)\" is not an IP address; write one such as 127.0.0.1, 192.168.1.20 or 0.0.0.0.")
        }
        if let now, Day(now) == nil { throw ValidationError("--now \"\(now)\" is not a date; use YYYY-MM-DD.") }
    }

    func run() throws {
        let root = project.rootURL
        let options = BuildOptions(root: root, today: now.flatMap(Day.init) ?? .today(), printWorker: Refkit.executable)
        let folder = try PreviewFolder(root: root)
        StopSignals.onStop { _ in
            folder.remove()
            Terminal.out("Stopped; the preview folder was removed.")
            Syscalls.exitNow(0)
        }
        let live = LiveReload()
        let (site, port) = try listen(folder, live)
        let address = "http://\(BindAddress.urlHost(bind)):\(port)/"
        if !BindAddress.isLoopback(bind) {
            Terminal.plainError("warning: --bind \(bind) lets other computers on the network open the preview, and its personal pages carry referrers' names and invite codes; use it on a network you trust and stop serve when done.")
        }
        Terminal.out("Serving a preview at \(address) (Ctrl-C stops), built in \(folder.url.path).")
        Terminal.out("public/ and kit/ are not changed: run `refkit build` for the real site and kit.")
        if folder.usesPlaceholderSecret(options) {
            Terminal.out("No kit/secret yet: the preview's invite codes are placeholders; the first `refkit build` issues the real ones.")
        }
        let watcher = Watcher(folders: ["content", "site-templates"].map { root.appendingPathComponent($0) })
        var seen = watcher.fingerprint()
        rebuild(folder.options(for: options, baseURL: address), site, stylesheetsOnly: false)
        Terminal.out("Watching content/ and site-templates/ for changes.")
        while true {
            // Polling twice a second is enough for a person saving a file, and portable.
            Thread.sleep(forTimeInterval: 0.5)
            let current = watcher.fingerprint()
            guard current != seen else { continue }
            // Let an editor finish writing (several files, or write-then-rename) before building.
            Thread.sleep(forTimeInterval: 0.2)
            let settled = watcher.fingerprint()
            let changed = Watcher.changes(from: seen, to: settled)
            seen = settled
            Terminal.out("Change detected; rebuilding…")
            rebuild(folder.options(for: options, baseURL: address), site,
                    stylesheetsOnly: !changed.isEmpty && changed.allSatisfy { $0.lowercased().hasSuffix(".css") })
        }
    }

    /// Listens on `bind` at `--port`, or the next free port when it is in use (saying which),
    /// before any build: a port problem shows at once.
    private func listen(_ folder: PreviewFolder, _ live: LiveReload) throws -> (PreviewSite, Int) {
        var candidate = port
        while true {
            let site = PreviewSite(folder: folder.site, port: candidate, bind: bind, live: live)
            do {
                let server = try PreviewServer(port: candidate, bind: bind, socketPath: folder.socketPath, site: site)
                try server.start { reason in
                    Terminal.plainError("refkit serve: \(reason)")
                    folder.remove()
                    Syscalls.exitNow(3)
                }
                if candidate != port { Terminal.out("Port \(port) is in use; serving on port \(candidate) instead.") }
                return (site, candidate)
            } catch where error.portInUse != nil && candidate < min(port + 100, 65535) {
                candidate += 1
            } catch {
                folder.remove()
                throw error
            }
        }
    }

    private func rebuild(_ options: BuildOptions, _ site: PreviewSite, stylesheetsOnly: Bool) {
        do {
            let report = try Build(options: options).run()
            if let settings = report.siteSettings {
                // The headers `--target netlify` publishes for this site.yaml, CSP included.
                site.setSecurityHeaders(common: SecurityHeaders(site: settings).common, personal: SecurityHeaders.personal)
            }
            site.live.built(stylesheetsOnly: stylesheetsOnly)
            if !project.quiet {
                Terminal.out(Terminal.styled("Built", .green) + " the preview in \(String(format: "%.2f", report.seconds)) s: \(report.written.site.written) file(s) written"
                             + (stylesheetsOnly ? "; open pages swap their stylesheets." : "; open pages reload."))
            }
        } catch let error as any DiagnosticError {
            Terminal.error(error.diagnostics, nothingWritten: false)
            site.live.failed(error.diagnostics.map(\.description))
        } catch {
            Terminal.plainError("error: \(error.localizedDescription)")
            site.live.failed([error.localizedDescription])
        }
    }
}

/// Notices changes in folders by the names, sizes and modification times of their files.
struct Watcher {
    let folders: [URL]

    /// The files added, removed or changed between two fingerprints.
    static func changes(from old: [String: String], to new: [String: String]) -> [String] {
        Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }

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
