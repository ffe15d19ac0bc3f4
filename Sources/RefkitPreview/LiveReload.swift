import Foundation
import RefkitModel

/// What the open preview pages are told after each build, and the waiting for it.
///
/// Each good build is a new `generation`; `fullGeneration` is the last one that changed
/// more than stylesheets, so a page built at generation G only needs its stylesheets swapped
/// when `fullGeneration <= G`, and a reload otherwise. A failed build changes `errors` only:
/// the pages show the last good build with the errors over it, until the next good build.
public final class LiveReload: Sendable {
    public struct State: Equatable, Sendable {
        /// Counts every change, good build or failed one: what waiters wait on.
        public var version = 0
        public var generation = 0
        public var fullGeneration = 0
        public var errors: [String] = []

        /// One server-sent event's `data`, JSON.
        var json: String {
            let payload: [String: Any] = ["generation": generation, "full": fullGeneration, "errors": errors]
            let data = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self)
        }
    }

    private struct Shared {
        var state = State()
        var waiters: [UUID: CheckedContinuation<State, Never>] = [:]
        /// Timers that fired before their waiter was registered.
        var expired: Set<UUID> = []
    }

    private let shared = Locked(Shared())

    public init() {}

    public var current: State { shared.withLock { $0.state } }

    /// A build succeeded. `stylesheetsOnly`: every changed source file was a stylesheet, so
    /// open pages can swap their stylesheets instead of reloading.
    public func built(stylesheetsOnly: Bool) {
        change { state in
            state.generation += 1
            if !stylesheetsOnly { state.fullGeneration = state.generation }
            state.errors = []
        }
    }

    /// A build failed with these errors; the pages keep the last good build.
    public func failed(_ errors: [String]) {
        change { $0.errors = errors }
    }

    private func change(_ body: (inout State) -> Void) {
        let (woken, now): ([CheckedContinuation<State, Never>], State) = shared.withLock { shared in
            body(&shared.state)
            shared.state.version += 1
            let woken = Array(shared.waiters.values)
            shared.waiters = [:]
            return (woken, shared.state)
        }
        for waiter in woken { waiter.resume(returning: now) }
    }

    /// The state once its version is past `version`, or the current one after `seconds`.
    func next(after version: Int, within seconds: Double) async -> State {
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            self?.wake(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let ready: State? = shared.withLock { shared in
                if shared.state.version > version || shared.expired.remove(id) != nil { return shared.state }
                shared.waiters[id] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Resumes one waiter with the current state, if it is still waiting.
    private func wake(_ id: UUID) {
        let (waiter, now) = shared.withLock { shared in
            let waiter = shared.waiters.removeValue(forKey: id)
            if waiter == nil { shared.expired.insert(id) }
            return (waiter, shared.state)
        }
        waiter?.resume(returning: now)
    }
}
