import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Every system call RefkitBuild makes itself, in one place, as swift-nio keeps its own
/// (NIOFileSystem's Syscalls.swift): the build's lock and the one look at the refkit binary.
/// The rest of the module speaks in paths, descriptors and `Errno`, never in `stat` structs or
/// `errno`. Each call that can be interrupted by a signal is tried again.
enum Syscalls {
    /// A failed call's `errno` (`SystemErrno`, the same in every module).
    typealias Errno = SystemErrno

    /// Whether anything is at `path`, a link at its end not followed.
    static func exists(_ path: String) -> Bool {
        var s = stat()
        return lstat(path, &s) == 0
    }

    /// Opens `path` for reading and writing, creating it with `mode` when it is missing.
    static func openOrCreate(_ path: String, mode: mode_t) throws(Errno) -> Int32 {
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno != EINTR { throw Errno() }
        }
    }

    /// Takes the exclusive lock on `fd` without waiting (`flock`); held until `unlock`, the
    /// descriptor is closed or the process ends (the kernel drops it then, so a killed build
    /// leaves no stale lock). `EWOULDBLOCK` when another process holds it.
    static func lock(_ fd: Int32) throws(Errno) {
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EINTR { throw Errno() }
        }
    }

    static func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Size, modification time (to the nanosecond) and inode of the running binary, as text;
    /// nil when `/proc/self/exe` cannot be read.
    static func executableIdentity() -> String? {
        var s = stat()
        guard stat("/proc/self/exe", &s) == 0 else { return nil }
        return "\(s.st_size) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(s.st_ino)"
    }
}
