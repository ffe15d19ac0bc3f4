import Dispatch
import Foundation

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
        let results = Results<T>(chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let range = (count * c / chunks)..<(count * (c + 1) / chunks)
            results.set(c, work(range))
        }
        return results.joined()
    }

    private final class Results<T: Sendable>: @unchecked Sendable {
        // Guarded by `lock`.
        private var parts: [[T]]
        private let lock = NSLock()

        init(_ count: Int) { parts = Array(repeating: [], count: count) }

        func set(_ index: Int, _ value: [T]) {
            lock.lock()
            parts[index] = value
            lock.unlock()
        }

        func joined() -> [T] {
            lock.lock()
            defer { lock.unlock() }
            return parts.flatMap { $0 }
        }
    }
}
