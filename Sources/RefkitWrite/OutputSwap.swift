import CRefkitSystem
import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
            guard rename(stage, target) == 0 else { throw OutputWriter.ioError(target, "cannot create the output folder") }
            return OutputSwap(stage: stage, target: target, previous: .none)
        }
        if crefkit_exchange_paths(stage, target) == 0 {
            return OutputSwap(stage: stage, target: target, previous: .atStage)
        }
        // EINVAL: this file system cannot exchange.
        let aside = target + ".refkit-old"
        FileTree.remove(aside)
        guard rename(target, aside) == 0 else { throw OutputWriter.ioError(target, "cannot replace the output folder") }
        guard rename(stage, target) == 0 else {
            let error = OutputWriter.ioError(target, "cannot replace the output folder")
            _ = rename(aside, target)
            throw error
        }
        return OutputSwap(stage: stage, target: target, previous: .aside(aside))
    }

    /// Puts the replaced output back and the new one at the staging path again (which the
    /// writer then abandons). Returns whether it did.
    func undo() -> Bool {
        switch previous {
        case .atStage:
            return crefkit_exchange_paths(stage, target) == 0
        case let .aside(path):
            return rename(target, stage) == 0 && rename(path, target) == 0
        case .none:
            return rename(target, stage) == 0
        }
    }
}
