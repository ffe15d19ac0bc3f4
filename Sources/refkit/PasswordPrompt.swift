import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The IMAP password typed at a prompt with echo off (termios), never shown, never stored.
/// The one file of `refkit mail`'s terminal system calls.
enum PasswordPrompt {
    /// Nil when stdin is not a terminal (nothing to ask) or the input ended.
    static func read(prompt: String) -> String? {
        guard isatty(0) == 1 else { return nil }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let haveTerminal = tcgetattr(0, &saved) == 0
        if haveTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            quiet.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(0, TCSAFLUSH, &quiet)
        }
        // Echo comes back even when the read fails.
        defer { if haveTerminal { var restore = saved; _ = tcsetattr(0, TCSAFLUSH, &restore) } }
        guard let line = Swift.readLine(strippingNewline: true) else { return nil }
        return line
    }

    /// Whether stderr is a terminal: progress is drawn there only.
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
