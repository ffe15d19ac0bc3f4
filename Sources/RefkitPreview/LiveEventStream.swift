import FlyingSocks
import Foundation

/// The body of `/_refkit/events`: server-sent events (`text/event-stream`) that FlyingFox sends
/// chunk by chunk as they come (`HTTPBodySequence(from:)` streams an `AsyncBufferedSequence`
/// with chunked transfer encoding).
///
/// It opens with the current state, then sends each change, a comment line every
/// `heartbeat` seconds (so that a closed tab's connection is noticed on the next write), and
/// ends after `lifetime`: the browser's `EventSource` reconnects by itself after `retry`
/// milliseconds and is sent the state again, so nothing is missed. Ending it keeps each
/// connection within the front door's answer deadline (`PreviewFrontDoor.answerDeadline`).
struct LiveEventStream: AsyncBufferedSequence {
    typealias Element = UInt8
    let live: LiveReload
    var heartbeat: Double = 15
    var lifetime: Double = 45

    func makeAsyncIterator() -> Iterator {
        Iterator(live: live, heartbeat: heartbeat, end: Date().addingTimeInterval(lifetime))
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let live: LiveReload
        let heartbeat: Double
        let end: Date
        var version: Int?
        var pending: [UInt8] = []
        var finished = false

        init(live: LiveReload, heartbeat: Double, end: Date) {
            self.live = live
            self.heartbeat = heartbeat
            self.end = end
        }

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if pending.isEmpty {
                guard !finished else { return nil }
                pending = await nextEvent()
            }
            let taken = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(taken.count)
            return taken
        }

        /// The next bytes to send: the opening state, a change, a heartbeat, or the last line.
        private mutating func nextEvent() async -> [UInt8] {
            guard let seen = version else {
                let state = live.current
                version = state.version
                return Array(("retry: 500\n" + Self.event(state)).utf8)
            }
            let left = end.timeIntervalSinceNow
            guard left > 0 else {
                finished = true
                return Array(": reconnect\n\n".utf8)
            }
            let state = await live.next(after: seen, within: Swift.min(heartbeat, left))
            guard state.version > seen else { return Array(": \n\n".utf8) }
            version = state.version
            return Array(Self.event(state).utf8)
        }

        /// JSON has no raw line breaks, so one `data:` line holds it.
        static func event(_ state: LiveReload.State) -> String {
            "data: " + state.json + "\n\n"
        }
    }
}
