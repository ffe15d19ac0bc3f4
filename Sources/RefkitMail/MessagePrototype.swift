import Foundation
import RefkitMarkdown
import RefkitModel

/// One message rendered once per shape, with sentinels where the referrer's own values go, and
/// cut at the sentinels: a draft is then the cut text with each value escaped for its place.
///
/// Why: the full render runs Mustache three times, cmark once and the layout once per draft,
/// about 2 ms; all of that is the same for every referrer who gets the same message but for a
/// few names. Only the referrer's first name, name, code, link and extra CSV columns differ
/// between drafts of one message (the incentive, deadline and brand are part of the key).
///
/// It must never make different mail from the full render, so:
/// - a section that tests a value (`{{#first_name}}`) makes one prototype per *shape*: which
///   values are empty. Empty values are rendered as themselves, not as sentinels;
/// - a value whose characters could change how cmark reads the text around it (a name starting
///   with punctuation next to `*`, digits before `. `, a backtick, an entity) goes the slow way;
///   so does a template with markup around a value that depends on it (`<`, `&`, `\`,
///   reference definitions);
/// - each prototype is checked once against full renders of the draft that made it and of a
///   probe draft with different values, and is dropped if either differs (a transform such as
///   `{{uppercased(name)}}` changes the probe).
final class MessagePrototype: Sendable {
    /// The subject before `HeaderText.clean`.
    let subject: Segmented
    /// The text/plain part before line ends are normalised.
    let text: Segmented
    /// `Markdown.Rendered.text`, for the preheader.
    let plain: Segmented
    /// The styled HTML body that goes into the layout.
    let body: Segmented
    /// The text part has CRs of its own, so line ends need normalising after filling.
    let textHasCR: Bool
    /// Slots next to `*`, `_` or another value in the Markdown: their first and last
    /// characters decide emphasis, so they must be letters or digits.
    let edgeSensitive: Set<Int>
    /// Slots followed by `.` or `)`: a value of digits only could start an ordered list.
    let digitSensitive: Set<Int>
    /// Slots in a link destination, and those that start one (their scheme decides whether
    /// cmark keeps the link).
    let inHref: Set<Int>
    let startsHref: Set<Int>
    /// Slots in a code span or code block.
    let inCode: Set<Int>
    /// Link slots written `<{{link}}>`: their values must be URLs with a scheme, or cmark
    /// would not read them as autolinks.
    let autolinked: Set<Int>
    let unsafeHTML: Bool

    init(subject: Segmented, text: Segmented, plain: Segmented, body: Segmented, edgeSensitive: Set<Int>,
         digitSensitive: Set<Int>, autolinked: Set<Int> = [], unsafeHTML: Bool) {
        self.autolinked = autolinked
        self.subject = subject
        self.text = text
        self.plain = plain
        self.body = body
        self.textHasCR = text.runs.contains { $0.contains(13) }
        self.edgeSensitive = edgeSensitive
        self.digitSensitive = digitSensitive
        var inHref = Set<Int>(), startsHref = Set<Int>(), inCode = Set<Int>()
        for (index, hole) in body.holes.enumerated() {
            switch hole.context {
            case .markdownHref:
                inHref.insert(hole.slot)
                let before = body.runs[index]
                if before.last == UInt8(ascii: "\"") { startsHref.insert(hole.slot) }
            case .markdownCode: inCode.insert(hole.slot)
            default: break
            }
        }
        self.inHref = inHref
        self.startsHref = startsHref
        self.inCode = inCode
        self.unsafeHTML = unsafeHTML
    }

    /// Whether a draft's values can be filled in; false sends the draft to the full render.
    func accepts(_ values: DraftValues) -> Bool {
        for slot in values.clean.indices where !values.clean[slot].isEmpty {
            let clean = values.clean[slot]
            let markdown = values.markdown[slot]
            if values.kinds[slot] != .link || edgeSensitive.contains(slot) {
                // Letters or digits at both ends read like the sentinel's private-use
                // characters to cmark's flanking rules.
                guard Self.isWordLike(clean.unicodeScalars.first!), Self.isWordLike(clean.unicodeScalars.last!) else { return false }
            }
            // A backtick ends a code span whatever escapes it.
            if markdown.utf8.contains(UInt8(ascii: "`")) { return false }
            if digitSensitive.contains(slot), clean.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { return false }
            if values.kinds[slot] == .link || inHref.contains(slot) {
                // An entity in a link or URL is decoded by cmark; an `_` not between letters
                // could open emphasis.
                let bytes = Array(markdown.utf8)
                if bytes.contains(UInt8(ascii: "&")), bytes.contains(UInt8(ascii: ";")) { return false }
                for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "_") {
                    guard i > 0, i + 1 < bytes.count, Self.isASCIIAlnum(bytes[i - 1]), Self.isASCIIAlnum(bytes[i + 1]) else { return false }
                }
            }
            if autolinked.contains(slot), !Self.hasScheme(markdown) { return false }
            if inHref.contains(slot) {
                if markdown.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) { return false }
                if startsHref.contains(slot), !unsafeHTML {
                    let lower = clean.lowercased()
                    guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") else { return false }
                }
            }
        }
        return true
    }

    /// CommonMark's autolink scheme: a letter, then 1 to 31 letters, digits, `+`, `.` or `-`,
    /// then `:`; the rest of a Markdown-escaped link never has the spaces or `<>` that would
    /// end an autolink.
    static func hasScheme(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(33))
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), (2...32).contains(colon) else { return false }
        guard (0x41...0x5A).contains(bytes[0] & 0xDF) else { return false }
        return bytes[1..<colon].allSatisfy { isASCIIAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    static func isWordLike(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return isASCIIAlnum(UInt8(scalar.value)) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    static func isASCIIAlnum(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// Appends the bytes for `hole` from `values`.
    static func fill(_ hole: Segmented.Hole, _ values: DraftValues, into out: inout [UInt8]) {
        let slot = hole.slot
        switch hole.context {
        case .raw: out += values.clean[slot].utf8
        case .markdownText: FillEscaping.cmarkHTML(FillEscaping.removingBackslashEscapes(Array(values.markdown[slot].utf8)), into: &out)
        case .markdownCode: FillEscaping.cmarkHTML(Array(values.markdown[slot].utf8), into: &out)
        case .markdownHref: FillEscaping.cmarkHref(FillEscaping.removingBackslashEscapes(Array(values.markdown[slot].utf8)), into: &out)
        case .plainText: out += FillEscaping.removingBackslashEscapes(Array(values.markdown[slot].utf8))
        case .plainCode: out += values.markdown[slot].utf8
        case .layoutEscaped, .layoutRaw: out += values.clean[slot].utf8
        }
    }
}

/// A draft's per-referrer values in slot order: first name, name, code, link, then the extra
/// CSV columns; cleaned for headers, and escaped for Markdown as the full render does.
struct DraftValues {
    enum Kind { case text, code, link }
    var clean: [String]
    var markdown: [String]
    var kinds: [Kind]

    static let builtinSlots = 5

    init(_ draft: Draft) {
        let referrer = draft.referrer
        var clean = [HeaderText.clean(referrer.firstName), HeaderText.clean(referrer.name),
                     HeaderText.clean(draft.formattedCode), HeaderText.clean(draft.link), HeaderText.clean(draft.progressLink)]
        var kinds: [Kind] = [.text, .text, .code, .link, .link]
        for field in referrer.extra {
            clean.append(HeaderText.clean(field.value))
            kinds.append(.text)
        }
        var markdown: [String] = []
        markdown.reserveCapacity(clean.count)
        for (value, kind) in zip(clean, kinds) {
            switch kind {
            case .text: markdown.append(ValueEscaping.markdown(value))
            case .code: markdown.append(ValueEscaping.markdownCode(value))
            case .link: markdown.append(ValueEscaping.markdownLink(value))
            }
        }
        self.clean = clean
        self.markdown = markdown
        self.kinds = kinds
    }

    /// Which values are empty: the part of a prototype's key that sections depend on.
    var shape: [Bool] { clean.map(\.isEmpty) }
}

/// The layout rendered once per language, brand and shape, with sentinels for the values that
/// change per draft: title, preheader, body, link, code and first name.
final class LayoutPrototype: Sendable {
    static let title = 0, preheader = 1, body = 2, link = 3, code = 4, firstName = 5
    static let slotCount = 6
    let page: Segmented

    init(page: Segmented) { self.page = page }

    static func fill(_ hole: Segmented.Hole, _ values: [String], into out: inout [UInt8]) {
        switch hole.context {
        // The layout escapes `{{name}}` with `Markup.escape` (see `HTMLTemplate`), by scalar.
        case .layoutEscaped: out += Markup.escape(values[hole.slot]).utf8
        default: out += values[hole.slot].utf8
        }
    }
}

/// Prototypes made so far, shared by the threads composing drafts of one renderer.
final class PrototypeCache: Sendable {
    struct MessageKey: Hashable {
        var incentive: Incentive
        var deadline: String?
        var brand: String
        var extraNames: [String]
        var shape: [Bool]
    }
    struct LayoutKey: Hashable {
        var language: LanguageTag
        var brand: String
        var sender: String
        /// Empty when the draft's blocks leave the incentives out.
        var incentiveReferrer: String
        var incentiveFriend: String
        var shape: [Bool]
    }
    /// A nil value records a prototype that failed its check, so it is not tried again.
    private let messages = Locked<[MessageKey: MessagePrototype?]>([:])
    private let layouts = Locked<[LayoutKey: LayoutPrototype?]>([:])

    func message(_ key: MessageKey, make: () -> MessagePrototype?) -> MessagePrototype? {
        Self.entry(key, in: messages, make: make)
    }

    func layout(_ key: LayoutKey, make: () -> LayoutPrototype?) -> LayoutPrototype? {
        Self.entry(key, in: layouts, make: make)
    }

    private static func entry<Key, Value>(_ key: Key, in cache: Locked<[Key: Value?]>, make: () -> Value?) -> Value? {
        if let known = cache.withLock({ $0[key] }) { return known }
        // Two threads may both make a missing prototype; both get the same result, and the
        // lock is not held while rendering (a full render of the message, checked twice).
        let made = make()
        cache.withLock { $0[key] = .some(made) }
        return made
    }
}
