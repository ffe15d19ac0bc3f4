/// An error that says which `FailureKind` it is: the CLI's exit code. Every error refkit lets
/// reach the CLI is one; a `DiagnosticError` is a content error unless it says otherwise.
public protocol ClassifiedError: Error, CustomStringConvertible {
    var failureKind: FailureKind { get }
    /// False when part of the output was replaced anyway, or when the command writes no
    /// output at all, so that the CLI does not end with "Nothing was written".
    var leftOutputUnchanged: Bool { get }
}

extension ClassifiedError {
    public var leftOutputUnchanged: Bool { true }
}
