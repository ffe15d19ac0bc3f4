import CRefkitSystem
import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Every system call RefkitPrint makes itself, in one place, as swift-nio keeps its own
/// (NIOFileSystem's Syscalls.swift): starting and waiting for the print workers and
/// Ghostscript, the workers' socket, and Ghostscript's private folder. The rest of the module
/// speaks in paths, descriptors, `Termination` and `Errno`; a call a signal can interrupt is
/// tried again.
enum Syscalls {
    /// A failed call's error number (`errno`, or what `posix_spawn` returns), read at once
    /// (`SystemErrno`, the same in every module).
    typealias Errno = SystemErrno

    // MARK: - Processes

    /// What a started process is given in place of the caller's descriptors.
    enum FileAction {
        /// `path` opened with `flags` (and `mode`, when it is created) as descriptor `fd`.
        case open(Int32, String, flags: Int32, mode: mode_t = 0)
        /// Descriptor `fd` made a copy of `from`. `dup2` clears close-on-exec on the copy, so
        /// it crosses the exec even when `from` does not.
        case duplicate(Int32, as: Int32)
    }

    /// Starts `arguments` (the program first: a path, or a name looked up on PATH when
    /// `searchPath`) with `files` applied and every descriptor from `closingFrom` up closed, so
    /// that sockets a library opened without close-on-exec (FlyingSocks' in `refkit serve`)
    /// never leak into the child (glibc ≥ 2.34). `environment` is `NAME=value` lines; nil
    /// passes refkit's own. Returns the child's process id.
    static func spawn(_ arguments: [String], searchPath: Bool = false, files: [FileAction], closingFrom: Int32,
                      environment: [String]? = nil) throws(Errno) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for file in files {
            switch file {
            case let .open(fd, path, flags, mode): posix_spawn_file_actions_addopen(&actions, fd, path, flags, mode)
            case let .duplicate(from, fd): posix_spawn_file_actions_adddup2(&actions, from, fd)
            }
        }
        crefkit_spawn_close_from(&actions, closingFrom)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp = environment.map { $0.map { strdup($0) } + [nil] }
        defer { for pointer in envp ?? [] { free(pointer) } }
        var pid: pid_t = 0
        func start(_ envp: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
            searchPath ? posix_spawnp(&pid, arguments[0], &actions, nil, argv, envp)
                : posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        }
        let status = if let envp { start(envp) } else { start(environ) }
        guard status == 0 else { throw Errno(status) }
        return pid
    }

    /// How a child process ended.
    enum Termination: Equatable {
        case exited(Int32)
        case signalled(Int32)

        /// The shell's way of saying it: the exit status, or 128 + the signal's number.
        var shellStatus: Int32 {
            switch self {
            case let .exited(status): status
            case let .signalled(signal): 128 + signal
            }
        }

        var description: String {
            switch self {
            case let .exited(status): return "exited with status \(status)"
            case let .signalled(signal):
                let name = strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
                return "was stopped by signal \(signal) (\(name))"
            }
        }
    }

    /// Waits for the child `pid` to end.
    static func wait(for pid: pid_t) -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED and friends are macros Swift cannot call: the low 7 bits are the signal.
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }

    // MARK: - Sockets

    /// A connected pair of Unix stream sockets, both close-on-exec.
    static func socketPair() throws(Errno) -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else { throw Errno() }
        return (fds[0], fds[1])
    }

    /// Sends all of `bytes` on the socket `fd`. `MSG_NOSIGNAL`: a peer that has gone away is
    /// `EPIPE` to report, not a `SIGPIPE` that would kill refkit without a word.
    static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                throw Errno()
            }
            offset += n
        }
    }

    /// Reads what is there into `bytes`, up to its size; 0 at the end of the stream.
    static func read(_ fd: Int32, into bytes: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        while true {
            let n = Glibc.read(fd, bytes.baseAddress!, bytes.count)
            if n >= 0 { return n }
            if errno != EINTR { throw Errno() }
        }
    }

    static func close(_ fd: Int32) {
        if fd >= 0 { _ = Glibc.close(fd) }
    }

    // MARK: - Folders

    /// Makes a new folder `prefix` + six random characters (`mkdtemp`, mode 0700) and returns
    /// its path.
    static func makeUniqueFolder(_ prefix: String) throws(Errno) -> String {
        var template = Array((prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw Errno() }
        return String(cString: made)
    }
}
