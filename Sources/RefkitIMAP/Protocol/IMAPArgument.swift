/// How one user-supplied value is written into a command: as a quoted string when every byte
/// allows it, as a literal otherwise (RFC 3501 4.3, 9: `quoted` excludes CR, LF and 8-bit
/// bytes; `"` and `\` are escaped). Decided by bytes, never by Character, so that no folder
/// name, user name or password can end the command line and start another one.
public enum IMAPArgument: Equatable, Sendable {
    /// `"..."`, escaped.
    case quoted([UInt8])
    /// `{n}` CRLF then the bytes, sent after the server's `+` (or at once with LITERAL+).
    case literal([UInt8])

    /// The value as IMAP must carry it. NUL is in neither `quoted` nor `literal` (only in
    /// BINARY's `literal8`), so it is refused rather than dropped.
    public init(_ bytes: [UInt8], what: String) throws(IMAPError) {
        if bytes.contains(0) {
            throw .unsendable(what: what, reason: "it contains a NUL byte")
        }
        // A long quoted string is legal, but servers cap line lengths; a literal has no limit.
        if bytes.count <= 1000, bytes.allSatisfy({ $0 >= 0x01 && $0 <= 0x7F && $0 != 0x0D && $0 != 0x0A }) {
            self = .quoted(bytes)
        } else {
            self = .literal(bytes)
        }
    }

    public init(_ text: String, what: String) throws(IMAPError) {
        try self.init(Array(text.utf8), what: what)
    }

    /// The quoted form's bytes: `"` and `\` get a backslash, nothing else changes.
    static func quote(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(bytes.count + 2)
        for byte in bytes {
            if byte == 0x22 || byte == 0x5C { out.append(0x5C) }
            out.append(byte)
        }
        out.append(0x22)
        return out
    }
}
