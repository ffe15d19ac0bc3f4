import Foundation

/// A value shared between threads, reached only through `withLock`.
///
/// The one lock-guarded helper of refkit: renderers fan work out over cores with
/// `DispatchQueue.concurrentPerform`, and what the workers share (a queue of work items, the
/// results in order, the first error, counts, caches made on first use) lives in a `Locked`
/// instead of a small class of its own with an `NSLock` beside a `var`. The standard library's
/// `Mutex` would do the same, but it needs macOS 15 and `sending` values, which the renderers'
/// non-Sendable caches are not.
public final class Locked<Value>: @unchecked Sendable {
    // Guarded by `lock`: read or written only inside `withLock`.
    private var value: Value
    private let lock = NSLock()

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value while holding the lock; what `body` returns is returned.
    /// Keep `body` short: other threads wait for it (a cache that makes its entry here, once,
    /// is the one intended exception).
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value as it is now.
    public var current: Value { withLock { $0 } }
}

extension Locked {
    /// Hands out the indices `0..<count` once each, to workers on several threads; `stop()`
    /// hands out nothing more (one item failed, so the rest would be waste).
    public static func workQueue(count: Int) -> Locked<WorkItems> where Value == WorkItems {
        Locked<WorkItems>(WorkItems(count: count))
    }
}

/// The state of a queue of work items `0..<count`, shared through `Locked`.
public struct WorkItems: Sendable {
    public private(set) var next = 0
    public private(set) var count: Int

    public init(count: Int) { self.count = count }

    /// The next index, or nil when all were handed out or the queue was stopped.
    public mutating func take() -> Int? {
        guard next < count else { return nil }
        defer { next += 1 }
        return next
    }

    public mutating func stop() { count = next }
}

extension Locked where Value == WorkItems {
    public func take() -> Int? { withLock { $0.take() } }
    public func stop() { withLock { $0.stop() } }
}

/// Results of work items done on several threads, kept in item order; the error of the
/// lowest-numbered item that failed wins, so the message does not depend on thread timing.
public struct OrderedResults<T> {
    private var results: [Result<T, any Error>?]
    /// True once some item has failed: workers stop taking new items.
    public private(set) var hasFailure = false

    public init(count: Int) { results = Array(repeating: nil, count: count) }

    public mutating func set(_ index: Int, _ result: Result<T, any Error>) {
        results[index] = result
        if case .failure = result { hasFailure = true }
    }

    /// Every result in order, or the first failure in item order thrown. Items never done
    /// (the queue stopped after a failure) can only be missing when a failure is thrown.
    public func values() throws -> [T] {
        for case .failure(let error)? in results { throw error }
        return results.map { result in
            guard case .success(let value)? = result else { preconditionFailure("a work item was never done") }
            return value
        }
    }
}
