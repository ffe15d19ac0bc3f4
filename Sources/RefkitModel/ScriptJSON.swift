import Foundation

/// JSON for data inside an HTML `<script>` element, shared by every renderer that embeds data
/// in a page (the site's split and JSON-LD, the counter page's tables).
public enum ScriptJSON {
    /// A JSON string literal that is also safe inside `<script>`: `<`, `>` and `&` are written
    /// as `\u003c` and friends, so `</script>` or `<!--` in a value cannot end the script
    /// element or open a comment; U+2028 and U+2029 are escaped because older JavaScript
    /// parsers end a line at them. Works by Unicode scalar, so a quote followed by a combining
    /// mark is still escaped.
    public static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // U+FEFF too: some JSON readers drop a leading byte-order mark.
            case "<", ">", "&", "\u{2028}", "\u{2029}", "\u{FEFF}":
                out += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}
