/// How a value is made safe for each place it goes.
///
/// The HTML part is made by rendering the Mustache body to Markdown and the Markdown to HTML,
/// so a value substituted into the body must stay literal text through both: a name like
/// `<script>alert(1)</script>` or `**Bob**` must show as written, never run or format.
enum ValueEscaping {
    /// Backslash-escapes every ASCII punctuation character, which CommonMark then reads as
    /// that literal character (spec 2.4); cmark in turn escapes `<`, `>`, `&` and `"` for
    /// HTML. Letters, digits and non-ASCII text are left alone. The one cost: inside a code
    /// span the backslashes show, so put values in code spans only if they are codes or links.
    static func markdown(_ text: String) -> String {
        // Most names have no ASCII punctuation or symbol: nothing to escape, no new string.
        if !text.utf8.contains(where: { $0 < 0x80 && FillEscaping.isASCIIPunctuation($0) }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if scalar.isASCII, scalar.properties.generalCategory.isPunctuationOrSymbol {
                out.append("\\")
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Invite codes are letters, digits and `-`: they can go into a Markdown code span or a
    /// link as they are. Anything else is escaped like other text.
    static func markdownCode(_ code: String) -> String {
        code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSetLite.isAlnum($0) || $0 == "-") } ? code : markdown(code)
    }

    /// The link is written as it is so that it works in every Markdown context (text, `[..](..)`,
    /// `<...>` autolinks, code spans), except for the characters that would end a link
    /// destination or start formatting, which are percent-encoded; so is anything non-ASCII.
    static func markdownLink(_ link: String) -> String {
        if link.utf8.allSatisfy(isLinkSafe) { return link }
        var out = ""
        for byte in link.utf8 {
            let scalar = Unicode.Scalar(byte)
            if isLinkSafe(byte) {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    /// The bytes a link keeps as they are.
    /// A switch, not `"<>()…".utf8.contains`: that walked a string per byte of both links of
    /// every draft (3% of composing one, callgrind said).
    private static func isLinkSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "{"), UInt8(ascii: "}"),
             UInt8(ascii: "|"), UInt8(ascii: "^"), UInt8(ascii: " "):
            return false
        default:
            return byte < 0x80 && byte > 0x20 && byte != 0x7F
        }
    }

    /// Links shown by the layout in an `href`: only web and mail links, so that a bad value
    /// cannot become a `javascript:` URL.
    static func safeLink(_ link: String) -> String {
        let lower = link.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") ? link : ""
    }
}

enum CharacterSetLite {
    static func isAlnum(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }
}

extension Unicode.GeneralCategory {
    var isPunctuationOrSymbol: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
