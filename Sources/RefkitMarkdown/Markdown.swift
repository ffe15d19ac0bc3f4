internal import CCmark

/// CommonMark through libcmark: Markdown in, HTML and plain text out.
///
/// The C tree never leaves this file: `render` parses, copies what it needs into Swift
/// strings and frees the tree before returning.
public enum Markdown {
    /// The result of rendering one Markdown text.
    public struct Rendered: Hashable, Sendable {
        /// HTML. Raw HTML in the source becomes `<!-- raw HTML omitted -->` and `javascript:`
        /// style links get an empty `href` unless `unsafe` was asked for.
        public var html: String
        /// The text with markup removed, blocks separated by blank lines, for places where HTML
        /// cannot go (meta descriptions, JSON-LD, PDFs, plain-text email parts).
        public var text: String
        /// Readable plain text with link URLs, list markers and quotes kept, for the text/plain
        /// part of an email (see `PlainTextRenderer`); empty unless `render` was asked for it.
        public var plain: String = ""
    }

    /// Renders CommonMark.
    ///
    /// - Parameter unsafe: keep raw HTML and every link scheme. Only for content the site owner
    ///   wrote and vouches for (`unsafe_html: true` in `site.yaml`).
    /// - Parameter plain: also render `Rendered.plain`, from the same tree.
    public static func render(_ markdown: String, unsafe: Bool = false, plain: Bool = false) -> Rendered {
        // CMARK_OPT_SMART would turn quotes into typographic ones; French and Japanese copy has
        // its own conventions, so the text is left exactly as written.
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        if unsafe { options |= CMARK_OPT_UNSAFE }
        let bytes = Array(markdown.utf8)
        guard let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                cmark_parse_document($0, buffer.count, options)
            }
        }) else {
            // cmark only fails to allocate; nothing sensible to show.
            return Rendered(html: "", text: "")
        }
        defer { cmark_node_free(document) }

        var html = ""
        if let raw = cmark_render_html(document, options) {
            html = String(cString: raw)
            free(raw)
        }
        return Rendered(html: html, text: plainText(of: document), plain: plain ? PlainTextRenderer.render(document, unsafe: unsafe) : "")
    }

    /// Walks the tree and keeps the literal text: code spans and text nodes, a space for soft
    /// breaks, a new line for hard breaks, a blank line between blocks.
    private static func plainText(of document: OpaquePointer) -> String {
        guard let iterator = cmark_iter_new(document) else { return "" }
        defer { cmark_iter_free(iterator) }
        var out = ""
        var pendingBreak = false
        // List items are separated by one new line, other blocks by a blank line.
        var afterItem = false
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            switch (event, type) {
            case (CMARK_EVENT_ENTER, CMARK_NODE_TEXT), (CMARK_EVENT_ENTER, CMARK_NODE_CODE):
                if pendingBreak, !out.isEmpty { out += "\n\n" }
                pendingBreak = false
                if let literal = cmark_node_get_literal(node) { out += String(cString: literal) }
            case (CMARK_EVENT_ENTER, CMARK_NODE_CODE_BLOCK):
                if !out.isEmpty { out += "\n\n" }
                pendingBreak = false
                if let literal = cmark_node_get_literal(node) {
                    out += String(cString: literal).trimmingTrailingNewlines()
                }
            case (CMARK_EVENT_ENTER, CMARK_NODE_SOFTBREAK):
                out += " "
            case (CMARK_EVENT_ENTER, CMARK_NODE_LINEBREAK):
                out += "\n"
            case (CMARK_EVENT_EXIT, CMARK_NODE_PARAGRAPH), (CMARK_EVENT_EXIT, CMARK_NODE_HEADING),
                 (CMARK_EVENT_EXIT, CMARK_NODE_BLOCK_QUOTE):
                pendingBreak = true
                afterItem = false
            case (CMARK_EVENT_EXIT, CMARK_NODE_ITEM):
                pendingBreak = true
                afterItem = true
            case (CMARK_EVENT_ENTER, CMARK_NODE_ITEM):
                if !out.isEmpty { out += afterItem ? "\n" : "\n\n" }
                pendingBreak = false
                out += "- "
            default:
                break
            }
        }
        return out
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" { s.removeLast() }
        return String(s)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
