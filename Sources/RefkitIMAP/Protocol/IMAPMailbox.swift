import Foundation

/// A mailbox from LIST: its name exactly as the server spelt it (modified UTF-7, or UTF-8
/// after UTF8=ACCEPT) and its attributes (`\Drafts`, `\Noselect`...), for RFC 6154's special
/// uses.
public struct IMAPMailbox: Equatable, Sendable {
    public var wireName: [UInt8]
    public var attributes: [String]
    public var delimiter: String?

    public init(wireName: [UInt8], attributes: [String], delimiter: String?) {
        self.wireName = wireName
        self.attributes = attributes
        self.delimiter = delimiter
    }

    /// Parses the part after `* LIST `: `(\HasNoChildren \Drafts) "/" "Drafts"`.
    public init(listData rest: [UInt8]) throws(IMAPError) {
        var tokenizer = IMAPTokenizer(rest)
        let tokens = try tokenizer.all()
        guard tokens.count >= 3, case let .list(flags) = tokens[0], let name = tokens[2].bytes else {
            throw .protocolViolation("a LIST response refkit cannot read")
        }
        self.init(wireName: name, attributes: flags.compactMap(\.text), delimiter: tokens[1].text)
    }

    public func has(_ attribute: String) -> Bool {
        attributes.contains { $0.caseInsensitiveCompare(attribute) == .orderedSame }
    }

    /// The name as a person reads it.
    public var shownName: String {
        let raw = String(decoding: wireName, as: UTF8.self)
        return IMAPText.shown(ModifiedUTF7.decode(raw) ?? raw)
    }
}
