import Foundation
import RefkitModel

/// Escaping for the places user values land that Mustache's HTML escaping does not cover.
///
/// Mustache's `{{value}}` escapes `< > & " '`, which is right for HTML text and quoted
/// attributes. URLs, JSON inside `<script>` and XML need their own rules, applied here before
/// the values reach a template (and inserted with `{{{ }}}` only when produced here).
public enum Escape {
    /// A link target that is safe to put in `href`/`src`: http(s), mailto, or a relative path.
    /// Anything else (`javascript:`, `data:`, `vbscript:` ...) becomes nil.
    public static func safeURL(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        // Browsers ignore tabs and newlines inside schemes; refuse them rather than guess.
        if let colon = trimmed.firstIndex(of: ":") {
            let scheme = trimmed[..<colon]
            let isScheme = scheme.first?.isLetter == true && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
            let beforeSlash = !trimmed[..<colon].contains("/") && !trimmed[..<colon].contains("?") && !trimmed[..<colon].contains("#")
            if isScheme && beforeSlash {
                return ["http", "https", "mailto"].contains(scheme.lowercased()) ? trimmed : nil
            }
        }
        return trimmed
    }

    /// Percent-encodes a value for a URL query or path segment (RFC 3986 unreserved kept).
    /// Works on the UTF-8 bytes: every personal page encodes its share message three times.
    public static func urlComponent(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3)
        for byte in text.utf8 {
            if unreserved[Int(byte)] {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let unreserved: [Bool] = (0..<256).map { byte in
        let c = UInt8(byte)
        return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || "-._~".utf8.contains(c)
    }

    /// An address as the `to` of a `mailto:` link: percent-encoded but for the `@` and the `+`
    /// of tagged addresses, so that a `?`, `&` or `#` in it can never start a `cc=` or `bcc=`
    /// field (the loader refuses such addresses; this holds for any `Site`).
    public static func mailtoAddress(_ address: String) -> String {
        address.split(separator: "@", omittingEmptySubsequences: false)
            .map { urlComponent(String($0)).replacingOccurrences(of: "%2B", with: "+") }
            .joined(separator: "@")
    }

    /// Percent-encodes each segment of a relative path (keeps the `/` separators).
    public static func urlPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { urlComponent(String($0)) }.joined(separator: "/")
    }

    /// A JSON string literal that is also safe inside `<script>` (see `ScriptJSON`).
    public static func jsonString(_ text: String) -> String { ScriptJSON.string(text) }

    /// XML text and attribute escaping (sitemap.xml).
    public static func xml(_ text: String) -> String { Markup.escape(text) }
}
