import Mustache
import RefkitModel

/// An `EmailMessage` parsed once: subject and body as Mustache templates that render without
/// HTML escaping, because the renderer escapes each value for where it goes (headers, Markdown,
/// plain text) before Mustache sees it.
struct MessageTemplate: Sendable {
    let message: EmailMessage
    let subject: MustacheTemplate
    let body: MustacheTemplate
    /// This message's prototypes, one per programme edition and shape; see `MessagePrototype`.
    let prototypes = PrototypeCache()

    /// swift-mustache escapes for HTML unless told otherwise; this pragma says "text".
    static let textPragma = "{{%CONTENT_TYPE:TEXT}}"

    init(_ message: EmailMessage) throws(MailError) {
        self.message = message
        var diagnostics: [Diagnostic] = []
        var subject: MustacheTemplate?
        var body: MustacheTemplate?
        do { subject = try Self.parse(message.subject) } catch { diagnostics.append(Self.diagnostic(error, part: "subject", message: message)) }
        do { body = try Self.parse(message.body) } catch { diagnostics.append(Self.diagnostic(error, part: "body", message: message)) }
        guard let subject, let body else { throw MailError(diagnostics) }
        self.subject = subject
        self.body = body
    }

    static func parse(_ text: String, pragma: Bool = true) throws -> MustacheTemplate {
        try MustacheTemplate(string: (pragma ? textPragma : "") + text)
    }

    /// `content/programs/main.md:3: the email body has a Mustache error at line 2, column 9: ...`
    static func diagnostic(_ error: any Error, part: String, message: EmailMessage) -> Diagnostic {
        let where_: String
        if let parse = error as? MustacheTemplate.ParserError {
            let column = parse.context.lineNumber == 1 ? max(1, parse.context.columnNumber - textPragma.count) : parse.context.columnNumber
            where_ = " at line \(parse.context.lineNumber), column \(column) of the \(part)"
            return Diagnostic(message.location, "the email \(part) has a Mustache error\(where_): \(describe(parse.error))",
                              fix: fix(for: parse.error))
        }
        return Diagnostic(message.location, "the email \(part) has a Mustache error: \(error)")
    }

    static func fix(for error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .unfinishedName?:
            return "write names with letters, digits, _ and - only, as in {{first_name}}; a CSV column such as \"Favourite bread\" is {{favourite_bread}}"
        case .sectionCloseNameIncorrect?, .expectedSectionEnd?:
            return "close every {{#name}} or {{^name}} with {{/name}}"
        default:
            return "write variables as {{name}} and sections as {{#name}}...{{/name}}"
        }
    }

    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with the wrong name"
        case .unfinishedName: return "a tag is not finished"
        case .expectedSectionEnd: return "a section is never closed"
        case .invalidSetDelimiter: return "a set-delimiter tag is malformed"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "template inheritance is not available in emails"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "a {{% }} pragma is not recognised"
        }
    }

    /// Renders both templates against every variable with a sample value, once with a deadline
    /// and once without, so that names inside `{{#deadline}}` and `{{^deadline}}` are looked up
    /// too; returns one diagnostic per unknown name.
    func unknownVariables(extraColumns: [String]) -> [Diagnostic] {
        var found: [(part: String, name: String)] = []
        for withDeadline in [true, false] {
            for (part, template) in [("subject", subject), ("body", body)] {
                let variables = MailVariables.sample(extraColumns: extraColumns, deadline: withDeadline)
                _ = template.render(variables)
                variables.finish()
                for name in variables.unknown where !found.contains(where: { $0.name == name }) {
                    found.append((part, name))
                }
            }
        }
        let available = MailVariables.sample(extraColumns: extraColumns, deadline: true).names
        return found.map { part, name in
            Diagnostic(message.location, "the email \(part) uses {{\(name)}}, which is not a variable",
                       fix: "use one of " + available.joined(separator: ", "))
        }
    }
}

extension MailVariables {
    /// Every name a message may use, with placeholder values.
    static func sample(extraColumns: [String], deadline: Bool) -> MailVariables {
        let v = MailVariables()
        v.setBuiltins(firstName: "x", name: "x", code: "x", link: "x", progressLink: "x", referrerIncentive: "x",
                      friendIncentive: "x", deadline: deadline ? "x" : nil, brand: "x")
        for column in extraColumns { v.setExtra(column, "x") }
        return v
    }

    func setBuiltins(firstName: String, name: String, code: String, link: String, progressLink: String, referrerIncentive: String,
                     friendIncentive: String, deadline: String?, brand: String) {
        set("first_name", firstName)
        set("name", name)
        set("code", code)
        set("link", link)
        set("progress_link", progressLink)
        set(group: "incentive", [("referrer", referrerIncentive), ("friend", friendIncentive)])
        set("deadline", deadline)
        set("brand", brand)
    }

    /// A CSV column by its header, and by a Mustache-friendly alias when the header has
    /// characters Mustache names cannot (`Favourite bread` → `favourite_bread`).
    func setExtra(_ column: String, _ value: String) {
        if !has(column) { set(column, value) }
        let alias = Self.alias(column)
        if alias != column, !alias.isEmpty, !has(alias) { set(alias, value) }
    }

    static func alias(_ column: String) -> String {
        var out = ""
        var lastUnderscore = false
        for c in column.lowercased() {
            if c.isASCII, c.isLetter || c.isNumber {
                out.append(c)
                lastUnderscore = false
            } else if !lastUnderscore, !out.isEmpty {
                out.append("_")
                lastUnderscore = true
            }
        }
        while out.hasSuffix("_") { out.removeLast() }
        return out
    }
}
