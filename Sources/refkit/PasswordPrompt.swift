import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The terminal's settings from before the prompt, for the signal handler below. A global
/// because a signal handler is a C function that can capture nothing; written only before the
/// handlers are installed and read only by them, hence `nonisolated(unsafe)`.
nonisolated(unsafe) private var terminalBeforePrompt = termios()

/// SIGINT or SIGTERM while echo is off: put the terminal back as it was, then die of the same
/// signal with its default action, as if refkit had not caught it (the shell sees the usual
/// status 130 or 143). Only async-signal-safe calls: tcsetattr, sigaction, raise.
private func restoreTerminalAndReraise(_ signal: Int32) {
    var settings = terminalBeforePrompt
    _ = tcsetattr(0, TCSANOW, &settings)
    var original = sigaction()
    original.__sigaction_handler.sa_handler = SIG_DFL
    sigemptyset(&original.sa_mask)
    _ = sigaction(signal, &original, nil)
    _ = raise(signal)
}

/// The IMAP password typed at a prompt with echo off (termios), never shown, never stored.
/// The one file of `refkit mail`'s terminal system calls.
enum PasswordPrompt {
    /// The signals that end refkit at the prompt (Ctrl-C, kill): each must give echo back.
    private static let fatalSignals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Nil when stdin is not a terminal (nothing to ask) or the input ended.
    static func read(prompt: String) -> String? {
        guard isatty(0) == 1 else { return nil }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let haveTerminal = tcgetattr(0, &saved) == 0
        var previous: [Int32: sigaction] = [:]
        if haveTerminal {
            // The handlers first, then echo off: no moment where a signal leaves it off.
            terminalBeforePrompt = saved
            for signal in fatalSignals {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = restoreTerminalAndReraise
                sigemptyset(&action.sa_mask)
                var old = sigaction()
                if sigaction(signal, &action, &old) == 0 { previous[signal] = old }
            }
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(0, TCSAFLUSH, &quiet)
        }
        // Echo comes back even when the read fails, and the handlers go once it is back.
        defer {
            if haveTerminal {
                var restore = saved
                _ = tcsetattr(0, TCSAFLUSH, &restore)
                for (signal, old) in previous {
                    var old = old
                    _ = sigaction(signal, &old, nil)
                }
            }
        }
        guard let line = Swift.readLine(strippingNewline: true) else { return nil }
        return line
    }

    /// Whether stderr is a terminal: progress is drawn there only.
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
