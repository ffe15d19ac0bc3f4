import CRefkitSystem
import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Every system call the writer makes, in one place, as swift-nio keeps its own
/// (NIOFileSystem's Syscalls.swift): the rest of RefkitWrite speaks in paths, `Status` values
/// and `Errno`, never in `stat` structs, descriptors or `errno`.
///
/// The writer asks the system directly rather than through `FileManager` where it matters:
/// `lstat` never follows a link (a link the user left in an adopted spare must not be
/// written through), `O_EXCL` never writes into an existing file (in a spare it may be a hard
/// link to a file of the live site), `readdir`'s types save a `stat` per entry, and at 100,000
/// files Foundation's URL arithmetic costs more than the calls themselves.
enum Syscalls {
    /// A failed call's `errno` (`SystemErrno`, the same in every module).
    typealias Errno = SystemErrno

    /// What `lstat` (or `stat`) says of a path.
    struct Status {
        enum Kind { case regular, directory, link, other }
        let kind: Kind
        let size: Int
        /// Nanoseconds since the epoch: the manifest records times to the nanosecond.
        let mtime: Int
        let device: UInt
        let inode: UInt

        fileprivate init(_ s: stat) {
            switch s.st_mode & S_IFMT {
            case S_IFREG: kind = .regular
            case S_IFDIR: kind = .directory
            case S_IFLNK: kind = .link
            default: kind = .other
            }
            size = Int(s.st_size)
            mtime = Int(s.st_mtim.tv_sec) * 1_000_000_000 + Int(s.st_mtim.tv_nsec)
            device = UInt(s.st_dev)
            inode = UInt(s.st_ino)
        }

        var isDirectory: Bool { kind == .directory }

        /// The same file (not just the same bytes): one inode on one device.
        func isSameFile(as other: Status) -> Bool { device == other.device && inode == other.inode }
    }

    /// What `path` is, a link at its end not followed; nil when nothing is there.
    static func status(_ path: String) -> Status? {
        var s = stat()
        guard lstat(path, &s) == 0 else { return nil }
        return Status(s)
    }

    /// The same for a path already spelled as a C string, for the loops that check 100,000
    /// files (`isUpToDate`) and build each path in a reused buffer.
    static func status(_ path: UnsafePointer<CChar>) -> Status? {
        var s = stat()
        guard lstat(path, &s) == 0 else { return nil }
        return Status(s)
    }

    /// What `path` leads to, every link followed; nil when nothing is there.
    static func status(following path: String) -> Status? {
        var s = stat()
        guard stat(path, &s) == 0 else { return nil }
        return Status(s)
    }

    /// The absolute path `path` leads to, every link followed; nil when some part is missing.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Creates the file `path` with `bytes`, never opening an existing one (`O_EXCL`).
    static func createFile(_ path: String, _ bytes: Data, mode: mode_t) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Errno().writeError(path, "cannot create the file") }
        defer { close(fd) }
        let failure: Errno? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return Errno()
                }
                offset += n
            }
            return nil
        }
        if let failure { throw failure.writeError(path, "cannot write the file") }
    }

    /// Makes the folder `path` (its parent must exist); one already there is fine.
    static func makeFolder(_ path: String, mode: mode_t = 0o755) throws(Errno) {
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw Errno() }
    }

    /// Removes the file or link `path`; returns whether it did.
    @discardableResult
    static func removeFile(_ path: String) -> Bool { unlink(path) == 0 }

    /// Removes the folder `path` when it is empty; returns whether it did.
    @discardableResult
    static func removeFolder(_ path: String) -> Bool { rmdir(path) == 0 }

    static func rename(_ from: String, to: String) throws(Errno) {
        guard Glibc.rename(from, to) == 0 else { throw Errno() }
    }

    /// Swaps two paths in one step (`renameat2` with `RENAME_EXCHANGE`); `EINVAL` where the file
    /// system cannot.
    static func exchange(_ a: String, _ b: String) throws(Errno) {
        guard crefkit_exchange_paths(a, b) == 0 else { throw Errno() }
    }

    /// Makes `new` a hard link to `existing`.
    static func hardLink(_ existing: String, at new: String) throws(Errno) {
        guard link(existing, new) == 0 else { throw Errno() }
    }

    /// A file opened for reading with `read(at:count:)`, closed on `close()` or when it goes.
    final class ReadableFile {
        let path: String
        fileprivate var fd: Int32

        init?(_ path: String) {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            self.path = path
        }

        /// `count` bytes at `offset`; nil when the file ends sooner or a read fails.
        func read(at offset: Int, count: Int) -> Data? {
            guard fd >= 0 else { return nil }
            var bytes = Data(count: count)
            let done = bytes.withUnsafeMutableBytes { buffer -> Int in
                var done = 0
                while done < count {
                    let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { break }
                    done += n
                }
                return done
            }
            return done == count ? bytes : nil
        }

        func close() {
            if fd >= 0 { Glibc.close(fd) }
            fd = -1
        }

        deinit { close() }
    }

    /// A new file written from the start: appended bytes, and byte ranges of another file
    /// copied in the kernel. Closed on `close()` or when it goes.
    final class WritableFile {
        let path: String
        private var fd: Int32

        /// Creates the file `path`, never opening an existing one (`O_EXCL`).
        init(creating path: String, mode: mode_t) throws(WriteError) {
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            guard fd >= 0 else { throw Errno().writeError(path, "cannot create the file") }
            self.path = path
        }

        func write(_ bytes: Data) throws(Errno) {
            let failure: Errno? = bytes.withUnsafeBytes { buffer in
                var done = 0
                while done < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        return Errno()
                    }
                    done += n
                }
                return nil
            }
            if let failure { throw failure }
        }

        /// Appends `count` bytes of `source` from `offset` with `copy_file_range`, which copies
        /// inside the kernel (on ext4 from page cache to page cache; on XFS or Btrfs it shares
        /// the extents). Where the kernel or file system cannot, the bytes are read and written.
        /// `EIO` when `source` ends before `offset + count`.
        func copy(from source: ReadableFile, at offset: Int, count: Int) throws(Errno) {
            var position = off_t(offset)
            var left = count
            while left > 0 {
                let n = crefkit_copy_file_range(source.fd, &position, fd, left)
                if n > 0 {
                    left -= n
                    continue
                }
                if n == 0 { throw Errno(EIO) }
                switch errno {
                case EINTR: continue
                case EXDEV, ENOSYS, EINVAL, EOPNOTSUPP:
                    try copyByReading(from: source, at: Int(position), count: left)
                    return
                default: throw Errno()
                }
            }
        }

        private func copyByReading(from source: ReadableFile, at offset: Int, count: Int) throws(Errno) {
            let step = 1 << 20
            var done = 0
            while done < count {
                guard let bytes = source.read(at: offset + done, count: min(step, count - done)) else { throw Errno(EIO) }
                try write(bytes)
                done += bytes.count
            }
        }

        func close() throws(Errno) {
            guard fd >= 0 else { return }
            let result = Glibc.close(fd)
            fd = -1
            guard result == 0 else { throw Errno() }
        }

        deinit { if fd >= 0 { Glibc.close(fd) } }
    }

    /// An entry of a folder, with the type `readdir` gave (or, on file systems that do not say,
    /// `lstat`).
    struct Entry {
        let name: String
        let kind: Status.Kind
    }

    /// The entries of `folder` but `.` and `..`, in `readdir`'s order; nil when it cannot be
    /// opened. An entry gone before its type could be read is left out.
    static func entries(of folder: String) -> [Entry]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        var out: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            let kind: Status.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_REG): kind = .regular
            case Int32(DT_LNK): kind = .link
            case Int32(DT_UNKNOWN):
                guard let status = status(folder + "/" + name) else { continue }
                kind = status.kind
            default: kind = .other
            }
            out.append(Entry(name: name, kind: kind))
        }
        return out
    }

    /// Runs `arguments` (a program's path first) in a new session with /dev/null for its
    /// standard streams, and waits for it; returns whether it started and exited with 0.
    static func runInNewSession(_ arguments: [String]) -> Bool {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, crefkit_spawn_setsid_flag())
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ) == 0 else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return false }
        }
        return status == 0
    }
}

extension SystemErrno {
    /// The writer's error for `path`: what failed and why, and a fix that fits the cause.
    func writeError(_ path: String, _ what: String) -> WriteError {
        WriteError(path, "\(what): \(reason)",
                   fix: code == ENOSPC ? "free some disk space and build again" : "check the folder's permissions and build again")
    }
}
