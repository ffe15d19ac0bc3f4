/// Escaping for HTML text, quoted HTML attributes and XML: the five characters that can end
/// a text run or an attribute. One function, so every renderer escapes the same way.
///
/// It works on Unicode scalars (UTF-8 bytes), not on Swift `Character`s: a combining mark
/// after a quote (`"` + U+0301) is one `Character` that compares unequal to `"`, yet an HTML
/// parser reads code points and sees the quote end the attribute. Escaping by grapheme, as
/// swift-mustache's own HTML escaping does, lets such a value break out of an attribute.
public enum Markup {
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            // Most values have nothing to escape: hand the string back without copying.
            guard utf8.contains(where: { needsEscape[Int($0)] }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(utf8.count + 16)
            append(utf8, to: &out)
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    /// Appends the escaped UTF-8 of `utf8` to `out`: for renderers that build pages as bytes.
    public static func append(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        for (i, byte) in utf8.enumerated() where needsEscape[Int(byte)] {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: amp)
            case UInt8(ascii: "<"): out.append(contentsOf: lt)
            case UInt8(ascii: ">"): out.append(contentsOf: gt)
            case UInt8(ascii: "\""): out.append(contentsOf: quot)
            default: out.append(contentsOf: apos)
            }
            start = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)
    private static let needsEscape: [Bool] = (0..<256).map { "&<>\"'".utf8.contains(UInt8($0)) }
}
