import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Every system call `refkit serve` makes itself, in one place (the sockets are FlyingSocks',
/// but for a half-close): the preview folder's lock, the careful reads of the site folder, the
/// bind address check and the stop signals. The rest of RefkitPreview speaks in paths, descriptors and `Errno`.
enum Syscalls {
    /// A failed call's `errno` (`SystemErrno`, the same in every module).
    typealias Errno = SystemErrno

    // MARK: - Folders and locks

    /// Makes the folder `path` (its parent must exist); one already there is fine.
    static func makeFolder(_ path: String, mode: mode_t) throws(Errno) {
        guard mkdir(path, mode) == 0 || errno == EEXIST else { throw Errno() }
    }

    /// Whether `path` is a folder, a link at its end not followed.
    static func isFolder(_ path: String) -> Bool {
        var s = stat()
        return lstat(path, &s) == 0 && (s.st_mode & S_IFMT) == S_IFDIR
    }

    /// Makes a new folder `prefix` + six random characters (`mkdtemp`, mode 0700) and returns
    /// its path.
    static func makeUniqueFolder(_ prefix: String) throws(Errno) -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw Errno() }
        return String(cString: made)
    }

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0) throws(Errno) -> Int32 {
        let fd = Glibc.open(path, flags, mode)
        guard fd >= 0 else { throw Errno() }
        return fd
    }

    /// Takes the exclusive lock on `fd` without waiting (`flock`); held until the descriptor is
    /// closed or the process ends.
    static func lock(_ fd: Int32) throws(Errno) {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw Errno() }
    }

    static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    /// Removes the folder `path` when it is empty.
    static func removeFolder(_ path: String) {
        _ = rmdir(path)
    }

    // MARK: - Reading the site folder

    /// Opens `name` inside the folder open as `folder`; nil when it cannot be.
    static func openAt(_ folder: Int32, _ name: [UInt8], _ flags: Int32) -> Int32? {
        let fd = (name + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { openat(folder, $0.baseAddress!, flags) }
        }
        return fd >= 0 ? fd : nil
    }

    enum Kind { case regular(size: Int), directory, other }

    /// What the open descriptor `fd` is; nil when `fstat` fails.
    static func kind(of fd: Int32) -> Kind? {
        var s = stat()
        guard fstat(fd, &s) == 0 else { return nil }
        switch s.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regular(size: Int(s.st_size))
        default: return .other
        }
    }

    /// Exactly `size` bytes from `fd`; nil when it ends sooner or a read fails.
    static func read(_ fd: Int32, size: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, size - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }

    // MARK: - Addresses

    /// Whether `inet_pton` reads `text` as an address of the family (`AF_INET`, `AF_INET6`).
    static func isAddress(_ text: String, family: Int32) -> Bool {
        var address = in6_addr() // large enough for either family
        return inet_pton(family, text, &address) == 1
    }

    /// Ends the writing side of the socket `fd` (`shutdown(SHUT_WR)`): the other end reads the
    /// end of the answer while this end can still read.
    static func shutdownWrites(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    // MARK: - Stop signals

    /// A pipe: its read end and its write end.
    static func makePipe() -> (read: Int32, write: Int32)? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        return (fds[0], fds[1])
    }

    /// Installs `handler` for each of `numbers` and unblocks them: a parent may have started
    /// refkit with them blocked (Foundation's Process passes its thread's mask on).
    static func handle(_ numbers: [Int32], with handler: @convention(c) (Int32) -> Void) {
        for number in numbers { signal(number, handler) }
        var mask = sigset_t()
        sigemptyset(&mask)
        for number in numbers { sigaddset(&mask, number) }
        sigprocmask(SIG_UNBLOCK, &mask, nil)
    }

    /// Writes one byte: the only call a signal handler makes.
    static func writeByte(_ fd: Int32, _ byte: UInt8) {
        var byte = byte
        _ = Glibc.write(fd, &byte, 1)
    }

    /// Waits for one byte on `fd` (0 when it closed or failed).
    static func readByte(_ fd: Int32) -> UInt8 {
        var byte: UInt8 = 0
        while Glibc.read(fd, &byte, 1) < 0, errno == EINTR {}
        return byte
    }
}
