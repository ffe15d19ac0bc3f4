import Foundation

/// Length-prefixed messages over one end of a Unix socket pair: an 8-byte little-endian
/// length, then that many bytes. The build and its print workers talk this way.
///
/// Writes use `Syscalls.sendAll`, so a peer that has gone away is an error to report
/// (`EPIPE`), not a `SIGPIPE` that would kill refkit without a word.
struct FrameChannel {
    let fd: Int32

    /// The peer closed the socket or sent something that is not a frame.
    struct Broken: Error, CustomStringConvertible {
        var description: String
    }

    func send(_ payload: Data) throws {
        var length = UInt64(payload.count).littleEndian
        try withUnsafeBytes(of: &length) { try sendAll($0) }
        try payload.withUnsafeBytes { try sendAll($0) }
    }

    func send<T: Encodable>(json value: T) throws {
        try send(try JSONEncoder().encode(value))
    }

    /// The next frame, or nil when the peer closed the socket between frames.
    func receive() throws -> Data? {
        var header = Data(count: 8)
        guard try header.withUnsafeMutableBytes({ try receiveAll($0, endOK: true) }) else { return nil }
        let length = header.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        // A frame holds one print file at most; anything near this is a corrupt stream.
        guard length < 1 << 36 else { throw Broken(description: "a message claims \(length) bytes") }
        var payload = Data(count: Int(length))
        _ = try payload.withUnsafeMutableBytes { try receiveAll($0, endOK: false) }
        return payload
    }

    func receive<T: Decodable>(json type: T.Type) throws -> T? {
        guard let frame = try receive() else { return nil }
        return try JSONDecoder().decode(type, from: frame)
    }

    private func sendAll(_ bytes: UnsafeRawBufferPointer) throws {
        do throws(Syscalls.Errno) {
            try Syscalls.sendAll(fd, bytes)
        } catch {
            throw Broken(description: "sending failed: \(error.reason)")
        }
    }

    /// Fills `bytes`. Returns false when the peer closed before the first byte and `endOK`.
    private func receiveAll(_ bytes: UnsafeMutableRawBufferPointer, endOK: Bool) throws -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n: Int
            do throws(Syscalls.Errno) {
                n = try Syscalls.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: bytes[offset...]))
            } catch {
                throw Broken(description: "receiving failed: \(error.reason)")
            }
            if n == 0 {
                if offset == 0 && endOK { return false }
                throw Broken(description: "the other side closed in the middle of a message")
            }
            offset += n
        }
        return true
    }
}
