import RefkitModel

/// A problem with the report's input: the form export, the conversions file, the rewards ledger
/// or the report template. Each diagnostic names the file and line and says how to fix it.
public struct ReportError: DiagnosticError, Hashable, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
    public init(_ file: String, line: Int? = nil, _ message: String, fix: String? = nil) {
        diagnostics = [Diagnostic(SourceLocation(file: file, line: line), message, fix: fix)]
    }
}
