import RefkitModel

/// Everything wrong found while rendering mail, reported at once.
public struct MailError: DiagnosticError, Hashable, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}
