import Foundation
import PropertyBased
import RefkitCodes
import RefkitModel
import RefkitSite
import Testing

/// Any string, including the characters that break things: markup, quotes, controls, bidi
/// overrides, surrogate-range neighbours, emoji and combining marks.
/// A combining mark stands alone in the pool too, so it lands after a quote or `<`: Swift then
/// sees one `Character` (`"` + U+0301) that is not a quote, while HTML parsers see a quote.
let hostileCharacter = Gen<Character?>.element(
    of: Array("<>&\"'/\\`=:;{}[]()%#?+@ \t\r\n\u{0}\u{7F}\u{2028}\u{2029}\u{202E}\u{200B}\u{FEFF}abcXYZ019éßçñ日本語中文👩‍🍳🇫🇷e\u{301}")
        + ["\u{301}", "\u{20DD}", "\u{200D}"]
).map { $0! }
let hostileString = hostileCharacter.string(of: 0...40)

@Suite("Escaping functions hold for any input")
struct EscapingProperties {
    @Test("jsonString is valid JSON that decodes to the input and never contains < > &")
    func jsonString() async {
        await propertyCheck(count: 500, input: hostileString) { text in
            let json = Escape.jsonString(text)
            #expect(!json.unicodeScalars.contains { "<>&".unicodeScalars.contains($0) })
            let decoded = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) as? String
            #expect(decoded == text)
        }
    }

    @Test("xml escaping leaves no markup character and round-trips")
    func xml() async {
        await propertyCheck(count: 500, input: hostileString) { text in
            let escaped = Escape.xml(text)
            // By scalar: a quote hidden in a grapheme with a combining mark still ends an attribute.
            #expect(!escaped.unicodeScalars.contains { "<>\"'".unicodeScalars.contains($0) })
            // Decoded on bytes: Foundation's replacingOccurrences matches whole graphemes and
            // would miss `&quot;` when a combining mark follows its `;`.
            var back: [UInt8] = []
            var rest = Array(escaped.utf8)[...]
            let entities: [(String, String)] = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")]
            while let first = rest.first {
                if let (entity, character) = entities.first(where: { rest.starts(with: $0.0.utf8) }) {
                    back += character.utf8
                    rest = rest.dropFirst(entity.utf8.count)
                } else {
                    back.append(first)
                    rest = rest.dropFirst()
                }
            }
            #expect(String(decoding: back, as: UTF8.self) == text)
        }
    }

    @Test("urlComponent keeps only unreserved characters and percent-escapes, and decodes back")
    func urlComponent() async {
        await propertyCheck(count: 500, input: hostileString) { text in
            let encoded = Escape.urlComponent(text)
            #expect(encoded.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-._~%".unicodeScalars.contains($0)) })
            // Decoded by hand: Foundation's removingPercentEncoding drops a leading U+FEFF.
            var bytes: [UInt8] = []
            let utf8 = Array(encoded.utf8)
            var k = 0
            while k < utf8.count {
                if utf8[k] == UInt8(ascii: "%"), k + 2 < utf8.count, let b = UInt8(String(decoding: utf8[(k + 1)...(k + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(b)
                    k += 3
                } else {
                    bytes.append(utf8[k])
                    k += 1
                }
            }
            #expect(String(decoding: bytes, as: UTF8.self) == text)
        }
    }

    @Test("safeURL never lets through a scheme other than http, https or mailto")
    func safeURL() async {
        let scheme = Gen<String?>.element(of: ["javascript", "JaVaScRiPt", "data", "vbscript", "file", "http", "https", "mailto", "", "java\tscript"]).map { $0! }
        await propertyCheck(count: 500, input: scheme, hostileString) { scheme, rest in
            let candidate = scheme + ":" + rest
            guard let safe = Escape.safeURL(candidate) else { return }
            let lowered = safe.lowercased()
            if let colon = lowered.firstIndex(of: ":"), !lowered[..<colon].contains("/"), !lowered[..<colon].contains("?"), !lowered[..<colon].contains("#") {
                let s = String(lowered[..<colon])
                #expect(["http", "https", "mailto"].contains(s) || !s.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } || s.isEmpty,
                        "\(candidate) passed as \(safe)")
            }
            #expect(!lowered.hasPrefix("javascript:") && !lowered.hasPrefix("data:") && !lowered.hasPrefix("vbscript:"))
        }
    }
}

@Suite("Code normalisation holds for any code and any way of typing it")
struct CodeProperties {
    static let symbols = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A valid code: 8 data symbols and the check symbol the library computes.
    static func code(_ data: [Character]) -> InviteCode? {
        // Try each check symbol; exactly one makes a valid code.
        for check in symbols {
            if let code = InviteCode.parse(String(data) + String(check)) { return code }
        }
        return nil
    }

    @Test("exactly one check symbol completes any 8 symbols, and every typing of the code parses back to it")
    func typings() async {
        let data = Gen<Character?>.element(of: Self.symbols).map { $0! }.array(of: 8)
        let style = Gen<String?>.element(of: ["plain", "lower", "spaced", "hyphens", "lookalikes"]).map { $0! }
        await propertyCheck(count: 300, input: data, style) { data, style in
            let valid = Self.symbols.filter { InviteCode.parse(String(data) + String($0)) != nil }
            #expect(valid.count == 1)
            guard let code = Self.code(data) else { return }
            var typed = code.formatted(group: 4)
            switch style {
            case "lower": typed = typed.lowercased()
            case "spaced": typed = typed.replacingOccurrences(of: "-", with: " ")
            case "hyphens": typed = typed.map(String.init).joined(separator: "-")
            case "lookalikes": typed = typed.replacingOccurrences(of: "0", with: "O").replacingOccurrences(of: "1", with: "l")
            default: break
            }
            #expect(InviteCode.parse(typed) == code, "\(typed)")
            #expect(InviteCode.normalize(InviteCode.normalize(typed)) == InviteCode.normalize(typed))
        }
    }

    @Test("any single substitution or neighbour swap of a code is refused")
    func singleErrors() async {
        let symbol = Gen<Character?>.element(of: Self.symbols).map { $0! }
        await propertyCheck(count: 200, input: symbol.array(of: 8), Gen.int(in: 0...8), symbol) { data, position, replacement in
            guard let code = Self.code(data) else { return }
            var chars = Array(code.rawValue)
            if chars[position] != replacement {
                var typo = chars
                typo[position] = replacement
                #expect(InviteCode.parse(String(typo)) == nil)
            }
            if position < 8, chars[position] != chars[position + 1] {
                chars.swapAt(position, position + 1)
                #expect(InviteCode.parse(String(chars)) == nil)
            }
        }
    }
}
