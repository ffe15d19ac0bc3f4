/// One value of a server response (RFC 3501 9): an atom (numbers and flags included), a
/// string (quoted or literal, as bytes), NIL, or a parenthesised list.
public enum IMAPToken: Equatable, Sendable {
    case atom(String)
    case string([UInt8])
    case nilValue
    case list([IMAPToken])

    /// An atom or a string as text (lossy UTF-8), nil for NIL and lists.
    public var text: String? {
        switch self {
        case let .atom(a): return a
        case let .string(s): return String(decoding: s, as: UTF8.self)
        default: return nil
        }
    }

    /// An atom or string's bytes: a mailbox name exactly as the server spelt it.
    public var bytes: [UInt8]? {
        switch self {
        case let .atom(a): return Array(a.utf8)
        case let .string(s): return s
        default: return nil
        }
    }
}

/// Reads tokens from the bytes of one framed response.
public struct IMAPTokenizer {
    private let bytes: [UInt8]
    private var position: Int
    /// Lists nested deeper than this are refused (a hostile server's `((((...`).
    private let maxDepth = 32

    public init(_ bytes: [UInt8], from position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    public mutating func all() throws(IMAPError) -> [IMAPToken] {
        var out: [IMAPToken] = []
        while let token = try next(depth: 0) { out.append(token) }
        return out
    }

    private mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == 0x20 { position += 1 }
    }

    private mutating func next(depth: Int) throws(IMAPError) -> IMAPToken? {
        skipSpaces()
        guard position < bytes.count else { return nil }
        switch bytes[position] {
        case 0x28:  // (
            guard depth < maxDepth else { throw .protocolViolation("lists nested more than \(maxDepth) deep") }
            position += 1
            var items: [IMAPToken] = []
            while true {
                skipSpaces()
                guard position < bytes.count else { throw .protocolViolation("a list without its closing parenthesis") }
                if bytes[position] == 0x29 { position += 1; return .list(items) }
                guard let item = try next(depth: depth + 1) else { throw .protocolViolation("a list without its closing parenthesis") }
                items.append(item)
            }
        case 0x29:
            throw .protocolViolation("a closing parenthesis without its opening one")
        case 0x22:  // "
            position += 1
            var out: [UInt8] = []
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == 0x22 { return .string(out) }
                if byte == 0x5C, position < bytes.count { out.append(bytes[position]); position += 1; continue }
                out.append(byte)
            }
            throw .protocolViolation("a quoted string without its closing quote")
        case 0x7B:  // {n}CRLF then n bytes
            guard let close = bytes[position...].firstIndex(of: 0x7D) else { throw .protocolViolation("a literal without its size") }
            var digits = bytes[(position + 1)..<close]
            if digits.last == 0x2B { digits = digits.dropLast() }
            guard digits.count <= 12, let count = Int(String(decoding: digits, as: UTF8.self)) else {
                throw .protocolViolation("a literal whose size is not a number")
            }
            var at = close + 1
            if at < bytes.count, bytes[at] == 0x0D { at += 1 }
            guard at < bytes.count || count == 0, at <= bytes.count else { throw .protocolViolation("a literal cut short") }
            if at < bytes.count, bytes[at] == 0x0A { at += 1 } else if count > 0 { throw .protocolViolation("a literal without CRLF after its size") }
            guard at + count <= bytes.count else { throw .protocolViolation("a literal cut short") }
            position = at + count
            return .string(Array(bytes[at..<(at + count)]))
        default:
            let begin = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == 0x20 || byte == 0x28 || byte == 0x29 || byte == 0x22 || byte < 0x20 || byte == 0x7F { break }
                // A FETCH section (`BODY[HEADER.FIELDS (MESSAGE-ID)]`) holds spaces and
                // parentheses: it runs to its closing bracket.
                if byte == 0x5B {
                    guard let close = bytes[position...].firstIndex(of: 0x5D) else { throw .protocolViolation("a section without its closing bracket") }
                    position = close + 1
                    continue
                }
                position += 1
            }
            guard position > begin else { throw .protocolViolation("a control character where a value belongs") }
            let atom = String(decoding: bytes[begin..<position], as: UTF8.self)
            return atom.uppercased() == "NIL" ? .nilValue : .atom(atom)
        }
    }
}
