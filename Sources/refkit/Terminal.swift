import Foundation
import RefkitModel

/// Output to the terminal: colour only when the stream is a terminal and `NO_COLOR` is unset.
enum Terminal {
    static func useColour(_ fd: Int32) -> Bool {
        Syscalls.isTerminal(fd) && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    enum Style: String, CaseIterable {
        case red = "31", green = "32", yellow = "33", bold = "1", dim = "2"
    }

    static func styled(_ text: String, _ style: Style, fd: Int32 = 1) -> String {
        useColour(fd) ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// stdout; `stderr` is shared mutable state in Swift 6, so both go through FileHandle.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((visible(text, fd: 1) + "\n").utf8))
    }

    static func plainError(_ text: String) {
        FileHandle.standardError.write(Data((visible(text, fd: 2) + "\n").utf8))
    }

    /// The one place output reaches the terminal: what refkit prints quotes names, addresses
    /// and cells from the user's files, and an escape sequence among them would set the
    /// window title or rewrite the screen. Every control character is shown as `<U+XXXX>`
    /// (`VisibleText`) except newlines, tabs and the colour codes `styled` writes when colour is on.
    static func visible(_ text: String, fd: Int32) -> String {
        guard text.unicodeScalars.contains("\u{1B}"), useColour(fd) else { return VisibleText.escapedKeepingLayout(text) }
        var parts = text.unicodeScalars.split(separator: "\u{1B}", omittingEmptySubsequences: false).map { String($0) }
        var out = VisibleText.escapedKeepingLayout(parts.removeFirst())
        for part in parts {
            if let code = colourCodes.first(where: { part.hasPrefix($0) }) {
                out += "\u{1B}" + code + VisibleText.escapedKeepingLayout(String(part.dropFirst(code.count)))
            } else {
                out += VisibleText.escapedKeepingLayout("\u{1B}" + part)
            }
        }
        return out
    }

    /// `[31m` ... `[0m`: the select-graphic-rendition codes of `Style`, after the escape.
    private static let colourCodes = (Style.allCases.map(\.rawValue) + ["0"]).map { "[\($0)m" }

    /// Warnings on stderr, even with `--quiet` (they name rows to fix); the first few of a
    /// long list, then how many more, so 100,000 rows cannot flood the terminal.
    static func warnings(_ diagnostics: [Diagnostic], limit: Int = 20) {
        for d in diagnostics.prefix(limit) {
            plainError(styled("warning: ", .yellow, fd: 2) + d.description)
        }
        if diagnostics.count > limit { plainError("… and \(diagnostics.count - limit) more warnings like these.") }
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
