import Foundation
import RefkitModel
import Testing
@testable import RefkitMail

/// Issue 19: the layout's blocks and footer in both parts, the text part as plain text, and
/// values the loader would refuse (CR LF, bidi overrides) given to the renderer directly.
@Suite("Mail layout design")
struct LayoutDesignTests {
    static let message = EmailMessage(
        subject: "{{first_name}}, your invitation",
        body: "Hello **{{first_name}}**,\n\nSee [your page]({{link}}) or <{{link}}>.\n\n- one\n- two\n\nBye,\\\nCamille",
        location: SourceLocation(file: "content/programs/main.md", line: 3))

    static func renderer() throws -> MailRenderer {
        var settings = Fixture.settings
        settings.address = "12 rue <d'Austerlitz>, Lyon"
        let strings = [LanguageTag("fr")!: Strings(language: LanguageTag("fr")!, file: "i18n/fr.yaml",
                                                     values: ["mail.button": "Voir ma page", "mail.code": "Votre code",
                                                              "hero.you_get": "Vous recevez", "hero.friend_gets": "Votre filleul reçoit",
                                                              "mail.why": "Parce que vous participez au programme de {brand}."])]
        return try MailRenderer(settings: settings, layout: Fixture.layout(), strings: strings, logoURL: "https://example.fr/assets/logo.svg")
    }

    @Test("the text part: body as plain text, then the incentives, the code, the link under its label, and the footer")
    func textPart() throws {
        let draft = Fixture.draft(Fixture.Person(name: "Zoé Martin", firstName: "Zoé", language: "fr"), message: Self.message)
        let email = try Self.renderer().compose(draft)
        let link = draft.link
        #expect(email.text == """
        Hello Zoé,

        See your page <\(link)> or \(link).

        - one
        - two

        Bye,
        Camille

        Votre filleul reçoit
        a free croissant

        Vous recevez
        €10 off

        Votre code
        \(draft.formattedCode)

        Voir ma page
        \(link)

        ----
        Boulangerie Étoile, 12 rue <d'Austerlitz>, Lyon
        Parce que vous participez au programme de Boulangerie Étoile.
        """)
        #expect(email.html.contains(">Voir ma page</a>") && email.html.contains(">Voir ma page</center>"))
        #expect(email.html.contains("12 rue &lt;d&#39;Austerlitz&gt;, Lyon") || email.html.contains("12 rue &lt;d&#x27;Austerlitz&gt;, Lyon"))
    }

    @Test("a draft's blocks pick what the layout shows; English words when the theme has no mail strings")
    func blocks() throws {
        var draft = Fixture.draft(Fixture.Person(name: "Ann Lee", firstName: "Ann", language: "en"), message: Self.message)
        draft.blocks = [.code]
        let email = try Self.renderer().compose(draft)
        #expect(!email.html.contains("v:roundrect") && !email.html.contains("a free croissant"))
        #expect(email.html.contains("Your invitation code"))
        #expect(!email.text.contains("Open your personal page") && email.text.contains("Your invitation code\n" + draft.formattedCode))
        #expect(email.text.hasSuffix("You are receiving this email because you take part in Boulangerie Étoile's referral programme."))
    }

    @Test("CR LF, bidi overrides, markup and a quote with a combining mark in names and incentives: inert in both parts, prototypes equal to full renders")
    func hostile() throws {
        let renderer = try Self.renderer()
        let template = try MessageTemplate(Self.message)
        for (index, first) in ["Eve\u{202E}gnp.exe", "Zoé\"\u{301}<b>x</b>\r\nBcc: a@b.c", "**Bob** \\", "Ann"].enumerated() {
            var draft = Fixture.draft(Fixture.Person(name: first + " Doe", firstName: first, language: "fr"), index: index, message: Self.message)
            draft.incentive = Incentive(referrer: "<i>10 €</i>\r\nX: y", friend: "\"\u{301} onmouseover=alert(1) \u{202E}")
            let full = try renderer.compose(draft)
            let filled = try renderer.compose(draft, with: template, prototype: true)
            #expect(filled == full)
            for part in [full.html, full.text] {
                #expect(!part.contains("\u{202E}") && !part.contains("\r"), "\(first)")
                #expect(!part.contains("\nBcc:") && !part.contains("\nX: y"), "\(first)")
            }
            #expect(!full.html.contains("<b>x") && !full.html.contains("<i>10"))
            #expect(Data(full.html.utf8).range(of: Data("\"\u{301}".utf8)) == nil)
            #expect(full.text.contains("<i>10 €</i> X: y"))
        }
    }
}
