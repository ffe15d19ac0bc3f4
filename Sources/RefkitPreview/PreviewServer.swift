import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The preview's HTTP/1.1 server: 127.0.0.1 only, GET and HEAD, one request per connection,
/// a thread per connection (at most `maxConnections` at once).
///
/// It reads the request head itself, at most `RequestHead.maxHead` bytes within
/// `headDeadline`, in linear time, and answers 414 or 431 to anything longer without reading
/// the rest, so no request can wedge it. This is the few hundred lines of socket code the
/// preview first borrowed from FlyingFox, whose parser had none of those limits (see
/// `RequestHead`). All of the module's socket calls are here.
public final class PreviewServer: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let site: PreviewSite
    private let slots = DispatchSemaphore(value: PreviewServer.maxConnections)

    static let maxConnections = 32
    /// A client that has not sent its whole head by then is sent away.
    static let headDeadline: TimeInterval = 10

    /// Listens on 127.0.0.1:`port` (not yet accepting).
    public init(port: Int, site: PreviewSite) throws(PreviewError) {
        self.site = site
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw PreviewError("cannot open a socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw PreviewError("cannot listen on 127.0.0.1:\(port): \(reason)", fix: "stop what uses that port, or choose another with --port")
        }
        listener = fd
        self.port = port
    }

    /// Accepts connections on a thread of its own, for as long as the process runs.
    public func start() {
        let thread = Thread { [self] in
            while true {
                slots.wait()
                // `accept4` (CLOEXEC at once) needs _GNU_SOURCE; a print worker started in
                // the instant before `fcntl` would only hold the socket until it exits.
                let client = accept(listener, nil, nil)
                if client >= 0 { _ = fcntl(client, F_SETFD, FD_CLOEXEC) }
                guard client >= 0 else {
                    slots.signal()
                    if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE {
                        // Out of descriptors: let other connections finish first.
                        if errno == EMFILE || errno == ENFILE { Thread.sleep(forTimeInterval: 0.1) }
                        continue
                    }
                    return
                }
                let connection = Thread { [self] in
                    serve(client)
                    slots.signal()
                }
                connection.start()
            }
        }
        thread.name = "refkit preview server"
        thread.start()
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        Self.setTimeout(fd, SO_SNDTIMEO, seconds: 10)
        let request = readHead(fd)
        let includeBody = (try? request.get())?.method != "HEAD"
        let response = site.respond(to: request, port: port)
        send(fd, response.bytes(includingBody: includeBody))
        // Closing with unread bytes makes the kernel reset the connection, which can destroy
        // the answer before the client reads it (a refused huge request, say): say we are done,
        // then read and drop a bounded amount for a moment before closing.
        shutdown(fd, Int32(SHUT_WR))
        Self.setTimeout(fd, SO_RCVTIMEO, seconds: 1)
        var drained = 0
        var scratch = [UInt8](repeating: 0, count: 16 * 1024)
        let until = Date(timeIntervalSinceNow: 2)
        while drained < 4 * 1024 * 1024, Date() < until {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }
            drained += n
        }
    }

    /// Reads up to the end of the head, at most `RequestHead.maxHead` bytes and for at most
    /// `headDeadline`; never the body (GET and HEAD have none).
    private func readHead(_ fd: Int32) -> Result<RequestHead, RequestHead.Problem> {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(4096)
        var chunk = [UInt8](repeating: 0, count: 4096)
        let deadline = Date(timeIntervalSinceNow: Self.headDeadline)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return .failure(.malformed) }
            Self.setTimeout(fd, SO_RCVTIMEO, seconds: left)
            let room = min(chunk.count, RequestHead.maxHead - buffer.count)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, room, 0) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return .failure(.malformed) }
            let searchFrom = buffer.count
            buffer.append(contentsOf: chunk[..<n])
            if let end = RequestHead.end(in: buffer, searchingFrom: searchFrom) {
                do { return .success(try RequestHead.parse(buffer[..<end])) } catch { return .failure(error) }
            }
            if buffer.count >= RequestHead.maxHead { return .failure(RequestHead.overflow(buffer)) }
        }
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a client that went away must not kill the server with SIGPIPE.
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }

    private static func setTimeout(_ fd: Int32, _ option: Int32, seconds: TimeInterval) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        if time.tv_sec == 0, time.tv_usec == 0 { time.tv_usec = 1000 }
        setsockopt(fd, SOL_SOCKET, option, &time, socklen_t(MemoryLayout<timeval>.size))
    }
}
