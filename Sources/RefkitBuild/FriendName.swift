import RefkitCSV
import RefkitModel

/// A friend's name as typed into the public form, made fit for a greeting and a `To:` line.
///
/// The form has no rules: a spreadsheet round trip leaves a guard quote (`'Marie`), a prankster
/// types a formula (`=HYPERLINK("http://evil.example","x")`, which the first-word rule would
/// turn into `"x")`), and nothing stops 5,000 characters. Everything is escaped further down, so
/// this is about what the friend reads, not about safety: a greeting with no name beats one
/// with a formula's tail. The whole cell stays in the export.
struct FriendName: Equatable {
    /// For `{{name}}` and the `To:` display name: at most `maximumLength` characters.
    var full: String
    /// For `{{first_name}}`: empty when no letter is left, so the message greets without a name.
    var first: String

    /// As `referrers.csv` caps a name.
    static let maximumLength = 200
    /// A given name longer than this is not one; cut with "…".
    static let maximumFirstLength = 40

    init(form cell: String, language: LanguageTag?) {
        var text = cell.trimmingWhitespace()
        // A formula is not a name, whatever text it holds.
        if let first = text.unicodeScalars.first, FormulaGuard.signs.contains(first), text.contains("(") {
            text = ""
        }
        // Double quotation marks are a spreadsheet's or a nickname's, never part of a name
        // (an apostrophe may be: O'Brien).
        text.removeAll { Self.quotes.contains($0) }
        text = Self.trimmed(text)
        let whole = Self.capped(text, Self.maximumLength)
        var given = Self.trimmed(Referrer.firstName(fromName: whole, language: language))
        if given.isEmpty, !whole.contains(where: \.isWhitespace) { given = whole }
        first = given.contains(where: \.isLetter) ? Self.capped(given, Self.maximumFirstLength) : ""
        full = whole.contains(where: \.isLetter) ? whole : ""
    }

    static let quotes: Set<Character> = ["\"", "“", "”", "„", "«", "»"]

    /// Without what a spreadsheet or a careless hand puts around a name: leading guard quotes
    /// and formula signs, surrounding quotation marks and brackets.
    static func trimmed(_ text: String) -> String {
        let edges: Set<Character> = ["'", "\"", "“", "”", "‘", "’", "«", "»", "„", "(", ")", "[", "]", "<", ">", ",", ";"]
        var scalars = Substring(text)
        while let c = scalars.first, edges.contains(c) || c.unicodeScalars.first.map({ FormulaGuard.signs.contains($0) }) == true || c.isWhitespace {
            scalars = scalars.dropFirst()
        }
        while let c = scalars.last, edges.contains(c) || c.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }

    /// At most `limit` Characters, the last one "…" when cut.
    static func capped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)).trimmingWhitespace() + "…"
    }
}
