import Foundation

/// Reads files of the preview's site folder the way a careful static host does: only regular
/// files and folders inside it, never through a symbolic link at any depth.
///
/// Each name is opened relative to the folder before it (`openat` with `O_NOFOLLOW`), from
/// the site folder down, so no link, `..` or rename between a check and a read can lead out
/// of it, and FIFOs and devices are never read (`O_NONBLOCK`, then `fstat`).
struct SiteFolder {
    let path: String

    enum Lookup: Equatable {
        case file(name: String, bytes: [UInt8])
        /// A folder asked for without its final slash.
        case folder
        case missing
        /// The site folder itself cannot be opened: no build has finished yet.
        case unavailable
    }

    /// Files above this size are not served: a preview's pages and assets are far smaller.
    static let maxFileSize = 256 * 1024 * 1024

    /// Looks up decoded path segments (each a name, never empty, `.` or `..`); `folderForm`
    /// says the URL ended with a slash, so the last segment names a folder and its
    /// `index.html` is meant.
    func lookup(_ segments: [[UInt8]], folderForm: Bool) -> Lookup {
        guard var folder = try? Syscalls.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) else { return .unavailable }
        defer { Syscalls.close(folder) }
        let folders = folderForm ? segments[...] : segments.dropLast()
        for name in folders {
            guard let next = Syscalls.openAt(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) else { return .missing }
            Syscalls.close(folder)
            folder = next
        }
        let last = folderForm || segments.isEmpty ? Array("index.html".utf8) : segments.last!
        guard let fd = Syscalls.openAt(folder, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) else { return .missing }
        defer { Syscalls.close(fd) }
        switch Syscalls.kind(of: fd) {
        case .directory:
            return folderForm || segments.isEmpty ? .missing : .folder
        case let .regular(size):
            guard size <= Self.maxFileSize, let bytes = Syscalls.read(fd, size: size) else { return .missing }
            return .file(name: String(decoding: last, as: UTF8.self), bytes: bytes)
        case .other, nil:
            return .missing
        }
    }
}
