import Foundation

/// One staged output folder swapped in, remembering where the output it replaced went, so
/// that the swap can be undone: a build's kit and site go in together or not at all, and
/// when the site cannot be swapped in after the kit was, the kit is swapped back.
struct OutputSwap {
    /// Where the replaced output is now.
    enum Previous {
        /// Exchanged with the staging folder: it sits at the staging path.
        case atStage
        /// Renamed aside (file systems that cannot exchange).
        case aside(String)
        /// There was no output yet.
        case none
    }

    let stage: String
    let target: String
    let previous: Previous

    /// The replaced output's path, to keep as the spare or delete; nil when there was none.
    var replaced: String? {
        switch previous {
        case .atStage: stage
        case let .aside(path): path
        case .none: nil
        }
    }

    /// Exchanges the staging folder with the output in one step (or, where the file system
    /// cannot, with two renames and a window of a few microseconds without the output).
    static func swapIn(stage: String, as target: String) throws(WriteError) -> OutputSwap {
        guard FileManager.default.fileExists(atPath: target) else {
            try? FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            do { try Syscalls.rename(stage, to: target) } catch { throw error.writeError(target, "cannot create the output folder") }
            return OutputSwap(stage: stage, target: target, previous: .none)
        }
        if (try? Syscalls.exchange(stage, target)) != nil {
            return OutputSwap(stage: stage, target: target, previous: .atStage)
        }
        // EINVAL: this file system cannot exchange.
        let aside = target + ".refkit-old"
        FileTree.remove(aside)
        do { try Syscalls.rename(target, to: aside) } catch { throw error.writeError(target, "cannot replace the output folder") }
        do { try Syscalls.rename(stage, to: target) } catch {
            try? Syscalls.rename(aside, to: target)
            throw error.writeError(target, "cannot replace the output folder")
        }
        return OutputSwap(stage: stage, target: target, previous: .aside(aside))
    }

    /// Puts the replaced output back and the new one at the staging path again (which the
    /// writer then abandons). Returns whether it did.
    func undo() -> Bool {
        switch previous {
        case .atStage:
            return (try? Syscalls.exchange(stage, target)) != nil
        case let .aside(path):
            return (try? Syscalls.rename(target, to: stage)) != nil && (try? Syscalls.rename(path, to: target)) != nil
        case .none:
            return (try? Syscalls.rename(target, to: stage)) != nil
        }
    }
}
