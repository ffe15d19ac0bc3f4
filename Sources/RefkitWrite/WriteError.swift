import RefkitModel

/// A problem writing the output. The previous output is left as it was, unless
/// `outputChanged` says otherwise.
public struct WriteError: DiagnosticError, ClassifiedError, Equatable {
    /// Writing failed on the machine (disk, permissions), not in the project.
    public var failureKind: FailureKind { .fileSystem }

    public var diagnostics: [Diagnostic]
    /// True only when part of the output was replaced anyway: the kit was swapped in, the site
    /// could not be, and the kit could not be swapped back. The CLI then does not say that
    /// nothing was written.
    public var outputChanged = false
    public var leftOutputUnchanged: Bool { !outputChanged }

    public init(_ path: String, _ message: String, fix: String? = nil) {
        diagnostics = [Diagnostic(SourceLocation(file: path), message, fix: fix)]
    }
}
