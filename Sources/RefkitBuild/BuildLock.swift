import Foundation
import RefkitModel

/// Keeps two builds of one project from running at once: the second is refused with a
/// message instead of racing the first for the ledger and the output folders.
///
/// `flock` on `.refkit.lock` in the project root; the kernel drops the lock when the process
/// dies, so a killed build never leaves a stale lock behind.
final class BuildLock {
    private let fd: Int32

    init(root: URL) throws {
        // No content/, no project: there is nothing to race for, and loading says what is
        // wrong. A lock file made there would be left in whatever folder refkit was run in by
        // mistake (the home folder), by a run that says nothing was written.
        guard Syscalls.exists(root.appendingPathComponent("content").path) else {
            fd = -1
            return
        }
        let path = root.appendingPathComponent(".refkit.lock").path
        do throws(Syscalls.Errno) {
            fd = try Syscalls.openOrCreate(path, mode: 0o644)
        } catch {
            throw BuildError(path, "cannot create the lock file: \(error.reason)", fix: "check that the project folder is writable")
        }
        do {
            try Syscalls.lock(fd)
        } catch {
            Syscalls.close(fd)
            throw BuildError(path, "another refkit build of this project is running",
                             fix: "wait for it to finish, then build again")
        }
    }

    func release() {
        guard fd >= 0 else { return }
        Syscalls.unlock(fd)
        Syscalls.close(fd)
    }
}

/// A problem with the build itself rather than its input.
public struct BuildError: DiagnosticError, ClassifiedError, Equatable {
    /// The project is fine; the machine is not (a build already running, no lock file).
    public var failureKind: FailureKind { .fileSystem }

    public var diagnostics: [Diagnostic]
    public init(_ path: String, _ message: String, fix: String? = nil) {
        diagnostics = [Diagnostic(SourceLocation(file: path), message, fix: fix)]
    }
}
