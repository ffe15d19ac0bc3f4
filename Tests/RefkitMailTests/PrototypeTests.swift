import Foundation
import Testing
import RefkitModel
@testable import RefkitMail

/// Drafts filled in from a message prototype must be exactly what the full render makes.
@Suite("Message prototypes")
struct PrototypeTests {
    /// The fast path's parts, or nil when the draft went the full way.
    static func fast(_ renderer: MailRenderer, _ draft: Draft, _ template: MessageTemplate) -> MailRenderer.Parts? {
        renderer.fromPrototype(draft, template, DraftValues(draft))
    }

    static func full(_ renderer: MailRenderer, _ draft: Draft, _ template: MessageTemplate) -> MailRenderer.Parts {
        renderer.fullParts(draft, template, DraftValues(draft))
    }

    @Test("Every fixture person, with and without a deadline and an extra column, fills in to the full render",
          arguments: [true, false])
    func fixtures(deadline: Bool) throws {
        let renderer = try Fixture.renderer()
        for (index, person) in Fixture.people.enumerated() {
            for extra in [[], [Referrer.Field(name: "Favourite bread", value: "Pain de mie")]] {
                var message = Fixture.invite
                message.body += "\n\nYour bread: {{favourite_bread}}."
                let draft = Fixture.draft(person, index: index, message: message, extra: extra, deadline: deadline ? "31 décembre 2025" : nil)
                let template = try MessageTemplate(draft.message)
                let filled = try #require(Self.fast(renderer, draft, template), "\(person.name) went the slow way")
                #expect(filled == Self.full(renderer, draft, template))
            }
        }
    }

    @Test("A section on a referrer's value gets one prototype per shape")
    func shapes() throws {
        let renderer = try Fixture.renderer()
        let message = EmailMessage(subject: "{{#first_name}}{{first_name}}, {{/first_name}}hello",
                                   body: "Hi{{#first_name}} **{{first_name}}**{{/first_name}}{{^first_name}} there{{/first_name}}!",
                                   location: SourceLocation(file: "content/programs/main.md", line: 1))
        let template = try MessageTemplate(message)
        for firstName in ["Zoé", "", "Ana", ""] {
            let draft = Fixture.draft(Fixture.Person(name: "Zoé Lefèvre", firstName: firstName, language: "fr"), message: message)
            let filled = try #require(Self.fast(renderer, draft, template))
            #expect(filled == Self.full(renderer, draft, template))
            #expect(filled.subject == (firstName.isEmpty ? "hello" : "\(firstName), hello"))
        }
    }

    @Test("The sample programme's shape takes the fast path: a section on first_name, an extra column, an autolink")
    func sampleShape() throws {
        let renderer = try Fixture.renderer()
        let message = EmailMessage(subject: "Faites découvrir {{brand}} à vos proches",
                                   body: """
                                   Bonjour{{#first_name}} {{first_name}}{{/first_name}},

                                   Un faible pour notre {{favourite}}. Votre code : **{{code}}**.

                                   <{{link}}>

                                   - Pour votre ami : {{incentive.friend}}
                                   """, location: SourceLocation(file: "content/programs/parrainage.md", line: 84))
        let template = try MessageTemplate(message)
        for (index, firstName) in ["Zoé", "", "Ana"].enumerated() {
            let draft = Fixture.draft(Fixture.Person(name: "Zoé Lefèvre", firstName: firstName, language: "fr"), index: index,
                                      message: message, extra: [Referrer.Field(name: "favourite", value: "pain au levain")])
            let filled = try #require(Self.fast(renderer, draft, template))
            #expect(filled == Self.full(renderer, draft, template))
            #expect(filled.html.contains("<a style=\"color:#8a3b12;text-decoration:underline;\" href=\"\(draft.link.replacingOccurrences(of: "&", with: "&amp;"))\">"))
        }
    }

    @Test("A template with a transform is never filled in: the probe check sends it to the full render")
    func transformFallsBack() throws {
        let renderer = try Fixture.renderer()
        let message = EmailMessage(subject: "Hello {{uppercased(first_name)}}", body: "Dear {{lowercased(name)}}, {{code}}",
                                   location: SourceLocation(file: "content/programs/main.md", line: 1))
        let template = try MessageTemplate(message)
        let draft = Fixture.draft(Fixture.Person(name: "zoé lefèvre", firstName: "ZOÉ", language: "fr"), message: message)
        #expect(Self.fast(renderer, draft, template) == nil)
        let email = try renderer.compose(draft, with: template)
        #expect(email.subject == "Hello ZOÉ")
        #expect(email.text.contains("Dear zoé lefèvre,"))
    }

    @Test("A value next to markup that depends on it, or an entity, is rendered in full",
          arguments: ["<{{first_name}}>", "&{{first_name}};", "\\{{first_name}}", "[{{first_name}}]: /x\n\n[Zoé]"])
    func riskyTemplates(body: String) throws {
        let renderer = try Fixture.renderer()
        let message = EmailMessage(subject: "x", body: body, location: SourceLocation(file: "content/programs/main.md", line: 1))
        let template = try MessageTemplate(message)
        let draft = Fixture.draft(Fixture.Person(name: "Zoé", firstName: "Zoé", language: "fr"), message: message)
        #expect(Self.fast(renderer, draft, template) == nil)
    }

    /// Markdown around the values that cmark reads in different ways: emphasis, code spans,
    /// link text and destination, titles, images, headings, lists, quotes.
    static let markdownBody = """
        # Hello {{first_name}}

        *{{first_name}}* and _{{name}}_ and **{{code}}**, `{{name}}` `{{code}}`.
        {{first_name}}{{name}}

        > [{{name}}]({{link}} "{{first_name}}") ![{{name}}]({{link}}) <{{link}}>
        > [site](https://example.fr/r/{{code}}/?n={{first_name}})

        1. {{note}}
        - {{name}}. {{note}})
        {{note}}. Done

            {{name}} in code

        Thanks, {{brand}}
        """

    @Test("Hostile values: whenever a draft is filled in, it equals the full render (seeded, 400 cases)")
    func hostileValues() throws {
        let renderer = try Fixture.renderer()
        let message = EmailMessage(subject: "{{first_name}} — {{name}} {{note}}", body: Self.markdownBody,
                                   location: SourceLocation(file: "content/programs/main.md", line: 1))
        let template = try MessageTemplate(message)
        let alphabet = Array("<>&\"'/\\`=:;{}[]()%#?+@*_!~.-1 \t\r\n\u{0}\u{7F}\u{2028}\u{202E}\u{200B}\u{200D}\u{FEFF}\u{E001}abcXYZ019éßçñ日本語👩‍🍳🇫🇷e\u{301}«»")
        var random = SeededRandom(seed: 0x5EED)
        func hostile() -> String {
            String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        }
        var filledCount = 0
        for index in 0..<400 {
            // Every other draft has ordinary values, so the prototype is made and then used
            // with hostile ones too.
            let plain = index % 2 == 0
            let person = Fixture.Person(name: plain ? "Zoé Lefèvre" : hostile(), firstName: plain ? "Zoé" : hostile(), language: "fr")
            var draft = Fixture.draft(person, index: index, message: message,
                                      extra: [Referrer.Field(name: "note", value: plain ? "Pain" : hostile())])
            if !plain, index % 3 == 0 { draft.link = "https://example.fr/r/" + hostile() }
            if !plain, index % 5 == 0 { draft.formattedCode = hostile() }
            let full = Self.full(renderer, draft, template)
            if let filled = Self.fast(renderer, draft, template) {
                filledCount += 1
                #expect(filled == full, "firstName \(draft.referrer.firstName.debugDescription) name \(draft.referrer.name.debugDescription)")
            }
        }
        // Ordinary values must take the fast path, or this test would check nothing.
        #expect(filledCount >= 200)
    }

    @Test("The preheader of a long text, cleaned from a prefix, is the one cleaning the whole text gives (seeded)")
    func preheaderPrefix() {
        let alphabet = Array("ab é日本 \t\n\u{200D}\u{202E}👩‍🍳🇫🇷e\u{301}.")
        var random = SeededRandom(seed: 0xBEEF)
        for _ in 0..<200 {
            let text = String((0..<Int.random(in: 300...1500, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            let flat = HeaderText.clean(text)
            let whole = flat.count > 110 ? String(flat.prefix(109)) + "…" : flat
            #expect(EmailHTML.preheader(text) == whole)
        }
    }

    @Test("isClean says a text is clean only when the full cleaning leaves it unchanged (seeded)")
    func cleanFastPath() {
        let alphabet = Array("ab é日本  \t\u{A0}\u{85}\u{2028}\u{200D}\u{202E}\u{FEFF}\u{61C}\u{180E}👩‍🍳e\u{301}")
        var random = SeededRandom(seed: 0xC1EA)
        for _ in 0..<2000 {
            let text = String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
            if HeaderText.isClean(text) {
                // The scalar walk, spelled out: what `clean` did before the fast path.
                let scalars = Array(text.unicodeScalars)
                #expect(!scalars.contains { $0.value < 0x20 || $0.value == 0x85 || $0 == "\u{2028}" || HeaderText.isInvisible($0.value) })
                #expect(!text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.contains("  "))
            }
        }
    }

    @Test("An mbox record turns CRLF into LF, keeps a lone CR, and quotes >*From lines once more")
    func mboxRecord() {
        let eml = Data("Subject: x\r\n\r\nFrom me\r\n>From you\r\n>>From them\r\nFromage\ra\r\nlast".utf8)
        let record = Mbox(sender: "a@b.example").record(eml)
        #expect(String(decoding: record, as: UTF8.self)
                == "From a@b.example Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From me\n>>From you\n>>>From them\nFromage\ra\nlast\n\n")
    }

    @Test("render(_:to:) writes the same files with prototypes as with full renders")
    func sameFiles() throws {
        let renderer = try Fixture.renderer()
        let drafts = (0..<40).map { Fixture.draft(Fixture.people[$0 % 4], index: $0) }
        let sink = MemorySink()
        try renderer.render(drafts, to: sink)
        for draft in drafts {
            let template = try MessageTemplate(draft.message)
            let full = try renderer.compose(draft, with: template, prototype: false)
            #expect(sink.file(.kit, "mail/drafts/\(draft.code.rawValue).eml")?.bytes == full.eml())
        }
    }
}

/// SplitMix64: the same sequence on every run, so that a failure can be reproduced.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
