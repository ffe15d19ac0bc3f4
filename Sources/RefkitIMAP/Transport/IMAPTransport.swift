import Foundation

/// A byte stream to the server. `NIOTransport` is the real one (swift-nio, TLS by
/// swift-nio-ssl); tests drive `IMAPClient` with a scripted one.
public protocol IMAPTransport: AnyObject {
    func send(_ bytes: [UInt8]) throws(IMAPError)
    /// Some bytes, waiting until `deadline` at most (the command's, not the read's: a server
    /// that trickles a byte at a time cannot stretch it). Throws `connectionClosed` at the end
    /// of the stream, `timedOut` when nothing came in time.
    func receive(during: String, until deadline: Date) throws(IMAPError) -> [UInt8]
    /// Starts TLS on the open connection (after STARTTLS's tagged OK).
    func startTLS() throws(IMAPError)
    func close()
}
