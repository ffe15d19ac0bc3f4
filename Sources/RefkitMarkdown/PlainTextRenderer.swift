internal import CCmark

/// A readable plain-text rendering of a cmark tree, for the text/plain part of an email.
///
/// libcmark 0.30 renders HTML, XML, man, LaTeX and CommonMark but has no plain-text renderer
/// (that is cmark-gfm's `cmark_render_plaintext`), and its CommonMark renderer keeps the
/// syntax (`**`, a trailing `\` for a hard break) that the text part must not show. So this
/// walks the same tree the HTML comes from:
/// - emphasis and strong emphasis keep their text, code spans their literal;
/// - a link is `text <URL>`, or just the URL when its text is the URL (autolinks);
/// - an image is its description (remote images are not text);
/// - soft and hard breaks are new lines, as the author wrapped the source;
/// - list items start with `- ` or `N. ` and their further lines are indented under the text;
///   tight lists have no blank lines between items;
/// - block quotes keep `> ` on each line, as mail programs quote;
/// - code blocks are indented by four spaces, a thematic break is `----`;
/// - raw HTML is dropped: it is markup, not text.
///
/// It uses cmark's iterator rather than recursion, so a deeply nested quote cannot overflow
/// the stack.
struct PlainTextRenderer {
    /// One open container that prefixes its lines: a block quote or a list item.
    private struct Container {
        var first: String
        var rest: String
        var started = false
    }

    private var out = ""
    private var containers: [Container] = []
    /// Open lists, innermost last: whether each is tight, and the next item's number.
    private var lists: [(tight: Bool, bullet: Bool, next: Int, paren: Bool)] = []
    /// A block has been written and the next one needs a separator.
    private var wroteBlock = false
    /// A list or quote just closed: the next block is separated by a blank line even in a
    /// tight list.
    private var forceBlank = false
    /// Inside a link, the text written so far since its start (to compare with the URL).
    private var linkStarts: [String.Index] = []
    /// Inside an image: its description is written, nothing else.
    private var skipDepth = 0

    /// Whether links with any scheme are shown, as the HTML keeps them (`CMARK_OPT_UNSAFE`).
    private var unsafe = false

    static func render(_ document: OpaquePointer, unsafe: Bool) -> String {
        var renderer = PlainTextRenderer()
        renderer.unsafe = unsafe
        renderer.walk(document)
        return renderer.out
    }

    private mutating func walk(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let entering = event == CMARK_EVENT_ENTER
            switch cmark_node_get_type(node) {
            case CMARK_NODE_BLOCK_QUOTE:
                if entering {
                    containers.append(Container(first: "> ", rest: "> "))
                } else {
                    containers.removeLast()
                    forceBlank = true
                }
            case CMARK_NODE_LIST:
                if entering {
                    // A blank line before a list, unless it is nested in a tight list's item.
                    forceBlank = !(lists.last?.tight ?? false)
                    let bullet = cmark_node_get_list_type(node) == CMARK_BULLET_LIST
                    lists.append((cmark_node_get_list_tight(node) != 0, bullet, Int(cmark_node_get_list_start(node)),
                                  cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM))
                } else {
                    lists.removeLast()
                    // A list nested in a tight list's item is followed by the next item at once.
                    forceBlank = !(lists.last?.tight ?? false)
                }
            case CMARK_NODE_ITEM:
                if entering {
                    var marker = "- "
                    if let list = lists.last, !list.bullet {
                        marker = "\(list.next)" + (list.paren ? ") " : ". ")
                        lists[lists.count - 1].next += 1
                    }
                    containers.append(Container(first: marker, rest: String(repeating: " ", count: marker.count)))
                    // An empty item still shows its marker.
                    if cmark_node_first_child(node) == nil { startBlock() }
                } else {
                    containers.removeLast()
                }
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
                if entering { startBlock() } else { wroteBlock = true }
            case CMARK_NODE_CODE_BLOCK:
                startBlock()
                var lines = literal(node).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.last == "" { lines.removeLast() }
                for (index, line) in lines.enumerated() {
                    if index > 0 { newLine() }
                    out += line.isEmpty ? "" : "    " + line
                }
                wroteBlock = true
            case CMARK_NODE_THEMATIC_BREAK:
                startBlock()
                out += "----"
                wroteBlock = true
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                write(literal(node))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                if skipDepth == 0 { newLine() } else { out += " " }
            case CMARK_NODE_LINK:
                if entering {
                    linkStarts.append(out.endIndex)
                } else {
                    let start = linkStarts.removeLast()
                    let text = out[start...]
                    var url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
                    // The HTML drops these links' targets (cmark's `_scan_dangerous_url`); so
                    // does the text, where a mail program might still make them clickable.
                    if !unsafe, Self.isDangerous(url) { url = "" }
                    let shown = url.hasPrefix("mailto:") ? String(url.dropFirst(7)) : url
                    if !url.isEmpty, text != url, text != shown {
                        write(text.isEmpty ? url : " <" + url + ">")
                    }
                }
            case CMARK_NODE_IMAGE:
                skipDepth += entering ? 1 : -1
            default:
                // Emphasis, strong emphasis: their text only. Raw HTML (inline or block):
                // dropped. The document: nothing of its own.
                break
            }
        }
    }

    static func isDangerous(_ url: String) -> Bool {
        let lower = url.prefix(12).lowercased()
        return ["javascript:", "vbscript:", "file:", "data:"].contains { lower.hasPrefix($0) }
    }

    private func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private mutating func write(_ text: some StringProtocol) {
        out += text
    }

    /// Separates a new leaf block from what came before and writes its first line's prefix.
    private mutating func startBlock() {
        if wroteBlock || !out.isEmpty {
            let tight = !forceBlank && (lists.last?.tight ?? false) && containers.last.map { !$0.first.hasPrefix(">") } == true
            out += "\n"
            if !tight { out += blankPrefix() + "\n" }
        }
        forceBlank = false
        out += prefix()
    }

    /// A new line inside a block, with the prefix of the containers around it.
    private mutating func newLine() {
        out += "\n" + prefix()
    }

    private mutating func prefix() -> String {
        var text = ""
        for index in containers.indices {
            text += containers[index].started ? containers[index].rest : containers[index].first
            containers[index].started = true
        }
        return text
    }

    /// A blank line between blocks: the quote markers only, without trailing spaces.
    private func blankPrefix() -> String {
        var text = ""
        for container in containers { text += container.first.hasPrefix(">") ? "> " : container.rest }
        while text.last == " " { text.removeLast() }
        return text
    }
}
