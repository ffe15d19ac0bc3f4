import Mustache
import RefkitModel

/// Mustache templates for HTML whose `{{value}}` escaping is refkit's own (`Markup.escape`).
///
/// swift-mustache escapes HTML by Swift `Character`, so a quote followed by a combining mark
/// (`"` + U+0301) is one character that is not a quote and passes through unescaped, although
/// every HTML parser sees a quote that ends the attribute. Every HTML template refkit renders
/// (pages, report, email HTML) is therefore parsed here with a content-type pragma that selects
/// escaping by Unicode scalar. The pragma sits on a line of its own in front of the file, which
/// Mustache drops as a standalone tag (so a partial that starts with a section renders as
/// before); parse errors therefore name one line more than the file's (`lineOffset`).
public enum HTMLTemplate {
    public static let contentTypeName = "REFKIT_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(contentTypeName)}}\n"

    /// Parses an HTML template with scalar-safe escaping.
    public static func parse(_ text: String) throws -> MustacheTemplate {
        register
        return try MustacheTemplate(string: pragma + text)
    }

    /// What to subtract from a parse error's line number to get the file's.
    public static let lineOffset = 1

    private struct ScalarSafeHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { Markup.escape(text) }
    }

    // A global's initialiser runs once, thread-safely.
    private static let register: Void = MustacheContentTypes.register(ScalarSafeHTML(), named: contentTypeName)
}
