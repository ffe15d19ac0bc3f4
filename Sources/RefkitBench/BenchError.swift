import RefkitModel

/// A benchmark that cannot run as asked: a missing tool such as hugo or an unwritable work
/// folder exits 2, as a wrong command line does; a disk too small for the size asked exits 3,
/// as refkit's other full-disk failures do.
public struct BenchError: ClassifiedError {
    public var description: String
    public var failureKind: FailureKind

    init(_ description: String, kind: FailureKind = .usage) {
        self.description = description
        failureKind = kind
    }
}
