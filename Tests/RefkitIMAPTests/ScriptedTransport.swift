import Foundation
@testable import RefkitIMAP

/// A server that says its lines in order, one chunk per read, and records what refkit sent:
/// the command layer's bytes, checked exactly, with no network.
final class ScriptedTransport: IMAPTransport {
    private var chunks: [[UInt8]]
    private(set) var sent: [UInt8] = []
    private(set) var tlsStarted = false
    private(set) var closed = false

    init(_ chunks: [String]) { self.chunks = chunks.map { Array($0.utf8) } }
    init(bytes: [[UInt8]]) { chunks = bytes }

    var sentText: String { String(decoding: sent, as: UTF8.self) }

    func send(_ bytes: [UInt8]) throws(IMAPError) { sent += bytes }

    func receive(during: String, until deadline: Date) throws(IMAPError) -> [UInt8] {
        guard !chunks.isEmpty else { throw .connectionClosed(during: during) }
        return chunks.removeFirst()
    }

    func startTLS() throws(IMAPError) { tlsStarted = true }
    func close() { closed = true }
}
