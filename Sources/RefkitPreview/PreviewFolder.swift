import Foundation
import RefkitBuild
import RefkitCodes

/// The private folder one `refkit serve` builds into and serves from:
/// `.refkit-preview/serve-XXXXXX/` in the project, mode 0700, with `site/` and `kit/`.
///
/// A preview never writes the project's `public/` or `kit/`: its pages link to
/// `http://127.0.0.1:PORT/`, and the drafts, merge file and postcards' QR codes its build makes
/// would too. It reads the ledger and the secret from the project's kit (`BuildOptions.ledgerKit`)
/// and writes what it issues into its own copy, so a referrer added while previewing gets a
/// code in the preview only; the next `refkit build` issues the same code for real, since codes
/// are derived from the secret. The folder stays inside the project, beside the kit, because its
/// kit is as private: a temporary folder elsewhere would spread copies of the secret and the
/// drafts. It is removed when serve stops; one left by a serve that was killed is removed by the
/// next (its lock, `flock` on `lock` inside it, died with its process).
public final class PreviewFolder: @unchecked Sendable {
    public static let parentName = ".refkit-preview"
    static let prefix = "serve-"

    public let url: URL
    public var site: URL { url.appendingPathComponent("site", isDirectory: true) }
    public var kit: URL { url.appendingPathComponent("kit", isDirectory: true) }
    private let lockDescriptor: Int32
    /// The folder itself, open for as long as the preview runs: names the Unix socket by it.
    private let folderDescriptor: Int32
    /// Codes for a project that has no secret yet: made up for this preview only, the same
    /// for all of its rebuilds, and never saved in the project.
    private let placeholderSecret: String

    public init(root: URL) throws(PreviewError) {
        let parent = root.standardizedFileURL.appendingPathComponent(Self.parentName, isDirectory: true)
        do { try Syscalls.makeFolder(parent.path, mode: 0o700) } catch {
            throw PreviewError("cannot create the preview folder: \(error.reason)", path: parent.path,
                               fix: "check that the project folder is writable")
        }
        guard Syscalls.isFolder(parent.path) else {
            throw PreviewError("is not a folder", path: parent.path, fix: "delete it; refkit serve makes it again")
        }
        Self.removeAbandoned(in: parent)
        let made: String
        do { made = try Syscalls.makeUniqueFolder(parent.path + "/" + Self.prefix) } catch {
            throw PreviewError("cannot create the preview folder: \(error.reason)", path: parent.path,
                               fix: "check that the project folder is writable and the disk is not full")
        }
        url = URL(fileURLWithPath: made, isDirectory: true)
        do {
            lockDescriptor = try Syscalls.open(url.appendingPathComponent("lock").path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode: 0o600)
            try Syscalls.lock(lockDescriptor)
        } catch {
            throw PreviewError("cannot lock the preview folder: \(error.reason)", path: url.path)
        }
        do { folderDescriptor = try Syscalls.open(url.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) } catch {
            throw PreviewError("cannot open the preview folder: \(error.reason)", path: url.path)
        }
        placeholderSecret = Secret.randomBytes().map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    }

    /// Where FlyingFox listens: a Unix socket inside this folder (0700, so only this user can
    /// reach it), named through `/proc/self/fd` because a socket's path must fit in 108 bytes
    /// and the project's may not.
    public var socketPath: String { "/proc/self/fd/\(folderDescriptor)/http.sock" }

    /// The options of a preview build of `project` served at `baseURL`: into this folder,
    /// reading the ledger and secret from the project's kit.
    public func options(for project: BuildOptions, baseURL: String) -> BuildOptions {
        var options = project
        options.siteDirectory = site
        options.kitDirectory = kit
        options.ledgerKit = project.kitDirectory
        options.baseURL = baseURL
        if usesPlaceholderSecret(project) { options.environment[Secret.environmentVariable] = placeholderSecret }
        return options
    }

    /// Whether the project has no secret yet (none in the environment, no `kit/secret`), so
    /// the preview shows made-up codes; the first `refkit build` makes the real ones.
    public func usesPlaceholderSecret(_ project: BuildOptions) -> Bool {
        let fromEnvironment = project.environment[Secret.environmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return fromEnvironment.isEmpty && !FileManager.default.fileExists(atPath: project.kitDirectory.appendingPathComponent(Secret.kitPath).path)
    }

    /// Deletes the folder (links inside it are deleted, never followed).
    public func remove() {
        // Twice: a background `rm` of an old output inside it may race the first pass.
        for _ in 0..<2 where FileManager.default.fileExists(atPath: url.path) {
            try? FileManager.default.removeItem(at: url)
        }
        Syscalls.close(lockDescriptor)
        Syscalls.close(folderDescriptor)
        // The parent too, when no other serve of the project uses it.
        Syscalls.removeFolder(url.deletingLastPathComponent().path)
    }

    private static func age(_ folder: URL) -> TimeInterval {
        let modified = (try? FileManager.default.attributesOfItem(atPath: folder.path)[.modificationDate]) as? Date
        return modified.map { -$0.timeIntervalSinceNow } ?? 0
    }

    /// Removes the folders of serves that are gone: those whose lock nobody holds.
    static func removeAbandoned(in parent: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            let folder = parent.appendingPathComponent(name)
            let fd = try? Syscalls.open(folder.appendingPathComponent("lock").path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
            defer { if let fd { Syscalls.close(fd) } }
            // No lock file: its serve was killed before making one, or (for a moment after
            // `mkdtemp`) has not made it yet, hence the minute's grace.
            let unlocked = if let fd { (try? Syscalls.lock(fd)) != nil } else { Self.age(folder) > 60 }
            if unlocked {
                try? FileManager.default.removeItem(at: folder)
            }
        }
    }
}
