import Foundation
import Mustache
import RefkitModel

/// `site-templates/` → `Theme`: templates (checked for syntax errors and unknown partials),
/// i18n strings and static files.
struct ThemeLoader {
    let files: ProjectFiles
    let log: DiagnosticLog

    /// Folders whose `.mustache` files are templates, by the name prefix they get.
    static let templateFolders = ["layouts", "partials", "mail", "report"]

    func load() -> Theme {
        var theme = Theme()
        for folder in Self.templateFolders {
            for file in files.list("site-templates/\(folder)") where file.hasSuffix(".mustache") {
                guard let text = files.text(file) else { continue }
                let name = String(file.dropFirst("site-templates/".count).dropLast(".mustache".count))
                do {
                    _ = try MustacheTemplate(string: text)
                    theme.templates[name] = TemplateSource(name: name, file: file, text: text)
                } catch let error as MustacheTemplate.ParserError {
                    log.add(SourceLocation(file: file, line: error.context.lineNumber, column: error.context.columnNumber),
                            "template syntax error (\(error.error)) in `\(error.context.line.trimmingWhitespace())`",
                            fix: "check that every {{#section}} has its {{/section}} and every tag is closed")
                } catch {
                    log.add(SourceLocation(file: file), "template syntax error: \(error)")
                }
            }
        }
        checkPartials(theme.templates)
        for file in files.list("site-templates/i18n") where file.hasSuffix(".yaml") {
            let code = String(file.split(separator: "/").last!.dropLast(".yaml".count))
            guard let tag = LanguageTag(code) else {
                log.add(SourceLocation(file: file), "\"\(code)\" is not a language code", fix: "name strings files i18n/LANG.yaml, such as i18n/fr.yaml")
                continue
            }
            guard let text = files.text(file), let root = YAMLValue.parse(text, file: file, log: log) else { continue }
            var values: [String: String] = [:]
            flatten(root, prefix: "", into: &values)
            theme.strings[tag] = Strings(language: tag, file: file, values: values)
        }
        if files.exists(PrintLayout.defaultFile), let text = files.text(PrintLayout.defaultFile) {
            let parsed = PrintLayoutLoader.parse(text, file: PrintLayout.defaultFile)
            theme.printLayout = parsed.layout
            log.add(contentsOf: parsed.diagnostics)
        }
        for file in files.list("site-templates/static", recursive: true) {
            guard let data = files.data(file) else { continue }
            theme.staticFiles.append(Asset(path: String(file.dropFirst("site-templates/static/".count)), bytes: data))
        }
        return theme
    }

    /// swift-mustache renders an unknown partial as nothing, silently: catch the typo here.
    private func checkPartials(_ templates: [String: TemplateSource]) {
        let pattern = try! NSRegularExpression(pattern: #"\{\{\s*>\s*([^\s}]+)\s*\}\}"#)
        for template in templates.values.sorted(by: { $0.file < $1.file }) {
            let text = template.text as NSString
            for match in pattern.matches(in: template.text, range: NSRange(location: 0, length: text.length)) {
                let name = text.substring(with: match.range(at: 1))
                let folder = template.name.split(separator: "/").first.map(String.init) ?? ""
                if templates[name] != nil || templates["partials/" + name] != nil || templates[folder + "/" + name] != nil { continue }
                let line = text.substring(to: match.range.location).reduce(into: 1) { n, c in if c == "\n" { n += 1 } }
                let known = templates.keys.filter { $0.hasPrefix("partials/") }.map { String($0.dropFirst("partials/".count)) }.sorted()
                log.add(SourceLocation(file: template.file, line: line), "unknown partial `\(name)`",
                        fix: Suggestion.closest(to: name, in: known).map { "did you mean `\($0)`?" }
                            ?? "add site-templates/partials/\(name).mustache")
            }
        }
    }

    /// Nested keys become dotted (`form.submit`); list items get their index (`steps.default.0`).
    private func flatten(_ value: YAMLValue, prefix: String, into values: inout [String: String]) {
        switch value.node {
        case let .mapping(mapping):
            for (key, node) in mapping {
                let k = key.scalar?.string ?? ""
                flatten(YAMLValue(node: node, file: value.file, lineOffset: 0, log: log, path: prefix + k),
                        prefix: prefix + k + ".", into: &values)
            }
        case let .sequence(sequence):
            for (i, node) in sequence.enumerated() {
                flatten(YAMLValue(node: node, file: value.file, lineOffset: 0, log: log, path: prefix + String(i)),
                        prefix: prefix + String(i) + ".", into: &values)
            }
        default:
            if let text = value.text().flatMap(value.cleaned) { values[String(prefix.dropLast())] = text }
        }
    }
}
