#if canImport(Glibc)
import Glibc
#endif

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
        let root = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard root >= 0 else { return .unavailable }
        var folder = root
        defer { close(folder) }
        let folders = folderForm ? segments[...] : segments.dropLast()
        for name in folders {
            let next = Self.openAt(folder, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { return .missing }
            close(folder)
            folder = next
        }
        let last = folderForm || segments.isEmpty ? Array("index.html".utf8) : segments.last!
        let fd = Self.openAt(folder, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .missing }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0 else { return .missing }
        switch s.st_mode & S_IFMT {
        case S_IFDIR:
            return folderForm || segments.isEmpty ? .missing : .folder
        case S_IFREG:
            guard Int(s.st_size) <= Self.maxFileSize, let bytes = Self.readAll(fd, size: Int(s.st_size)) else { return .missing }
            return .file(name: String(decoding: last, as: UTF8.self), bytes: bytes)
        default:
            return .missing
        }
    }

    private static func openAt(_ folder: Int32, _ name: [UInt8], _ flags: Int32) -> Int32 {
        (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { openat(folder, $0.baseAddress!, flags) }
        }
    }

    private static func readAll(_ fd: Int32, size: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + done, size - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }
}
