import RefkitModel

/// The preview could not start: its port is taken, or its private folder cannot be made.
/// A problem of this machine, not of the project (exit 3).
public struct PreviewError: DiagnosticError, ClassifiedError, Equatable {
    public var failureKind: FailureKind { .fileSystem }
    /// The preview never writes `public/` or `kit/`: there is nothing to reassure about.
    public var leftOutputUnchanged: Bool { false }

    public var diagnostics: [Diagnostic]

    /// The port was in use: serve tries the next one.
    public var portInUse: Int?

    public init(_ message: String, path: String = "refkit serve", fix: String? = nil) {
        diagnostics = [Diagnostic(SourceLocation(file: path), message, fix: fix)]
    }

    static func portInUse(_ port: Int) -> PreviewError {
        var error = PreviewError("port \(port) is in use", fix: "stop what uses that port, or choose another with --port")
        error.portInUse = port
        return error
    }
}
