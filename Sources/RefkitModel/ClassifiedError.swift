/// An error that says which `FailureKind` it is. Errors without it that carry diagnostics are
/// content errors.
public protocol ClassifiedError: Error, CustomStringConvertible {
    var failureKind: FailureKind { get }
}
