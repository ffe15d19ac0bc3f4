import RefkitModel

/// Quoting for the host files, each by the rules of the program that reads it: sh, nginx and
/// Netlify's `_headers`. Every value in those files goes through here.
///
/// The loader already refuses what a config line cannot hold (`WebAddress`, one-line names), so
/// these are the second line: a value that reaches a host file some other way (a `Site` made
/// in code, a later feature) still cannot add a command, a directive or a header. All of it
/// works on bytes or Unicode scalars, never on Characters: `'` followed by U+0301 is one
/// Character that is not a quote, but the shell reads a quote.
enum ConfigText {
    /// A shell word in single quotes, which the shell reads without any expansion; a `'` inside
    /// is closed, escaped and reopened (`'\''`). Byte by byte, so nothing can end the word early.
    static func shellQuoted(_ value: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "'")]
        for byte in value.utf8 {
            if byte == UInt8(ascii: "'") { out += Array("'\\''".utf8) } else { out.append(byte) }
        }
        out.append(UInt8(ascii: "'"))
        return String(decoding: out, as: UTF8.self)
    }

    /// A comment's text (sh and nginx both end a comment at a newline only): control characters,
    /// line separators and bidi overrides shown as `<U+XXXX>`, so a brand name cannot start a line.
    static func comment(_ value: String) -> String {
        VisibleText.escaped(value)
    }

    /// An nginx string in double quotes. nginx reads `\"` and `\\` inside one, but expands `$name`
    /// with no way to escape the `$`; and a header value is one line of visible ASCII. Values
    /// come from refkit's own header table and `WebAddress` parts, which hold none of these, so
    /// anything else is replaced by `?` rather than trusted.
    static func nginxQuoted(_ value: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "$"), 0..<0x20, 0x7F...: out.append(UInt8(ascii: "?"))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// A header value for one `Name: value` line of `_headers`: visible ASCII only, for the
    /// same reason as `nginxQuoted`.
    static func headerValue(_ value: String) -> String {
        String(decoding: value.utf8.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// Whether a site path can be named in a host file as it is: letters, digits and `-._~/`.
    /// Hashed theme files are named after files in `site-templates/static/`; one with a space,
    /// a quote, a glob character or a newline in its name keeps the ordinary cache header
    /// instead of being written into a rule.
    static func isPlainPath(_ path: String) -> Bool {
        !path.isEmpty && path.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || "-._~/".utf8.contains(b)
        } && !path.hasPrefix("/") && !path.contains("..")
    }
}
