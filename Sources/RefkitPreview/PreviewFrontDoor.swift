import FlyingSocks
import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// What listens on 127.0.0.1:PORT for `refkit serve`: a relay in front of FlyingFox, which
/// answers every request but only ever sees heads of a bounded size.
///
/// FlyingFox 0.27.1 reads the request line and each header line with no size limit, in time
/// growing with the square of the line's length: measured here (release build), a 16 KB line
/// takes 0.2 s, 64 KB 3.2 s, 256 KB 40-44 s, and a 10 MB line wedges the server for good
/// (STACK-NOTES.md; issue 17); a debug build takes 1.9 s over 8 KB. So the front door reads
/// each request's head itself, in linear time, at most `RequestHeadReader.maxHead` bytes and
/// lines of at most `maxLine`, within `headDeadline`; refuses a longer one with 414 or 431
/// without reading on; and otherwise writes exactly that head to FlyingFox's Unix socket (in
/// the private preview folder, 0700), half-closes it so FlyingFox answers that one request and
/// closes, and copies the answer back. It relays heads only: the preview answers GET and HEAD,
/// which have no body (a head announcing one leaves FlyingFox waiting for it, finding the end,
/// and closing unanswered: the front door then answers 400).
///
/// It is a relay, not an HTTP server: FlyingFox decodes every request and encodes every answer
/// but the front door's fixed refusals (400, 414, 431, 503). The sockets and the event loop
/// are FlyingSocks' (`AsyncSocket`, the library's socket pool).
final class PreviewFrontDoor: Sendable {
    let port: Int
    private let listener: Socket
    private let backend: sockaddr_un
    private let pool: any AsyncSocketPool
    /// The clients being served, and those of them holding a live-reload event stream.
    private let clients = Locked(0)
    private let streams = Locked(0)
    /// The headers every answer carries (the site's CSP and friends), for the front door's own.
    private let securityHeaders: @Sendable () -> [(String, String)]

    /// A client that has not sent its whole head by then is sent away.
    static let headDeadline: TimeInterval = 10
    /// FlyingFox's whole answer must have been relayed by then (pages are small).
    static let answerDeadline: TimeInterval = 60
    /// At most this many clients at once (each holds up to three descriptors of the process's
    /// 1,024); one more is answered 503 at once, so a crowd of stalled clients holds the
    /// preview up for `headDeadline` at most, never a browser's request for long.
    static let maxConnections = 200
    /// Open live-reload streams count here, not in `maxConnections`: each open preview tab
    /// holds one for up to `LiveEventStream.lifetime`, and 200 of them once made every page
    /// answer 503. One more stream is answered 503 (the page works, without live reload).
    static let maxEventStreams = 32

    /// Listens on `bind`:`port` at once, so a port in use is reported before any build.
    init(port: Int, bind: String = BindAddress.loopback, backend: sockaddr_un, pool: any AsyncSocketPool,
         securityHeaders: @escaping @Sendable () -> [(String, String)] = { [] }) throws(PreviewError) {
        let ipv6 = bind.contains(":")
        do {
            let socket = try Socket(domain: ipv6 ? AF_INET6 : AF_INET, type: .stream)
            do {
                try socket.setValue(true, for: .localAddressReuse)
                if ipv6 {
                    try socket.bind(to: sockaddr_in6.inet6(ip6: bind, port: UInt16(port)))
                } else {
                    try socket.bind(to: sockaddr_in.inet(ip4: bind, port: UInt16(port)))
                }
                try socket.listen()
            } catch {
                try? socket.close()
                throw error
            }
            listener = socket
        } catch {
            if case let SocketError.failed(_, errno, _) = error, errno == EADDRINUSE {
                throw PreviewError.portInUse(port)
            }
            throw PreviewError("cannot listen on \(BindAddress.urlHost(bind)):\(port): \(Self.reason(error))",
                               fix: "stop what uses that port, or choose another with --port")
        }
        self.port = port
        self.backend = backend
        self.pool = pool
        self.securityHeaders = securityHeaders
    }

    /// Accepts and relays until the task is cancelled. The pool must be running.
    func run() async throws {
        let door = try AsyncSocket(socket: listener, pool: pool)
        try await withThrowingDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let client: AsyncSocket
                do { client = try await door.accept() } catch is CancellationError { return } catch {
                    // Out of descriptors, or a client gone before it was accepted: go on.
                    try await Task.sleep(for: .milliseconds(100))
                    continue
                }
                let full = clients.withLock { count in
                    defer { count += 1 }
                    return count >= Self.maxConnections
                }
                group.addTask {
                    if full { await self.turnAway(client) } else { await self.serve(client) }
                    self.clients.withLock { $0 -= 1 }
                }
            }
        }
    }

    private func serve(_ client: AsyncSocket) async {
        defer { try? client.close() }
        guard let verdict = try? await Self.within(Self.headDeadline, { try await Self.readHead(client) }) else { return }
        switch verdict {
        case let .complete(head):
            let requestLine = head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
            let words = requestLine.split(separator: UInt8(ascii: " "), maxSplits: 2)
            let method = words.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
            guard method == "GET" || method == "HEAD" else {
                // Before FlyingFox, which would wait for the body a POST announces.
                try? await client.write(refusal(405, "Method Not Allowed", extra: [("Allow", "GET, HEAD")]))
                break
            }
            let isStream = words.count > 1 && words[1].starts(with: Array(LiveReloadAssets.eventsPath.utf8))
            if isStream {
                // Moved from the page count to the stream count while it is open.
                guard streams.current < Self.maxEventStreams else {
                    try? await client.write(refusal(503, "Service Unavailable", extra: [("Retry-After", "5")]))
                    break
                }
                streams.withLock { $0 += 1 }
                clients.withLock { $0 -= 1 }
            }
            // FlyingFox closes without answering a head it cannot decode.
            if (try? await Self.within(Self.answerDeadline, { try await self.relay(head, to: client) })) == 0 {
                try? await client.write(refusal(400, "Bad Request"))
            }
            if isStream {
                streams.withLock { $0 -= 1 }
                clients.withLock { $0 += 1 }
            }
        case .refused(.uriTooLong):
            try? await client.write(refusal(414, "URI Too Long"))
        case .refused(.headTooLarge):
            try? await client.write(refusal(431, "Request Header Fields Too Large"))
        }
        await Self.finish(client)
    }

    private func turnAway(_ client: AsyncSocket) async {
        defer { try? client.close() }
        let answer = refusal(503, "Service Unavailable", extra: [("Retry-After", "5")])
        _ = try? await Self.within(1) { try await client.write(answer) }
        await Self.finish(client)
    }

    enum Head {
        case complete([UInt8])
        case refused(RequestHeadReader.Refusal)
    }

    /// The head, read in linear time; throws when the client leaves first.
    private static func readHead(_ client: AsyncSocket) async throws -> Head {
        var reader = RequestHeadReader()
        while true {
            switch reader.add(try await client.read(atMost: min(4096, reader.room))) {
            case .incomplete: continue
            case let .complete(end): return .complete(Array(reader.bytes[..<end]))
            case let .refused(refusal): return .refused(refusal)
            }
        }
    }

    /// Hands `head` to FlyingFox and copies its answer to the client; returns the bytes copied.
    private func relay(_ head: [UInt8], to client: AsyncSocket) async throws -> Int {
        let server = try await AsyncSocket.connected(to: backend, pool: pool, timeout: 5)
        defer { try? server.close() }
        try await server.write(Data(head))
        // End of requests: FlyingFox answers this one, finds no next one, and closes.
        Self.halfClose(server)
        var copied = 0
        while true {
            let chunk: [UInt8]
            do { chunk = try await server.read(atMost: 64 * 1024) } catch SocketError.disconnected { return copied }
            try await client.write(Data(chunk))
            copied += chunk.count
        }
    }

    /// Says "done" to the client and reads what it still sends for a moment before the close,
    /// since closing with unread bytes makes the kernel reset the connection, which can destroy
    /// the answer before the client reads it (after a refused huge request, say).
    private static func finish(_ client: AsyncSocket) async {
        halfClose(client)
        _ = try? await within(1) {
            var drained = 0
            while drained < 4 * 1024 * 1024 { drained += try await client.read(atMost: 64 * 1024).count }
            return drained
        }
    }

    /// FlyingSocks 0.27.1 has no half-close.
    private static func halfClose(_ socket: AsyncSocket) {
        Syscalls.shutdownWrites(socket.socket.file.rawValue)
    }

    /// The front door's own answers, for heads FlyingFox never sees, with the security headers
    /// every other answer carries (and `nosniff`, `no-store`, as `PreviewSite` adds).
    func refusal(_ status: Int, _ reason: String, extra: [(String, String)] = []) -> Data {
        Self.refusal(status, reason, headers: securityHeaders() + extra)
    }

    static func refusal(_ status: Int, _ reason: String, headers: [(String, String)]) -> Data {
        let body = reason + "\n"
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        for (name, value) in headers where !["content-type", "content-length", "connection", "cache-control", "x-content-type-options"].contains(name.lowercased()) {
            // The values come from site.yaml's settings through SecurityHeaders; no line breaks.
            guard !name.contains(where: \.isNewline), !value.contains(where: \.isNewline) else { continue }
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
        return Data((head + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
    }

    /// `body`'s value, or nil when it takes longer than `seconds` (it is then cancelled).
    static func within<T: Sendable>(_ seconds: TimeInterval, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    private static func reason(_ error: any Error) -> String {
        if case let SocketError.failed(_, _, message) = error { return message }
        return error.localizedDescription
    }


}
