import CRefkitSystem
import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Every system call the bench makes itself, in one place, as swift-nio keeps its own
/// (NIOFileSystem's Syscalls.swift): the write floor's plain file writes, the free space of
/// the work folder's disk, and the memory figures. The rest of RefkitBench speaks in paths,
/// byte counts and `Errno`; a call a signal can interrupt is tried again.
enum Syscalls {
    /// A failed call's `errno` (`SystemErrno`, the same in every module).
    typealias Errno = SystemErrno

    // MARK: - The write floor

    /// Makes the folder `path` (its parent must exist); one already there is fine.
    static func makeFolder(_ path: String) throws(Errno) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw Errno() }
    }

    /// Writes the first `count` of `bytes` to the file `path`, created or emptied first, with
    /// plain open/write/close: the floor a renderer's writes are measured against.
    static func writeFile(_ path: String, _ bytes: [UInt8], count: Int) throws(Errno) {
        var fd: Int32
        repeat { fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw Errno() }
        defer { close(fd) }
        let failure: Errno? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < count {
                let n = write(fd, buffer.baseAddress! + offset, count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return Errno()
                }
                offset += n
            }
            return nil
        }
        if let failure { throw failure }
    }

    // MARK: - Disk

    /// The bytes an unprivileged process may still write on the file system of `path`
    /// (`statvfs`'s available blocks, not its free ones: the root's reserve is not ours).
    static func availableBytes(_ path: String) throws(Errno) -> Int {
        var s = statvfs()
        while statvfs(path, &s) != 0 {
            if errno != EINTR { throw Errno() }
        }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }

    // MARK: - Memory

    /// The largest resident set of this process (`RUSAGE_SELF`) or of its waited-for children
    /// (`RUSAGE_CHILDREN`), in bytes.
    static func peakResidentBytes(children: Bool) -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t((children ? RUSAGE_CHILDREN : RUSAGE_SELF).rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// Hands the heap pages glibc keeps after `free` back to the system (`malloc_trim(0)`).
    static func releaseFreedMemory() {
        _ = crefkit_release_freed_memory()
    }
}
