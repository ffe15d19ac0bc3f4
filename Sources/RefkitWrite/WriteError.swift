import RefkitModel

/// A problem writing the output. The previous output is always left as it was.
public struct WriteError: DiagnosticError, ClassifiedError, Equatable {
    /// Writing failed on the machine (disk, permissions), not in the project.
    public var failureKind: FailureKind { .fileSystem }

    public var diagnostics: [Diagnostic]

    public init(_ path: String, _ message: String, fix: String? = nil) {
        diagnostics = [Diagnostic(SourceLocation(file: path), message, fix: fix)]
    }
}
