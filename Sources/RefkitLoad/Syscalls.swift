import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The few file-system calls the loader makes, in one place. Foundation's `fileExists` and
/// `Data(contentsOf:)` follow links without saying so and block forever on a named pipe, so
/// the loader asks the system directly: what a path is without following it (`lstat`), where a
/// link finally leads (`realpath`), and the bytes of a file that is regular when opened.
enum Syscalls {
    /// What a path is, not following a link at its end.
    enum Kind: Equatable {
        case regular, directory, link, missing
        /// A named pipe, socket or device: reading one can block forever or never end.
        case special(String)

        var name: String {
            switch self {
            case .regular: "a file"
            case .directory: "a folder"
            case .link: "a link"
            case .missing: "missing"
            case let .special(name): name
            }
        }
    }

    static func kind(ofLink path: String) -> Kind { kind(path, follow: false) }

    static func kind(following path: String) -> Kind { kind(path, follow: true) }

    private static func kind(_ path: String, follow: Bool) -> Kind {
        var s = stat()
        guard (follow ? stat(path, &s) : lstat(path, &s)) == 0 else { return .missing }
        return kind(mode: s.st_mode)
    }

    private static func kind(mode: mode_t) -> Kind {
        switch mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .link
        case S_IFIFO: .special("a named pipe (FIFO)")
        case S_IFSOCK: .special("a socket")
        case S_IFCHR, S_IFBLK: .special("a device")
        default: .special("not a regular file")
        }
    }

    /// The text of a link, as written (`../../kit/secret`).
    static func linkText(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    enum Resolved {
        case path(String)
        /// The link, or one it leads to, points at nothing.
        case dangling
        /// Links that lead to each other (ELOOP).
        case loop
    }

    /// The absolute path a link finally leads to, every link on the way followed.
    static func resolve(_ path: String) -> Resolved {
        guard let resolved = realpath(path, nil) else { return errno == ELOOP ? .loop : .dangling }
        defer { free(resolved) }
        return .path(String(cString: resolved))
    }

    enum ReadError: Error {
        case notRegular(Kind)
        /// The file has this many names (hard links): one of them may be in the kit.
        case hardLinked(Int)
        case failed(String)
    }

    /// The bytes of a regular file. Opened without following a link (the caller resolved it)
    /// and without blocking, then checked to be regular on the open descriptor, so a file
    /// swapped for a link or a pipe after it was looked at is refused rather than read.
    static func readRegularFile(_ path: String, refusingHardLinks: Bool = false) -> Result<Data, ReadError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ELOOP { return .failure(.notRegular(.link)) }
            return .failure(.failed(String(cString: strerror(errno))))
        }
        defer { close(fd) }
        var s = stat()
        guard fstat(fd, &s) == 0 else { return .failure(.failed(String(cString: strerror(errno)))) }
        guard kind(mode: s.st_mode) == .regular else { return .failure(.notRegular(kind(mode: s.st_mode))) }
        if refusingHardLinks, s.st_nlink > 1 { return .failure(.hardLinked(Int(s.st_nlink))) }
        func readSome(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
            while true {
                let n = read(fd, buffer.baseAddress!, buffer.count)
                if n < 0, errno == EINTR { continue }
                return n
            }
        }
        // The size seen first, then to the end: a file that grows while it is read is taken
        // whole, and one that shrinks is cut where it ends.
        var data = Data(count: Int(s.st_size))
        var filled = 0
        while filled < data.count {
            let n = data.withUnsafeMutableBytes { readSome(UnsafeMutableRawBufferPointer(rebasing: $0[filled...])) }
            if n < 0 { return .failure(.failed(String(cString: strerror(errno)))) }
            if n == 0 { break }
            filled += n
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while filled == data.count {
            let n = chunk.withUnsafeMutableBytes { readSome($0) }
            if n < 0 { return .failure(.failed(String(cString: strerror(errno)))) }
            if n == 0 { break }
            data.append(contentsOf: chunk[..<n])
            filled += n
        }
        data.count = filled
        return .success(data)
    }
}
