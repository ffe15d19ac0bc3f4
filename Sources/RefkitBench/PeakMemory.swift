import Foundation

/// The peak resident memory of this process, per phase.
///
/// Linux keeps the high-water mark in `/proc/self/status` (VmHWM); writing `5` to
/// `/proc/self/clear_refs` resets it, so each stage of a build gets its own peak instead of
/// the largest so far. Where the reset is refused, the figure is the peak since the process
/// started, which can only overstate a stage.
enum PeakMemory {
    /// Hands the memory the last build freed back to the system (glibc keeps freed pages of its
    /// heap for reuse), so that each of the bench's builds, all in this one process, starts
    /// where a fresh `refkit build` would and its peaks are its own, not the builds' before.
    static func releaseFreed() {
        Syscalls.releaseFreedMemory()
    }

    /// Starts a new phase. Returns whether the kernel reset the mark.
    @discardableResult
    static func reset() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Data("5".utf8)) } catch { return false }
        return true
    }

    /// The peak resident set since the last reset, in bytes.
    static func peak() -> Int {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kb = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
            return kb * 1024
        }
        return Syscalls.peakResidentBytes(children: false)
    }
}
