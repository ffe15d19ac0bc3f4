import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Output to the terminal: colour only when the stream is a terminal and `NO_COLOR` is unset.
enum Terminal {
    static func useColour(_ fd: Int32) -> Bool {
        isatty(fd) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    enum Style: String {
        case red = "31", green = "32", yellow = "33", bold = "1", dim = "2"
    }

    static func styled(_ text: String, _ style: Style, fd: Int32 = 1) -> String {
        useColour(fd) ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// stdout; `stderr` is shared mutable state in Swift 6, so both go through FileHandle.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func plainError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Prints the diagnostics and, unless the error says part of the output was replaced,
    /// that nothing was written.
    static func error(_ diagnostics: [Diagnostic], nothingWritten: Bool = true) {
        for d in diagnostics {
            plainError(styled("error: ", .red, fd: 2) + d.description)
        }
        guard nothingWritten else { return }
        if diagnostics.count > 1 { plainError("\(diagnostics.count) problems; nothing was written.") } else {
            plainError("Nothing was written.")
        }
    }
}
