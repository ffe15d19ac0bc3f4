/// Cuts the bytes a server sends into whole responses: a line ending in CRLF, and when a line
/// ends with a literal's `{n}`, the n bytes after it and the line that continues the response
/// (RFC 3501 7.5, 9). Everything it reads is capped: a server that sends garbage, a line
/// without end or a literal of gigabytes gets an error, not refkit's memory.
public struct IMAPFramer: Sendable {
    /// Longer than any line an honest server sends (Dovecot's own limit is 64 KiB).
    public var maxLine = 65_536
    /// LIST names and FETCHed Message-ID headers are small: 1 MiB is generous.
    public var maxLiteral = 1_048_576
    /// One response in all, literals included.
    public var maxResponse = 4_194_304

    private var buffer: [UInt8] = []
    /// Where the next response starts in `buffer` (consumed bytes are dropped in batches).
    private var start = 0

    public init() {}

    /// Bytes received and not yet part of a returned response.
    public var pending: Int { buffer.count - start }

    public mutating func append(_ bytes: [UInt8]) {
        if start > 65_536 && start * 2 > buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer += bytes
    }

    /// The next whole response without its final CRLF, or nil when more bytes are needed.
    public mutating func next() throws(IMAPError) -> [UInt8]? {
        var lineStart = start
        while true {
            guard let lf = buffer[lineStart...].firstIndex(of: 0x0A) else {
                if buffer.count - lineStart > maxLine { throw .protocolViolation("a line longer than \(maxLine) bytes") }
                return nil
            }
            let lineEnd = lf > lineStart && buffer[lf - 1] == 0x0D ? lf - 1 : lf
            if lineEnd - lineStart > maxLine { throw .protocolViolation("a line longer than \(maxLine) bytes") }
            if let count = try Self.literalCount(buffer[lineStart..<lineEnd]) {
                guard count <= maxLiteral else {
                    throw .protocolViolation("a literal of \(count) bytes (refkit reads at most \(maxLiteral))")
                }
                let after = lf + 1 + count
                if after - start > maxResponse { throw .protocolViolation("a response longer than \(maxResponse) bytes") }
                guard after <= buffer.count else { return nil }
                lineStart = after
                continue
            }
            if lf + 1 - start > maxResponse { throw .protocolViolation("a response longer than \(maxResponse) bytes") }
            let response = Array(buffer[start..<lineEnd])
            start = lf + 1
            return response
        }
    }

    /// `{123}` or `{123+}` at the end of a line: the literal's size.
    static func literalCount(_ line: ArraySlice<UInt8>) throws(IMAPError) -> Int? {
        guard line.last == 0x7D, let open = line.lastIndex(of: 0x7B) else { return nil }
        var digits = line[(open + 1)..<(line.endIndex - 1)]
        if digits.last == 0x2B { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        guard digits.count <= 12, let count = Int(String(decoding: digits, as: UTF8.self)) else {
            throw .protocolViolation("a literal whose size is not a number refkit can read")
        }
        return count
    }
}
