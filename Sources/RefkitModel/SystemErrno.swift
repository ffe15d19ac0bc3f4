import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A failed system call's `errno`, read at once, before any other call can change it: the one
/// error type of every module's `Syscalls` (each names it `Syscalls.Errno`), which words its
/// own message from `reason`.
public struct SystemErrno: Error, Equatable, Sendable {
    public let code: Int32

    public init(_ code: Int32 = Glibc.errno) { self.code = code }

    /// The system's wording of the error (`strerror`).
    public var reason: String { String(cString: strerror(code)) }
}
