/// A byte stream to the server. `NIOTransport` is the real one (swift-nio, TLS by
/// swift-nio-ssl); tests drive `IMAPClient` with a scripted one.
public protocol IMAPTransport: AnyObject {
    func send(_ bytes: [UInt8]) throws(IMAPError)
    /// Some bytes, waiting up to the transport's timeout. Throws `connectionClosed` at the end
    /// of the stream, `timedOut` when nothing came.
    func receive(during: String) throws(IMAPError) -> [UInt8]
    /// Starts TLS on the open connection (after STARTTLS's tagged OK).
    func startTLS() throws(IMAPError)
    func close()
}
