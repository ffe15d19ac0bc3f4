/// Text made safe to show on a terminal or in a one-line config comment: every control
/// character is written out as `<U+001B>` instead of being sent as itself.
///
/// Diagnostics quote what they refuse, and what they refuse is often hostile: an email cell
/// holding `ESC ] 0 ; ... BEL` sets the terminal's title when echoed raw, a CR moves the cursor
/// back over the message, and U+202E reverses the text after it. Showing each such scalar as
/// its code point keeps the message honest and the terminal untouched. Works on Unicode
/// scalars, never on Characters: a control character with a combining mark on it is still one.
public enum VisibleText {
    /// C0 controls (tab and newline included: a quoted value is one line), DEL, C1 controls, the
    /// bidi embeddings, overrides and isolates, and the line and paragraph separators.
    public static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029 || v == 0x200E || v == 0x200F || v == 0x061C
    }

    /// `text` with each invisible control written as `<U+XXXX>`; the same string back when it
    /// has none (the usual case, checked on the bytes first).
    public static func escaped(_ text: String) -> String {
        escaped(text, keeping: { _ in false })
    }

    /// Like `escaped(_:)`, but newlines and tabs stay: whole messages made of lines, and
    /// tab-separated listings (`refkit codes`), whose cells are escaped one by one first.
    /// Neither moves the cursor back over what was written or changes the terminal's state.
    public static func escapedKeepingLayout(_ text: String) -> String {
        escaped(text, keeping: { $0 == "\n" || $0 == "\t" })
    }

    static func escaped(_ text: String, keeping: (Unicode.Scalar) -> Bool) -> String {
        // Every scalar escaped here is below 0x20, 0x7F, or encoded with a lead byte 0xC2
        // (U+0080-009F), 0xD8 (U+061C) or 0xE2 (U+200E-2069).
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isInvisibleControl(scalar), !keeping(scalar) {
                out.append(contentsOf: code(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `<U+001B>`.
    public static func code(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
}
