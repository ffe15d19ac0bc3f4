/// A Markdown file split into its YAML front matter and its body.
struct FrontMatter {
    var yaml: String
    /// Lines before the YAML (the opening `---`), to add to YAML marks.
    var lineOffset: Int
    var body: String

    /// Splits `---\n yaml \n---\n body`. Returns nil when the file does not start with `---`.
    static func split(_ text: String) -> FrontMatter? {
        var text = Substring(text)
        if text.hasPrefix("\u{FEFF}") { text = text.dropFirst() }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func bare(_ line: Substring) -> Substring { line.hasSuffix("\r") ? line.dropLast() : line }
        guard let first = lines.first, bare(first) == "---" else { return nil }
        lines.removeFirst()
        guard let end = lines.firstIndex(where: { bare($0) == "---" || bare($0) == "..." }) else { return nil }
        let yaml = lines[..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n")
        return FrontMatter(yaml: yaml, lineOffset: 1, body: body)
    }
}
