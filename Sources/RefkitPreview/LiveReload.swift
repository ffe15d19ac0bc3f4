import Foundation

/// What the open preview pages are told after each build, and the waiting for it.
///
/// Each good build is a new `generation`; `fullGeneration` is the last one that changed
/// more than stylesheets, so a page built at generation G only needs its stylesheets swapped
/// when `fullGeneration <= G`, and a reload otherwise. A failed build changes `errors` only:
/// the pages show the last good build with the errors over it, until the next good build.
public final class LiveReload: @unchecked Sendable {
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

    // All guarded by `lock`.
    private var state = State()
    private var waiters: [UUID: CheckedContinuation<State, Never>] = [:]
    /// Timers that fired before their waiter was registered.
    private var expired: Set<UUID> = []
    private let lock = NSLock()

    public init() {}

    public var current: State { lock.withLock { state } }

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
        let (woken, now): ([CheckedContinuation<State, Never>], State) = lock.withLock {
            body(&state)
            state.version += 1
            let woken = Array(waiters.values)
            waiters = [:]
            return (woken, state)
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
            let ready: State? = lock.withLock {
                if state.version > version || expired.remove(id) != nil { return state }
                waiters[id] = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Resumes one waiter with the current state, if it is still waiting.
    private func wake(_ id: UUID) {
        let (waiter, now) = lock.withLock {
            let waiter = waiters.removeValue(forKey: id)
            if waiter == nil { expired.insert(id) }
            return (waiter, state)
        }
        waiter?.resume(returning: now)
    }
}
