import Foundation
import Mustache
import RefkitMarkdown
import RefkitModel

/// Turns drafts into email: one `.eml` per referrer, one mbox with all of them and a mail-merge
/// CSV, all in the private kit.
///
/// Each draft's body is Markdown with Mustache variables. It is rendered three ways: with
/// values escaped for Markdown, then through cmark into the HTML layout (the text/html part);
/// with values as they are (the text/plain part, which is the Markdown source, so that links
/// keep their URLs); and the subject, cleaned for a header.
public struct MailRenderer: Sendable {
    public var settings: MailSettings
    /// The layout's name in `Theme.templates`.
    public static let layoutName = "mail/layout"
    /// What the build writes under the kit.
    public static let folder = "mail"

    let layout: MustacheTemplate
    let layoutSource: TemplateSource
    let accentColor: String
    let unsafeHTML: Bool

    /// - Parameters:
    ///   - layout: `site-templates/mail/layout.mustache`; see that file for its variables.
    ///   - accentColor: the brand colour (`site.theme.color`), `#RRGGBB`.
    ///   - unsafeHTML: keep raw HTML written in message bodies (`unsafe_html` in `site.yaml`).
    ///     Values from the CSV are escaped either way.
    /// - Throws: `MailError` when the layout does not parse, uses an unknown variable, or the
    ///   From or Reply-To address is not a plain address.
    public init(settings: MailSettings, layout: TemplateSource, accentColor: String = "#8a3b12",
                unsafeHTML: Bool = false, settingsFile: String = "content/site.yaml") throws(MailError) {
        var diagnostics: [Diagnostic] = []
        for (key, mailbox) in [("from", settings.from), ("reply_to", settings.replyTo)] {
            if let mailbox, !MailAddress.isValid(mailbox.address) {
                diagnostics.append(Diagnostic(SourceLocation(file: settingsFile),
                                              "mail.\(key) \"\(HeaderText.clean(mailbox.address))\" is not an email address",
                                              fix: "write a plain address such as hello@example.com"))
            }
        }
        var parsed: MustacheTemplate?
        do {
            parsed = try MessageTemplate.parse(layout.text, pragma: false)
        } catch let error as MustacheTemplate.ParserError {
            diagnostics.append(Diagnostic(SourceLocation(file: layout.file, line: error.context.lineNumber, column: error.context.columnNumber),
                                          "the mail layout has a Mustache error: \(MessageTemplate.describe(error.error))"))
        } catch {
            diagnostics.append(Diagnostic(SourceLocation(file: layout.file), "the mail layout has a Mustache error: \(error)"))
        }
        if let parsed {
            let sample = Self.layoutVariables(lang: "en", title: "x", preheader: "x", body: "x", brand: "x",
                                              color: "#000000", link: "https://x", code: "x", firstName: "x")
            _ = parsed.render(sample)
            sample.finish()
            for name in sample.unknown {
                diagnostics.append(Diagnostic(SourceLocation(file: layout.file), "the mail layout uses {{\(name)}}, which is not a variable",
                                              fix: "use one of " + sample.names.joined(separator: ", ")))
            }
        }
        guard let parsed, diagnostics.isEmpty else { throw MailError(diagnostics) }
        self.settings = settings
        self.layout = parsed
        self.layoutSource = layout
        self.accentColor = EmailHTML.color(accentColor)
        self.unsafeHTML = unsafeHTML
    }

    /// Checks a message's Mustache before any draft is rendered: parse errors and unknown
    /// variables, given the extra CSV columns. Empty when the message is fine. The load step
    /// can call this to report every message's problems at once.
    public func check(_ message: EmailMessage, extraColumns: [String]) -> [Diagnostic] {
        do {
            return try MessageTemplate(message).unknownVariables(extraColumns: extraColumns)
        } catch {
            return error.diagnostics
        }
    }

    /// Renders one draft. Reused by the report for thank-you drafts (`file(in:)` picks the folder).
    public func compose(_ draft: Draft) throws(MailError) -> EmailDraft {
        let template = try MessageTemplate(draft.message)
        let problems = template.unknownVariables(extraColumns: draft.referrer.extra.map(\.name))
        guard problems.isEmpty else { throw MailError(problems) }
        return try compose(draft, with: template)
    }

    func compose(_ draft: Draft, with template: MessageTemplate) throws(MailError) -> EmailDraft {
        let referrer = draft.referrer
        guard MailAddress.isValid(referrer.email.trimmingWhitespace()) else {
            throw MailError([Diagnostic(SourceLocation(file: "content/referrers.csv", line: referrer.line),
                                        "\"\(HeaderText.clean(referrer.email))\" is not an email address a draft can go to",
                                        fix: "write a plain ASCII address such as ana@example.com")])
        }

        // Plain values: cleaned of control and invisible characters, for the subject, the
        // text part and the layout (which escapes for HTML itself).
        let plain = variables(draft, escape: HeaderText.clean, code: HeaderText.clean, link: HeaderText.clean)
        let subject = HeaderText.clean(template.subject.render(plain))
        let text = template.body.render(plain).replacingLineEnds("\n")

        // Markdown values: escaped so that they stay literal text through cmark.
        let markdownValues = variables(draft, escape: { ValueEscaping.markdown(HeaderText.clean($0)) },
                                       code: { ValueEscaping.markdownCode(HeaderText.clean($0)) },
                                       link: { ValueEscaping.markdownLink(HeaderText.clean($0)) })
        let rendered = Markdown.render(template.body.render(markdownValues), unsafe: unsafeHTML)
        let body = EmailHTML.styled(rendered.html, accent: accentColor)
        let page = Self.layoutVariables(lang: draft.language.rawValue, title: subject,
                                        preheader: EmailHTML.preheader(rendered.text), body: body,
                                        brand: HeaderText.clean(draft.brand), color: accentColor,
                                        link: ValueEscaping.safeLink(HeaderText.clean(draft.link)),
                                        code: HeaderText.clean(draft.formattedCode),
                                        firstName: HeaderText.clean(referrer.firstName))
        let html = layout.render(page)

        return EmailDraft(from: settings.from, replyTo: settings.replyTo,
                          to: Mailbox(name: referrer.name, address: referrer.email.trimmingWhitespace()),
                          subject: subject, text: text, html: html, language: draft.language,
                          name: draft.code.rawValue)
    }

    private func variables(_ draft: Draft, escape: (String) -> String, code: (String) -> String,
                           link: (String) -> String) -> MailVariables {
        let v = MailVariables()
        v.setBuiltins(firstName: escape(draft.referrer.firstName), name: escape(draft.referrer.name),
                      code: code(draft.formattedCode), link: link(draft.link),
                      referrerIncentive: escape(draft.incentive.referrer), friendIncentive: escape(draft.incentive.friend),
                      deadline: draft.deadline.map(escape), brand: escape(draft.brand))
        for field in draft.referrer.extra { v.setExtra(field.name, escape(field.value)) }
        return v
    }

    /// The layout's variables; `body` is HTML and goes in with `{{{body}}}`, the rest are text
    /// that Mustache escapes.
    static func layoutVariables(lang: String, title: String, preheader: String, body: String, brand: String,
                                color: String, link: String, code: String, firstName: String) -> MailVariables {
        let v = MailVariables()
        v.set("lang", lang)
        v.set("dir", EmailHTML.direction(String(lang.prefix { $0 != "-" })))
        v.set("title", !title.isEmpty ? title : !brand.isEmpty ? brand : "Email")
        v.set("preheader", preheader)
        v.set("body", body)
        v.set("brand", brand)
        v.set("color", color)
        v.set("link", link)
        v.set("code", code)
        v.set("first_name", firstName)
        return v
    }
}
