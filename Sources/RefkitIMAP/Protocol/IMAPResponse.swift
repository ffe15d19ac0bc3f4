/// One response from the server (RFC 3501 7): a continuation request (`+`), untagged data
/// (`*`), or the tagged end of a command.
public enum IMAPResponse: Equatable, Sendable {
    case continuation(String)
    /// `* KEYWORD rest` or `* n KEYWORD rest` (EXISTS, FETCH...). The keyword is upper case;
    /// `rest` is the raw bytes after it, literals included, for the tokenizer.
    case untagged(keyword: String, number: UInt32?, rest: [UInt8])
    case tagged(tag: String, status: IMAPStatus, text: IMAPText)

    public init(parsing line: [UInt8]) throws(IMAPError) {
        guard let first = line.first else { throw .protocolViolation("an empty line") }
        if first == 0x2B {  // +
            self = .continuation(Self.text(line.dropFirst(line.count > 1 && line[1] == 0x20 ? 2 : 1)))
            return
        }
        guard let space = line.firstIndex(of: 0x20) else {
            throw .protocolViolation("\"\(IMAPText.shown(Self.text(line[...])))\"")
        }
        let head = line[..<space]
        var rest = line[(space + 1)...]
        if head.elementsEqual([0x2A]) {  // *
            var word = Self.word(&rest)
            var number: UInt32?
            if let n = UInt32(word) {
                number = n
                word = Self.word(&rest)
            }
            guard !word.isEmpty else { throw .protocolViolation("an untagged response without a keyword") }
            self = .untagged(keyword: word.uppercased(), number: number, rest: Array(rest))
            return
        }
        let tag = String(decoding: head, as: UTF8.self)
        let word = Self.word(&rest)
        guard let status = IMAPStatus(rawValue: word.uppercased()) else {
            throw .protocolViolation("\"\(IMAPText.shown(Self.text(line[...])))\"")
        }
        self = .tagged(tag: tag, status: status, text: IMAPText(rest))
    }

    /// The next space-separated word, consumed.
    static func word(_ rest: inout ArraySlice<UInt8>) -> String {
        let end = rest.firstIndex(of: 0x20) ?? rest.endIndex
        let word = String(decoding: rest[..<end], as: UTF8.self)
        rest = end < rest.endIndex ? rest[(end + 1)...] : rest[end...]
        return word
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
}

public enum IMAPStatus: String, Sendable {
    case ok = "OK", no = "NO", bad = "BAD", bye = "BYE", preauth = "PREAUTH"
}

/// `resp-text`: an optional `[CODE args]` and the human words. refkit passes the server's
/// words on as they are, so that a user can search for them.
public struct IMAPText: Equatable, Sendable {
    /// The response code with its arguments, e.g. `AUTHENTICATIONFAILED`, `CAPABILITY IMAP4rev1 ...`.
    public var code: String?
    public var text: String

    public init(code: String?, text: String) {
        self.code = code
        self.text = text
    }

    init(_ bytes: ArraySlice<UInt8>) {
        var rest = bytes
        var code: String?
        if rest.first == 0x5B, let close = rest.firstIndex(of: 0x5D) {
            code = String(decoding: rest[(rest.startIndex + 1)..<close], as: UTF8.self)
            rest = rest[(close + 1)...]
            while rest.first == 0x20 { rest = rest.dropFirst() }
        }
        self.init(code: code, text: String(decoding: rest, as: UTF8.self))
    }

    /// The code's first word, upper case (`AUTHENTICATIONFAILED`).
    public var codeName: String? { code.map { String($0.prefix { $0 != " " }).uppercased() } }

    /// The server's words as refkit shows them: `[CODE] text`, cut at 300 characters (a
    /// hostile server's megabyte of text is not worth a screen) and with control characters
    /// made visible.
    public var shown: String {
        Self.shown((codeName.map { "[\($0)] " } ?? "") + text)
    }

    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(300) {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                out += "<U+" + String(scalar.value, radix: 16, uppercase: true) + ">"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return text.unicodeScalars.count > 300 ? out + "…" : out
    }
}
