import Dispatch
import Foundation
import RefkitModel

/// Per-row HMACs over a whole ledger (seal tags, derived codes) on every core: at 100,000 rows
/// they are most of a load's added cost (swift-crypto's HMAC copies its hash state per use),
/// and rows do not depend on each other.
enum ParallelRows {
    /// `work` over `0..<count` in contiguous chunks, one result per index, in index order.
    static func map<T: Sendable>(_ count: Int, _ work: @escaping @Sendable (Range<Int>) -> [T]) -> [T] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // Below a few thousand rows a thread costs more than it saves.
        guard count >= 4096, cores > 1 else { return work(0..<count) }
        let chunks = min(4 * cores, count / 1024)
        let parts = Locked([[T]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (count * c / chunks)..<(count * (c + 1) / chunks)
            let part = work(range)
            parts.withLock { $0[c] = part }
        }
        return parts.withLock { $0.flatMap { $0 } }
    }
}
