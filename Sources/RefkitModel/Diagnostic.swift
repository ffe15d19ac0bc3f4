/// One thing wrong with the input: where, what, and how to fix it.
///
/// Every stage reports problems as diagnostics so that the CLI can print them the same way
/// (`file:line:col: message; fix`) and a build can report all of them at once instead of
/// stopping at the first.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// What the user should do, as an imperative sentence fragment ("use YYYY-MM-DD").
    public var fix: String?

    public init(_ location: SourceLocation, _ message: String, fix: String? = nil) {
        self.location = location
        self.message = message
        self.fix = fix
    }

    /// One line: messages quote refused values, and a value may hold an escape sequence, a CR
    /// or a bidi override, so every control character shows as `<U+XXXX>` (see `VisibleText`).
    public var description: String {
        var text = "\(location): \(message)"
        if let fix { text += "; \(fix)" }
        if !text.hasSuffix(".") { text += "." }
        return VisibleText.escaped(text)
    }
}

/// An error that carries one or more diagnostics: a problem with the project (exit 1) unless
/// the type says otherwise (`WriteError` is the machine's, `OutputFolderError` the command
/// line's).
public protocol DiagnosticError: ClassifiedError {
    var diagnostics: [Diagnostic] { get }
}

extension DiagnosticError {
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
    public var failureKind: FailureKind { .content }
}
