import Foundation
import Testing
import RefkitModel
@testable import RefkitMail

/// Drafts checked with Python's `email` package (`policy=email.policy.default`).
@Suite("Email drafts")
struct DraftTests {
    /// Renders the four people, writes the kit and parses every draft.
    static func renderAndParse(_ drafts: [Draft], renderer: MailRenderer? = nil, htmlOut: URL? = nil) throws -> (MemorySink, [ParsedDraft]) {
        let sink = MemorySink()
        try (renderer ?? Fixture.renderer()).render(drafts, to: sink)
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Fixture.write(sink, to: directory)
        let paths = drafts.map { directory.appendingPathComponent("mail/drafts/\($0.code.rawValue).eml").path }
        var arguments = paths
        if let htmlOut { arguments = paths; setenv("HTML_OUT", htmlOut.path, 1) } else { unsetenv("HTML_OUT") }
        let parsed = try Tool.python(PythonScript.parseDrafts, arguments, as: [ParsedDraft].self)
        return (sink, parsed)
    }

    @Test("Each language's subject and To name decode to exactly what was rendered")
    func subjectsAndNames() throws {
        let drafts = Fixture.people.enumerated().map { Fixture.draft($1, index: $0) }
        let (_, parsed) = try Self.renderAndParse(drafts)
        let expectedSubjects = [
            "太郎さん、Boulangerie Étoileへのご招待です",
            "小明，邀请您加入Boulangerie Étoile",
            "Zoé, votre invitation à Boulangerie Étoile !",
            "Aisyah, jemputan anda ke Boulangerie Étoile",
        ]
        #expect(parsed.count == 4)
        for (i, draft) in parsed.enumerated() {
            #expect(draft.subject == expectedSubjects[i])
            #expect(draft.toNames == [Fixture.people[i].name])
            #expect(draft.toAddresses == ["person\(i)@example.com"])
            #expect(draft.defects.isEmpty, "\(draft.file): \(draft.defects)")
        }
    }

    @Test("Drafts are unsent multipart/alternative MIME 1.0 with CRLF lines, From and Reply-To, refkit's Message-ID, and no Bcc or Date")
    func structure() throws {
        let drafts = Fixture.people.enumerated().map { Fixture.draft($1, index: $0) }
        let (sink, parsed) = try Self.renderAndParse(drafts)
        for (i, draft) in parsed.enumerated() {
            #expect(draft.mimeVersion == "1.0")
            #expect(draft.unsent == "1")
            #expect(draft.contentType == "multipart/alternative")
            #expect(draft.parts.map(\.type) == ["text/plain", "text/html"])
            #expect(draft.parts.allSatisfy { $0.charset == "utf-8" })
            #expect(draft.parts.allSatisfy { ["quoted-printable", "base64"].contains($0.encoding) })
            #expect(draft.from == "Boulangerie Étoile <bonjour@example.fr>")
            #expect(draft.replyTo == "reply@example.fr")
            let names = Set(draft.headers.map { $0.lowercased() })
            #expect(!names.contains("bcc") && !names.contains("date"))
            // `refkit mail push` finds the draft on the server by it: the code, then the content's fingerprint.
            #expect(names.contains("message-id"))
            let file0 = sink.file(.kit, "mail/drafts/\(drafts[i].code.rawValue).eml")
            let text = String(decoding: file0?.bytes ?? Data(), as: UTF8.self)
            #expect(text.hasPrefix("Message-ID: <refkit.\(drafts[i].code.rawValue)."), "\(text.prefix(80))")
            #expect(text.contains("@example.fr>\r\n"))
            #expect(draft.onlyCRLF)
            #expect(draft.longestHeaderLine <= 78)
            #expect(draft.longestBodyLine <= 76)
            let file = sink.file(.kit, "mail/drafts/\(drafts[i].code.rawValue).eml")
            #expect(file?.isPrivate == true)
        }
    }

    @Test("The code and the link are in both the plain and the HTML part")
    func codeAndLinkInBothParts() throws {
        let drafts = Fixture.people.enumerated().map { Fixture.draft($1, index: $0) }
        let (_, parsed) = try Self.renderAndParse(drafts)
        for (i, draft) in parsed.enumerated() {
            for part in draft.parts {
                #expect(part.content.contains(drafts[i].formattedCode), "\(part.type) lacks the code")
                #expect(part.content.contains(drafts[i].link), "\(part.type) lacks the link")
            }
            let html = draft.parts[1].content
            #expect(html.contains("href=\"\(drafts[i].link)\""))
            #expect(html.contains("<html lang=\"\(drafts[i].language.rawValue)\""))
            #expect(draft.parts[0].content.contains("Hello \(Fixture.people[i].firstName),"))
        }
    }

    @Test("Without From or Reply-To settings the draft has neither header")
    func noFromSettings() throws {
        let renderer = try Fixture.renderer(settings: MailSettings())
        let (_, parsed) = try Self.renderAndParse([Fixture.draft(Fixture.people[2])], renderer: renderer)
        let names = Set(parsed[0].headers.map { $0.lowercased() })
        #expect(!names.contains("from") && !names.contains("reply-to"))
        #expect(names.contains("to") && names.contains("subject"))
    }

    @Test("A very long Japanese subject is split into encoded words of at most 75 characters, none splitting a character")
    func longJapaneseSubject() throws {
        // Kana with a combining voiced mark (か + ゙), an emoji with a skin tone, a family emoji
        // joined by ZWJ and a flag: clusters of several scalars, each of which must stay whole.
        let subject = String(repeating: "紹介プログラムへようこそ、か\u{3099}ぎ👍🏽👨‍👩‍👧🇯🇵", count: 8) + "{{first_name}}さん"
        let person = Fixture.Person(name: "山田 太郎", firstName: "太郎", language: "ja", subject: subject)
        let (_, parsed) = try Self.renderAndParse([Fixture.draft(person)])
        let draft = try #require(parsed.first)
        #expect(draft.subject == String(repeating: "紹介プログラムへようこそ、か\u{3099}ぎ👍🏽👨‍👩‍👧🇯🇵", count: 8) + "太郎さん")
        #expect(draft.encodedWords.count > 10)
        for word in draft.encodedWords {
            #expect(word.length <= 75)
            #expect(word.utf8, "an encoded word is not UTF-8 on its own: a character was split")
            #expect(!word.startsInsideCluster, "an encoded word starts inside a grapheme cluster: \(word.text)")
        }
        #expect(draft.longestHeaderLine <= 78)
    }

    @Test("A long ASCII display name and subject fold within 78 characters and unfold unchanged")
    func longASCII() throws {
        let name = "Alexandria Catherine Montgomery-Smythe of the Very Long Family Name Society, Esq."
        let subject = "{{first_name}}: " + String(repeating: "share your personal invitation code today ", count: 4)
        let person = Fixture.Person(name: name, firstName: "Alexandria", language: "en", subject: subject)
        let (_, parsed) = try Self.renderAndParse([Fixture.draft(person)])
        let draft = try #require(parsed.first)
        #expect(draft.toNames == [name])
        #expect(draft.subject == "Alexandria: " + String(repeating: "share your personal invitation code today ", count: 4).trimmingCharacters(in: .whitespaces))
        #expect(draft.longestHeaderLine <= 78)
    }

    @Test("compose writes one draft into any folder, for the report's thank-you drafts")
    func composeIntoFolder() throws {
        let renderer = try Fixture.renderer()
        let email = try renderer.compose(Fixture.draft(Fixture.people[0]))
        let file = email.file(in: "report/thanks")
        #expect(file.path == "report/thanks/\(email.name).eml")
        #expect(file.area == .kit && file.isPrivate)
        #expect(String(decoding: file.bytes, as: UTF8.self).contains("X-Unsent: 1\r\n"))
    }
}
