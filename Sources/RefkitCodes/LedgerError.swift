import RefkitModel

/// `kit/codes.csv` is damaged or was edited by hand. refkit stops rather than guess: the
/// ledger is the record of which code belongs to whom, and it is never rewritten.
public struct LedgerError: DiagnosticError, Equatable {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        precondition(!diagnostics.isEmpty)
        self.diagnostics = diagnostics
    }

    /// Where the first problem is.
    public var location: SourceLocation { diagnostics[0].location }

    /// The advice for every ledger problem: the file must be put back as refkit wrote it.
    static let restoreFix = "restore kit/codes.csv from a backup; refkit only appends to it and never edits past rows"
}
