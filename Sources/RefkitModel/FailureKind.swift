/// What kind of failure an error is: the CLI's exit code travels on the error, as
/// swift-argument-parser's `ExitCode` does, instead of a switch over error types in `main`.
///
/// refkit exits 0 on success, 1 when the project has problems (`content`), 2 when the command
/// line is wrong (`usage`) and 3 when the machine failed the build (`fileSystem`: a full disk,
/// a lock held, a file that cannot be read back, a worker killed).
public enum FailureKind: Int32, Sendable {
    case content = 1
    case usage = 2
    case fileSystem = 3
}
