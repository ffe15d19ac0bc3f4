import Foundation

/// The terminal's settings from before the prompt, for the signal handler below. A global
/// because a signal handler is a C function that can capture nothing; written only before the
/// handlers are installed and read only by them, hence `nonisolated(unsafe)`.
nonisolated(unsafe) private var terminalBeforePrompt = Syscalls.TerminalSettings()

/// SIGINT or SIGTERM while echo is off: put the terminal back as it was, then die of the same
/// signal with its default action, as if refkit had not caught it (the shell sees the usual
/// status 130 or 143). Only async-signal-safe calls: tcsetattr, sigaction, raise.
private func restoreTerminalAndReraise(_ signal: Int32) {
    Syscalls.setTerminalSettings(terminalBeforePrompt, of: 0, now: true)
    Syscalls.dieOf(signal)
}

/// The IMAP password typed at a prompt with echo off (termios), never shown, never stored.
/// Its system calls are in `Syscalls`.
enum PasswordPrompt {
    /// The signals that end refkit at the prompt (Ctrl-C, kill): each must give echo back.
    private static let fatalSignals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// Nil when stdin is not a terminal (nothing to ask) or the input ended.
    static func read(prompt: String) -> String? {
        guard Syscalls.isTerminal(0) else { return nil }
        FileHandle.standardError.write(Data(prompt.utf8))
        let saved = Syscalls.terminalSettings(of: 0)
        var previous: [Int32: Syscalls.SignalAction] = [:]
        if let saved {
            // The handlers first, then echo off: no moment where a signal leaves it off.
            terminalBeforePrompt = saved
            for signal in fatalSignals {
                previous[signal] = Syscalls.handle(signal, with: restoreTerminalAndReraise)
            }
            Syscalls.setTerminalSettings(saved.withoutEcho, of: 0)
        }
        // Echo comes back even when the read fails, and the handlers go once it is back.
        defer {
            if let saved {
                Syscalls.setTerminalSettings(saved, of: 0)
                for (signal, old) in previous { Syscalls.restore(signal, old) }
            }
        }
        guard let line = Swift.readLine(strippingNewline: true) else { return nil }
        return line
    }

    /// Whether stderr is a terminal: progress is drawn there only.
    static var stderrIsTerminal: Bool { Syscalls.isTerminal(2) }
}
