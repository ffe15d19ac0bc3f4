import RefkitModel

/// An output folder refkit must not replace: `/`, the home folder, the project or a folder
/// above it, its inputs, the other output folder, or a folder of someone else's files.
///
/// A usage error (exit 2), not a file-system failure: nothing was tried, nothing was written,
/// and the fix is a different `--out` or `--kit`.
public struct OutputFolderError: DiagnosticError, ClassifiedError, Equatable {
    /// The command line names the wrong folder.
    public var failureKind: FailureKind { .usage }

    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}
