import RefkitModel
import Yams

/// A node of a parsed YAML document that knows where it is, so every value read from it can
/// report a precise `file:line:col` and all problems go to one log.
///
/// Reading goes through Yams' node tree rather than `Codable` because the tree keeps marks
/// for every key and value, lets unknown keys be reported with a suggestion, and never applies
/// YAML 1.1 guessing (`no` → false, `01234` → octal): every scalar is read as the text written.
struct YAMLValue {
    let node: Node
    let file: String
    /// Lines before the YAML in its file (the opening `---` of front matter), added to marks.
    let lineOffset: Int
    let log: DiagnosticLog
    /// Dotted key path, for messages: `incentive.friend`, `faq[2].q`.
    let path: String

    var location: SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: file) }
        return SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
    }

    func report(_ message: String, fix: String? = nil) {
        log.add(location, message, fix: fix)
    }

    /// Parses a YAML text; on a syntax error reports it with its position and returns nil.
    static func parse(_ text: String, file: String, lineOffset: Int = 0, log: DiagnosticLog) -> YAMLValue? {
        // Before Yams: composing a tree of aliases is where the time and memory would go.
        if let refusal = YAMLTokenCheck.check(text) {
            log.add(SourceLocation(file: file, line: refusal.line + lineOffset, column: refusal.column), refusal.message, fix: refusal.fix)
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return YAMLValue(node: Node.mapping(.init([])), file: file, lineOffset: lineOffset, log: log, path: "")
            }
            return YAMLValue(node: node, file: file, lineOffset: lineOffset, log: log, path: "")
        } catch let error as YamlError {
            var location = SourceLocation(file: file, line: lineOffset + 1)
            var problem = "\(error)"
            switch error {
            case let .scanner(_, p, mark, _), let .parser(_, p, mark, _), let .composer(_, p, mark, _):
                location = SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column)
                problem = p
            case let .duplicatedKeysInMapping(duplicates, context):
                location = SourceLocation(file: file, line: context.mark.line + lineOffset, column: context.mark.column)
                problem = "the key " + duplicates.map { "`\($0)`" }.joined(separator: ", ") + " appears twice"
            default:
                break
            }
            log.add(location, "YAML syntax error: \(problem)",
                    fix: "check indentation, and quote values that contain `: ` or start with a special character")
            return nil
        } catch {
            log.add(SourceLocation(file: file), "YAML could not be read: \(error)")
            return nil
        }
    }

    private func child(_ node: Node, path: String) -> YAMLValue {
        YAMLValue(node: node, file: file, lineOffset: lineOffset, log: log, path: path)
    }

    private var describedPath: String { path.isEmpty ? "the document" : "`\(path)`" }

    /// True for `~`, `null` and an empty value.
    var isNull: Bool {
        if case let .scalar(s) = node, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }

    /// A mapping's entries after checking its keys against `knownList`. Unknown keys are reported
    /// with a "did you mean"; the returned fields answer only for known keys.
    func fields(_ knownList: [String]) -> Fields? {
        guard case let .mapping(mapping) = node else {
            if isNull { return Fields(owner: self, entries: [:]) }
            report("\(describedPath) should be a set of `key: value` lines", fix: "indent its keys under it")
            return nil
        }
        var entries: [String: YAMLValue] = [:]
        // A set: callers pass a mapping's own keys as `known` (variants, email messages), and
        // a list made that quadratic, minutes for a file with 20,000 variants.
        let known = Set(knownList)
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let keyPath = path.isEmpty ? key : path + "." + key
            if known.contains(key) {
                entries[key] = child(valueNode, path: keyPath)
            } else {
                child(keyNode, path: keyPath).report("unknown key `\(key)` in \(describedPath)",
                                                      fix: Suggestion.fix(for: key, among: knownList))
            }
        }
        return Fields(owner: self, entries: entries)
    }

    /// The items of a sequence, or nil (reported) when it is something else.
    func items() -> [YAMLValue]? {
        guard case let .sequence(sequence) = node else {
            if isNull { return [] }
            report("\(describedPath) should be a list", fix: "write each item on its own line starting with `- `")
            return nil
        }
        return sequence.enumerated().map { child($1, path: "\(path)[\($0 + 1)]") }
    }

    /// The scalar text, exactly as written (trimmed). Reports lists and mappings.
    func text() -> String? {
        guard case let .scalar(scalar) = node else {
            report("\(describedPath) should be a single value, not a list or a set of keys")
            return nil
        }
        return scalar.string.trimmingWhitespace()
    }

    /// Non-empty text; reports empty values and control characters that cannot be displayed.
    func nonEmptyText() -> String? {
        guard let value = text() else { return nil }
        guard !value.isEmpty else {
            report("\(describedPath) is empty", fix: "write a value or remove the key")
            return nil
        }
        return cleaned(value)
    }

    /// Refuses text with control characters (NUL, escape, CR) that would corrupt pages, headers
    /// or PDFs; tabs and newlines are allowed where YAML block text puts them.
    func cleaned(_ value: String) -> String? {
        let bad = value.unicodeScalars.first { scalar in
            (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || scalar.value == 0x7F
                || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
        }
        if let bad {
            report("\(describedPath) contains the invisible control character U+\(String(bad.value, radix: 16, uppercase: true))",
                   fix: "retype the value without it")
            return nil
        }
        return value
    }

    func int() -> Int? {
        guard let t = text() else { return nil }
        guard let n = Int(t) else {
            report("\(describedPath) should be a whole number, not \"\(t)\"")
            return nil
        }
        return n
    }

    func double() -> Double? {
        guard let t = text() else { return nil }
        guard let n = Double(t), n.isFinite else {
            report("\(describedPath) should be a number, not \"\(t)\"")
            return nil
        }
        return n
    }

    func bool() -> Bool? {
        guard let t = text() else { return nil }
        switch t.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report("\(describedPath) should be true or false, not \"\(t)\"")
            return nil
        }
    }

    func day() -> Day? {
        guard let t = text() else { return nil }
        guard let day = Day(t) else {
            report("\(describedPath) \"\(t)\" is not a date", fix: "use YYYY-MM-DD, for example 2027-03-31")
            return nil
        }
        return day
    }

    func language() -> LanguageTag? {
        guard let t = text() else { return nil }
        guard let tag = LanguageTag(t) else {
            report("\(describedPath) \"\(t)\" is not a language code", fix: "use a BCP 47 code such as fr, ja, zh, ms or en")
            return nil
        }
        return tag
    }

    /// An absolute http(s) address that `WebAddress` reads (so its host and path are safe in
    /// host files and headers as written); the problem, with a fix, otherwise.
    func webURL(_ kind: WebAddress.Kind) -> String? {
        guard let t = nonEmptyText() else { return nil }
        switch WebAddress.parse(t, kind: kind) {
        case .success: return t
        case let .failure(problem):
            report("\(describedPath) \"\(t)\" \(problem.message)", fix: problem.fix)
            return nil
        }
    }

    /// A plain address (`EmailCheck.isPlainAddress`): no `?bcc=`, no name, no comment.
    func email() -> String? {
        guard let t = nonEmptyText() else { return nil }
        guard EmailCheck.isPlainAddress(t) else {
            report("\(describedPath) \"\(t)\" is not a plain email address",
                   fix: "write just the address, such as name@example.com (no ?cc= or ?bcc=, no name, no spaces)")
            return nil
        }
        return t
    }

    /// Non-empty text on one line: for names that end up in titles, headers and host-file
    /// comments, where a line break would start a new line of something else.
    func oneLineText() -> String? {
        guard let value = nonEmptyText() else { return nil }
        if let bad = value.unicodeScalars.first(where: { VisibleText.isInvisibleControl($0) }) {
            report("\(describedPath) contains \(bad == "\n" ? "a line break" : "the invisible character U+\(String(bad.value, radix: 16, uppercase: true))")",
                   fix: "write it on one line")
            return nil
        }
        return value
    }
}

/// The known entries of a YAML mapping.
struct Fields {
    let owner: YAMLValue
    let entries: [String: YAMLValue]

    subscript(key: String) -> YAMLValue? {
        guard let value = entries[key], !value.isNull else { return nil }
        return value
    }

    /// The value of a required key; reports its absence at the mapping.
    func required(_ key: String, fix: String? = nil) -> YAMLValue? {
        if let value = self[key] { return value }
        let path = owner.path.isEmpty ? key : owner.path + "." + key
        owner.report("`\(path)` is missing", fix: fix ?? "add `\(key): ...`")
        return nil
    }
}
