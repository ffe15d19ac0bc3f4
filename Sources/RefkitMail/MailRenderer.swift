import Foundation
import Mustache
import RefkitMarkdown
import RefkitModel
import RefkitMustache

/// Turns drafts into email: one `.eml` per referrer, one mbox with all of them and a mail-merge
/// CSV, all in the private kit.
///
/// Each draft's body is Markdown with Mustache variables. The body is rendered with values
/// escaped for Markdown, then parsed once by cmark: its HTML goes into the layout (the
/// text/html part) and its plain-text rendering, followed by the layout's blocks as text,
/// makes the text/plain part. The subject is rendered with values as they are and cleaned for
/// a header.
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
    /// The logo on the published site, absolute; empty for none.
    let logoURL: String
    /// The footer's sender address: `mail.address`, else the From address.
    let senderAddress: String
    /// The layout's words per language, for the languages the theme has.
    let chromes: [LanguageTag: MailChrome]
    let strings: [LanguageTag: Strings]
    /// Layout prototypes, shared by every message this renderer composes.
    let layoutPrototypes = PrototypeCache()

    /// - Parameters:
    ///   - layout: `site-templates/mail/layout.mustache`; see that file for its variables.
    ///   - accentColor: the brand colour (`site.theme.color`), `#RRGGBB`.
    ///   - unsafeHTML: keep raw HTML written in message bodies (`unsafe_html` in `site.yaml`).
    ///     Values from the CSV are escaped either way.
    ///   - strings: the theme's interface strings, for the layout's own words (`mail.*`).
    ///   - logoURL: the logo as the published site serves it (`base_url` + its asset path), so
    ///     that the image is the site's and nothing is attached; nil for none.
    /// - Throws: `MailError` when the layout does not parse, uses an unknown variable, or the
    ///   From or Reply-To address is not a plain address.
    public init(settings: MailSettings, layout: TemplateSource, accentColor: String = "#8a3b12",
                unsafeHTML: Bool = false, strings: [LanguageTag: Strings] = [:], logoURL: String? = nil,
                settingsFile: String = "content/site.yaml") throws(MailError) {
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
            // Escaping by Unicode scalar, as every HTML template refkit renders: swift-mustache's
            // own compares Characters, so `"` + U+0301 in a first name would end the attribute
            // `{{first_name}}` sits in.
            parsed = try HTMLTemplate.parse(layout.text)
        } catch let error as MustacheTemplate.ParserError {
            diagnostics.append(Diagnostic(SourceLocation(file: layout.file, line: max(1, error.context.lineNumber - HTMLTemplate.lineOffset),
                                                         column: error.context.columnNumber),
                                          "the mail layout has a Mustache error: \(MessageTemplate.describe(error.error))"))
        } catch {
            diagnostics.append(Diagnostic(SourceLocation(file: layout.file), "the mail layout has a Mustache error: \(error)"))
        }
        if let parsed {
            let sample = LayoutValues.sample.variables(color: "#000000", logoURL: "https://x", senderName: "x", senderAddress: "x",
                                                       chrome: .english)
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
        self.logoURL = logoURL.map(ValueEscaping.safeLink) ?? ""
        self.senderAddress = HeaderText.clean(settings.address ?? settings.from?.address ?? "")
        self.strings = strings
        self.chromes = Dictionary(uniqueKeysWithValues: strings.keys.map { ($0, MailChrome(strings, language: $0)) })
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

    /// Every problem `render(_:to:)` would report for these drafts, without composing one:
    /// each distinct message's Mustache against its referrers' columns, and each address a
    /// draft would go to. For `refkit check`.
    public func check<S: Sequence>(_ drafts: S) -> [Diagnostic] where S.Element == Draft {
        var seen: Set<EmailMessage> = []
        var diagnostics: [Diagnostic] = []
        for draft in drafts {
            if seen.insert(draft.message).inserted {
                diagnostics += check(draft.message, extraColumns: draft.referrer.extra.map(\.name))
            }
            if !MailAddress.isValid(draft.referrer.email.trimmingWhitespace()) {
                diagnostics.append(Diagnostic(SourceLocation(file: "content/referrers.csv", line: draft.referrer.line),
                                              "\"\(MailAddress.shown(draft.referrer.email.trimmingWhitespace()))\" is not an email address a draft can go to",
                                              fix: "write a plain ASCII address such as ana@example.com"))
            }
        }
        return diagnostics
    }

    /// Renders one draft. Reused by the report for thank-you drafts (`file(in:)` picks the folder).
    ///
    /// Always renders in full: a prototype pays for itself only over many drafts of one
    /// message, which is what `render(_:to:)` composes.
    public func compose(_ draft: Draft) throws(MailError) -> EmailDraft {
        let template = try MessageTemplate(draft.message)
        let problems = template.unknownVariables(extraColumns: draft.referrer.extra.map(\.name))
        guard problems.isEmpty else { throw MailError(problems) }
        return try compose(draft, with: template, prototype: false)
    }

    /// Renders one draft from the message's prototype when there is one and the draft's values
    /// fit it (see `MessagePrototype`), in full otherwise. Both give the same draft.
    func compose(_ draft: Draft, with template: MessageTemplate, prototype: Bool = true) throws(MailError) -> EmailDraft {
        let referrer = draft.referrer
        let address = referrer.email.trimmingWhitespace()
        guard MailAddress.isValid(address) else {
            throw MailError([Diagnostic(SourceLocation(file: "content/referrers.csv", line: referrer.line),
                                        "\"\(MailAddress.shown(referrer.email.trimmingWhitespace()))\" is not an email address a draft can go to",
                                        fix: "write a plain ASCII address such as ana@example.com")])
        }
        let values = DraftValues(draft)
        let parts = (prototype ? fromPrototype(draft, template, values) : nil) ?? fullParts(draft, template, values)
        return EmailDraft(from: settings.from, replyTo: settings.replyTo,
                          to: Mailbox(name: referrer.name, address: address),
                          subject: parts.subject, text: parts.text, html: parts.html, language: draft.language,
                          name: draft.code.rawValue)
    }

    /// The draft's subject alone, as `compose` writes it: for a draft carried over from the
    /// last build, whose row in the merge CSV still needs it.
    func subject(_ draft: Draft, _ template: MessageTemplate) -> String {
        let values = DraftValues(draft)
        return HeaderText.clean(template.subject.render(variables(draft, slots: values.clean, constant: HeaderText.clean)))
    }

    /// What differs between drafts: subject, text part and HTML part.
    struct Parts: Equatable {
        var subject: String
        var text: String
        var html: String
    }

    /// The full render: Mustache three times, cmark, the layout.
    func fullParts(_ draft: Draft, _ template: MessageTemplate, _ values: DraftValues) -> Parts {
        // Plain values: cleaned of control and invisible characters, for the subject and the
        // layout (which escapes for HTML itself).
        let plain = variables(draft, slots: values.clean, constant: HeaderText.clean)
        let subject = HeaderText.clean(template.subject.render(plain))

        // Markdown values: escaped so that they stay literal text through cmark, which renders
        // both the HTML body and the plain text from one tree.
        let markdownValues = variables(draft, slots: values.markdown, constant: { ValueEscaping.markdown(HeaderText.clean($0)) })
        let rendered = Markdown.render(template.body.render(markdownValues), unsafe: unsafeHTML, plain: true)
        var page = layoutValues(draft, values, subject: subject)
        page.preheader = EmailHTML.preheader(rendered.text)
        page.body = EmailHTML.styled(rendered.html, accent: accentColor)
        let chrome = chrome(draft.language)
        let text = Self.joinText(rendered.plain, page.text(senderName: senderName(draft), senderAddress: senderAddress, chrome: chrome))
        let html = layout.render(page.variables(color: accentColor, logoURL: logoURL, senderName: senderName(draft),
                                                senderAddress: senderAddress, chrome: chrome))
        return Parts(subject: subject, text: text, html: html)
    }

    /// The layout's values for a draft but its preheader and body: the blocks the draft asks
    /// for, each with its values or empty (which hides it).
    func layoutValues(_ draft: Draft, _ values: DraftValues, subject: String) -> LayoutValues {
        let brand = HeaderText.clean(draft.brand)
        var page = LayoutValues(language: draft.language, brand: brand)
        page.title = !subject.isEmpty ? subject : !brand.isEmpty ? brand : "Email"
        page.firstName = values.clean[0]
        if draft.blocks.contains(.code) { page.code = values.clean[2] }
        if draft.blocks.contains(.button) { page.link = ValueEscaping.safeLink(values.clean[3]) }
        let referrer = HeaderText.clean(draft.incentive.referrer), friend = HeaderText.clean(draft.incentive.friend)
        if draft.blocks.contains(.incentives), !referrer.isEmpty, !friend.isEmpty {
            page.incentiveReferrer = referrer
            page.incentiveFriend = friend
        }
        return page
    }

    /// The footer's sender: the From name, else the brand.
    func senderName(_ draft: Draft) -> String {
        HeaderText.clean(settings.from?.name ?? draft.brand)
    }

    func chrome(_ language: LanguageTag) -> MailChrome {
        chromes[language] ?? MailChrome(strings, language: language)
    }

    /// The body's plain text, a blank line, the layout's blocks as text.
    static func joinText(_ body: String, _ tail: String) -> String {
        body.isEmpty ? tail : body + "\n\n" + tail
    }

    /// The message's variables with the referrer's own values from `slots` (in `DraftValues`
    /// order, already escaped) and the programme's through `constant`.
    func variables(_ draft: Draft, slots: [String], constant: (String) -> String) -> MailVariables {
        let v = MailVariables()
        v.setBuiltins(firstName: slots[0], name: slots[1], code: slots[2], link: slots[3], progressLink: slots[4],
                      referrerIncentive: constant(draft.incentive.referrer), friendIncentive: constant(draft.incentive.friend),
                      deadline: draft.deadline.map(constant), brand: constant(draft.brand))
        for (index, field) in draft.referrer.extra.enumerated() {
            v.setExtra(field.name, slots[DraftValues.builtinSlots + index])
        }
        return v
    }
}
