import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// The real transport: a swift-nio channel, TLS by swift-nio-ssl (certificates and host name
/// verified; never hand-written TLS). The command layer is blocking and line by line, so the
/// channel's handler hands received bytes to an `Inbox` that the caller's thread waits on.
public final class NIOTransport: IMAPTransport {
    private let channel: Channel
    private let inbox: Inbox
    private let address: IMAPServerAddress
    private let tls: NIOSSLContext

    /// Connects, with TLS at once for imaps:// and in the clear (until `startTLS`) for imap://.
    /// `caFile` replaces the system's trust roots (a self-hosted server's own CA). `timeout`
    /// bounds the TCP connection only (30 s at most); answers are bounded by `IMAPClient.Limits`.
    public static func connect(_ address: IMAPServerAddress, caFile: String?, timeout: TimeInterval = 60) throws(IMAPError) -> NIOTransport {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .fullVerification
        if let caFile { configuration.trustRoots = .file(caFile) }
        let context: NIOSSLContext
        do { context = try NIOSSLContext(configuration: configuration) } catch {
            throw .connectFailed(server: address.description, reason: "the certificate file could not be used (\(error))")
        }
        let inbox = Inbox()
        let immediateTLS = address.security == .tls
        let hostname = Self.sniName(address.host)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(min(timeout, 30) * 1000)))
            .channelInitializer { channel in
                inbox.resumeReading = { channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } }
                return channel.eventLoop.makeCompletedFuture {
                    if immediateTLS {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(InboxHandler(inbox: inbox, hostName: hostname))
                }
            }
        do {
            let channel = try bootstrap.connect(host: address.host, port: address.port).wait()
            return NIOTransport(channel: channel, inbox: inbox, address: address, tls: context)
        } catch {
            throw .connectFailed(server: address.description, reason: Self.reason(error))
        }
    }

    private init(channel: Channel, inbox: Inbox, address: IMAPServerAddress, tls: NIOSSLContext) {
        self.channel = channel
        self.inbox = inbox
        self.address = address
        self.tls = tls
    }

    deinit { channel.close(promise: nil) }

    /// Whether the server has said anything: a failure before that is a failure to connect
    /// (refused, TLS), after it a connection that broke.
    private var heardFrom = false

    public func send(_ bytes: [UInt8]) throws(IMAPError) {
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        do { try channel.writeAndFlush(buffer).wait() } catch {
            throw broken(during: "a command", reason: inbox.failure)
        }
    }

    public func receive(during: String, until deadline: Date) throws(IMAPError) -> [UInt8] {
        switch inbox.take(until: deadline) {
        case let .bytes(bytes):
            heardFrom = true
            return bytes
        case .closed: throw broken(during: during, reason: nil)
        case let .failed(reason): throw broken(during: during, reason: reason)
        case .timedOut: throw .timedOut(during: during)
        }
    }

    private func broken(during: String, reason: String?) -> IMAPError {
        // A failed handshake after STARTTLS is a failure to connect too: running again won't help.
        if let reason, !heardFrom || reason.hasPrefix("TLS handshake") || reason.hasPrefix(HostIdentity.certificatePrefix) { return .connectFailed(server: address.description, reason: reason) }
        return .connectionClosed(during: reason.map { "\(during) (\($0))" } ?? during)
    }

    public func startTLS() throws(IMAPError) {
        let channel = channel, tls = tls, hostname = Self.sniName(address.host)
        do {
            // Made and added on the channel's event loop (the handler is not Sendable). First in
            // the pipeline: the handshake starts at once on the open channel, and the inbox only
            // ever sees decrypted bytes from here on.
            try channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname), position: .first)
            }.wait()
        } catch {
            throw .connectFailed(server: address.description, reason: Self.reason(error))
        }
    }

    public func close() { try? channel.close().wait() }

    /// SNI carries host names only; for an IP address NIOSSL checks the certificate against
    /// the address connected to.
    static func sniName(_ host: String) -> String? {
        (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? NIOSSLError, case let .handshakeFailed(inner) = error {
            return "TLS handshake failed (\(inner)); is the certificate trusted? For a self-signed one, pass --ca-file"
        }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first { return reason(first.error) }
        // "Connection refused", not NIO's "connection reset (error set): Connection refused) (errno: 111)".
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }
}

/// Bytes received and not yet read, shared between the event loop and the caller's thread.
final class Inbox: @unchecked Sendable {
    enum Item { case bytes([UInt8]), closed, failed(String), timedOut }

    // NSCondition guards every field below.
    private let condition = NSCondition()
    private var buffer: [UInt8] = []
    private var ended = false
    private var error: String?
    private var refused = false
    /// Set while reading from the socket is paused because `buffer` is full.
    private var paused = false
    /// Bytes held before the channel stops reading: a server that sends faster than refkit
    /// parses would otherwise fill memory here, before any per-command cap could see them.
    static let highWater = 1 << 20
    /// Turns reading back on (set once, when the channel is made, before any byte arrives).
    var resumeReading: (@Sendable () -> Void)?

    var failure: String? {
        condition.lock(); defer { condition.unlock() }
        return error
    }

    /// Whether the buffer is now full: the handler then stops reading until `take` drains it.
    @discardableResult
    func append(_ bytes: [UInt8]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !refused { buffer += bytes }
        condition.signal()
        if buffer.count >= Self.highWater, !paused {
            paused = true
            return true
        }
        return false
    }

    /// Ends the stream at once, dropping what was received and anything still to come: the
    /// peer is not the server refkit meant to reach.
    func refuse(_ reason: String) {
        condition.lock()
        buffer = []
        refused = true
        ended = true
        error = reason
        condition.signal()
        condition.unlock()
    }

    func end(_ reason: String?) {
        condition.lock()
        ended = true
        if error == nil { error = reason }
        condition.signal()
        condition.unlock()
    }

    /// What arrived, or how the stream ended. Bytes received before the end are read first.
    func take(until deadline: Date) -> Item {
        condition.lock(); defer { condition.unlock() }
        while buffer.isEmpty && !ended {
            if !condition.wait(until: deadline) { return buffer.isEmpty ? .timedOut : .bytes(drain()) }
        }
        if !buffer.isEmpty { return .bytes(drain()) }
        return error.map { .failed($0) } ?? .closed
    }

    /// Called with the lock held; reading resumes on the event loop (setOption hops there).
    private func drain() -> [UInt8] {
        let out = buffer
        buffer = []
        if paused {
            paused = false
            resumeReading?()
        }
        return out
    }
}

/// The last handler in the pipeline: plain (or decrypted) bytes into the inbox.
final class InboxHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let inbox: Inbox
    /// The host name asked for (nil for an IP address), checked against the certificate.
    private let hostName: String?

    init(inbox: Inbox, hostName: String?) {
        self.inbox = inbox
        self.hostName = hostName
    }

    /// NIOSSL fires this after its own checks and before it passes on any decrypted byte or
    /// flushes any write made during the handshake, so a refusal here comes before the
    /// command layer reads or sends anything over TLS.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls, let hostName {
            let leaf = try? context.pipeline.syncOperations.handler(type: NIOSSLClientHandler.self).peerCertificate
            let refusal = leaf.map { HostIdentity.refusal(host: hostName, leaf: $0) } ?? "\(HostIdentity.certificatePrefix) could not be read"
            if let refusal {
                inbox.refuse(refusal)
                context.close(promise: nil)
                return
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if inbox.append(buffer.readBytes(length: buffer.readableBytes) ?? []) {
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        inbox.end(nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        inbox.end(NIOTransport.reason(error))
        context.close(promise: nil)
    }
}
