import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Every system call the command line makes itself, in one place, as swift-nio keeps its own
/// (NIOFileSystem's Syscalls.swift): whether a stream is a terminal, echo off at the password
/// prompt and the signal handlers that put it back, the print worker's socket check, and the
/// immediate exit of `refkit serve`. The commands speak in descriptors, `TerminalSettings` and
/// `SignalAction`, never in `termios` or `sigaction` structs.
enum Syscalls {
    /// Whether the descriptor `fd` is a terminal.
    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Whether the descriptor `fd` is open (`fcntl(F_GETFD)` succeeds).
    static func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) >= 0 }

    /// Ends the process at once with `status` (`_exit`): no `atexit` handlers, no flushing of
    /// C streams, nothing that could wait on another thread that holds a lock; for a signal's
    /// way out and a server that failed under the main loop.
    static func exitNow(_ status: Int32) -> Never { _exit(status) }

    // MARK: - Terminal settings

    /// A terminal's settings (`termios`), read with `terminalSettings(of:)`.
    struct TerminalSettings {
        fileprivate var raw = termios()

        /// The same settings with typing not shown, but the newline that ends a line still
        /// echoed (`ECHONL`) so the next output starts on a line of its own.
        var withoutEcho: TerminalSettings {
            var quiet = self
            quiet.raw.c_lflag &= ~tcflag_t(ECHO)
            quiet.raw.c_lflag |= tcflag_t(ECHONL)
            return quiet
        }
    }

    /// The settings of the terminal on `fd`; nil when it is not one.
    static func terminalSettings(of fd: Int32) -> TerminalSettings? {
        var settings = TerminalSettings()
        return tcgetattr(fd, &settings.raw) == 0 ? settings : nil
    }

    /// Gives the terminal on `fd` `settings`: after what was typed ahead is thrown away
    /// (`TCSAFLUSH`), or at once (`TCSANOW`, the only way a signal handler may).
    static func setTerminalSettings(_ settings: TerminalSettings, of fd: Int32, now: Bool = false) {
        var settings = settings
        _ = tcsetattr(fd, now ? TCSANOW : TCSAFLUSH, &settings.raw)
    }

    // MARK: - Signals

    /// What a signal did before `handle` changed it, to give back with `restore`.
    struct SignalAction {
        fileprivate var raw = sigaction()
    }

    /// Runs `handler` on `signal` from now on; returns what was there before, or nil when the
    /// handler could not be installed.
    static func handle(_ signal: Int32, with handler: @convention(c) (Int32) -> Void) -> SignalAction? {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handler
        sigemptyset(&action.sa_mask)
        var old = SignalAction()
        return sigaction(signal, &action, &old.raw) == 0 ? old : nil
    }

    static func restore(_ signal: Int32, _ action: SignalAction) {
        var action = action
        _ = sigaction(signal, &action.raw, nil)
    }

    /// Dies of `signal` with its default action, as if refkit had not caught it (the shell sees
    /// the usual status, 130 for SIGINT). Async-signal-safe: `sigaction` and `raise` only.
    static func dieOf(_ signal: Int32) {
        var original = sigaction()
        original.__sigaction_handler.sa_handler = SIG_DFL
        sigemptyset(&original.sa_mask)
        _ = sigaction(signal, &original, nil)
        _ = raise(signal)
    }
}
