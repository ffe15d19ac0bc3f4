/// A BCP 47 language tag such as `fr`, `ja`, `zh-Hans` or `pt-BR`, in its canonical case.
public struct LanguageTag: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts `language[-Script][-REGION]` (the subset programmes need) and canonicalises case:
    /// `ZH-hans` becomes `zh-Hans`, `pt-br` becomes `pt-BR`. Returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy(\.isASCIILetter) else { return nil }
        var out = [first.lowercased()]
        for part in parts.dropFirst() {
            if part.count == 4, part.allSatisfy(\.isASCIILetter) {
                out.append(part.prefix(1).uppercased() + part.dropFirst().lowercased())
            } else if part.count == 2, part.allSatisfy(\.isASCIILetter) {
                out.append(part.uppercased())
            } else if part.count == 3, part.allSatisfy(\.isASCIIDigit) {
                out.append(part)
            } else {
                return nil
            }
        }
        guard out.count <= 3 else { return nil }
        rawValue = out.joined(separator: "-")
    }

    /// The primary language subtag: `zh` for `zh-Hant`.
    public var language: String { String(rawValue.prefix { $0 != "-" }) }

    /// Chinese and Japanese need their own font stacks and no spaces between words.
    public var isCJK: Bool { ["zh", "ja", "ko"].contains(language) }

    public var description: String { rawValue }
    public static func < (a: LanguageTag, b: LanguageTag) -> Bool { a.rawValue < b.rawValue }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension LanguageTag: Codable {
    /// A tag is written as its text and read back through `init?(_:)`, so a decoded tag is
    /// as canonical as a parsed one.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let tag = LanguageTag(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a language tag")
        }
        self = tag
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
