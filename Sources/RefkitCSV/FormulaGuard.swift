/// The one rule, for every CSV refkit writes, that keeps a spreadsheet from running a cell as a
/// formula ("CSV injection"), and the exact inverse that reads the value back.
///
/// Excel, LibreOffice and Google Sheets start a formula with `=`, `+`, `-` or `@`, and treat a
/// leading tab or CR as the start of one too; LibreOffice also takes the full-width and small
/// forms (`＝`, `﹦`…) and skips leading spaces first. So a cell is guarded when its first scalar
/// is a control character (tab, CR, LF, NUL…) or when, after any leading white space, control or
/// invisible format characters (U+200B, U+FEFF, bidi marks), its first scalar is one of those
/// signs in any of their compatibility forms. A guarded cell gets a `'` in front, which
/// spreadsheets show as text.
///
/// A value that starts with `'` is guarded too, so that reading can drop exactly one leading
/// `'` whenever what follows it would have needed the guard, and every value round-trips:
/// `=1` → `'=1` → `=1`, `'x` → `''x` → `'x`, and `'x` written by an older refkit (which did not
/// guard a leading `'`) still reads `'x`.
public enum FormulaGuard {
    /// Every scalar whose compatibility form (NFKC) is `=`, `+`, `-` or `@`, plus U+2212 MINUS
    /// SIGN, which spreadsheets read as a minus. `FormulaGuardTests` checks the list against
    /// Foundation's NFKC over the whole Basic Multilingual Plane.
    public static let signs: Set<Unicode.Scalar> = [
        "=", "\u{FF1D}", "\u{FE66}", "\u{207C}", "\u{208C}",
        "+", "\u{FF0B}", "\u{FE62}", "\u{207A}", "\u{208A}", "\u{FB29}",
        "-", "\u{FF0D}", "\u{FE63}", "\u{2212}",
        "@", "\u{FF20}", "\u{FE6B}",
    ]

    /// True when the value must be written with a leading `'`.
    public static func needsGuard(_ value: String) -> Bool {
        // Fast path: most cells (codes, emails, names, dates) start with a letter or digit.
        guard let first = value.utf8.first else { return false }
        if first >= 0x80 || first <= 0x20 || first == 0x7F || first == UInt8(ascii: "'") || isSignByte(first) {
            return slowNeedsGuard(value)
        }
        return false
    }

    /// The value as it goes into a cell, before quoting.
    public static func protect(_ value: String) -> String {
        needsGuard(value) ? "'" + value : value
    }

    /// The value a cell written by `protect` stands for.
    public static func unprotect(_ cell: String) -> String {
        guard cell.utf8.first == UInt8(ascii: "'") else { return cell }
        // Drop the `'` by scalar, not by Character: `'` followed by a combining mark is one
        // Character, and dropping it would drop the mark too.
        var rest = cell.unicodeScalars
        rest.removeFirst()
        let value = String(rest)
        return needsGuard(value) ? value : cell
    }

    private static func isSignByte(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@")
    }

    private static func slowNeedsGuard(_ value: String) -> Bool {
        var scalars = value.unicodeScalars.makeIterator()
        guard let first = scalars.next() else { return false }
        if first == "'" || first.properties.generalCategory == .control { return true }
        var scalar: Unicode.Scalar? = first
        while let s = scalar, isSkipped(s) { scalar = scalars.next() }
        guard let s = scalar else { return false }
        return signs.contains(s)
    }

    /// What a spreadsheet may skip before it sees a formula sign: white space (U+3000 too),
    /// control characters and invisible format characters.
    private static func isSkipped(_ s: Unicode.Scalar) -> Bool {
        let category = s.properties.generalCategory
        return s.properties.isWhitespace || category == .control || category == .format
    }
}
