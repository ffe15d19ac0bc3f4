import Foundation
import Testing
import RefkitModel
@testable import RefkitMail

@Suite("Hostile values")
struct HostileInputTests {
    static let names = [
        "Bob\r\nBcc: x@evil.example",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "<script>alert(1)</script>",
        "Eve\u{202E}gpj.exe\u{200B}",
    ]

    static func drafts() -> [Draft] {
        names.enumerated().map { i, name in
            Fixture.draft(Fixture.Person(name: name, firstName: name, language: "en"), index: i,
                          extra: [Referrer.Field(name: "note", value: "@SUM(1+1)\r\nX-Evil: 1")])
        }
    }

    @Test("A CR LF in a name never starts a header: one To address, no Bcc, no injected header")
    func headerInjection() throws {
        let (_, parsed) = try DraftTests.renderAndParse(Self.drafts())
        for draft in parsed {
            #expect(draft.toAddresses.count == 1)
            #expect(!draft.headers.contains { ["bcc", "x-evil"].contains($0.lowercased()) })
            #expect(draft.defects.isEmpty, "\(draft.defects)")
        }
        #expect(parsed[0].toNames == ["Bob Bcc: x@evil.example"])
        #expect(parsed[0].subject == "Bob Bcc: x@evil.example, your invitation to Boulangerie Étoile")
        // Bidi override and zero-width space are gone from headers.
        #expect(parsed[3].toNames == ["Evegpj.exe"])
    }

    @Test("A <script> name is text in the HTML part, not markup")
    func scriptInHTML() throws {
        let (_, parsed) = try DraftTests.renderAndParse(Self.drafts())
        let html = parsed[2].parts[1].content
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(parsed[2].parts[0].content.contains("Hello <script>alert(1)</script>,"))
        // A Markdown look-alike stays literal too.
        let (_, again) = try DraftTests.renderAndParse([Fixture.draft(Fixture.Person(name: "x", firstName: "**Bob** [x](javascript:alert(1))", language: "en"))])
        let html2 = again[0].parts[1].content
        #expect(!html2.contains("<strong>Bob"))
        #expect(!html2.contains("javascript:alert(1)\""))
        #expect(html2.contains("**Bob** [x](javascript:alert(1))"))
    }

    @Test("Formula-like cells in merge.csv start with an apostrophe and no cell holds a line break")
    func formulaNeutralised() throws {
        let sink = MemorySink()
        try Fixture.renderer().render(Self.drafts(), to: sink)
        let csv = try KitFilesTests.readCSV(sink)
        let hyperlink = csv.rows[2]
        #expect(hyperlink[1] == "'=HYPERLINK(\"http://evil.example\",\"x\")")
        #expect(hyperlink[2] == "'=HYPERLINK(\"http://evil.example\",\"x\")")
        #expect(hyperlink[6].hasPrefix("'=HYPERLINK"))
        #expect(csv.rows.dropFirst().allSatisfy { $0.last == "'@SUM(1+1) X-Evil: 1" })
        let dangerous: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]
        for row in csv.rows.dropFirst() {
            for cell in row {
                #expect(!cell.contains("\n") && !cell.contains("\r"))
                if let first = cell.first { #expect(!dangerous.contains(first), "\(cell)") }
            }
        }
    }

    @Test("A referrer address that could carry a header is skipped with a diagnostic on its CSV line")
    func badAddress() throws {
        let good = Fixture.draft(Fixture.people[2], index: 0)
        let bad = Fixture.draft(Fixture.people[2], index: 1, email: "a@example.com>\r\nBcc: x@evil.example")
        let sink = MemorySink()
        let error = #expect(throws: MailError.self) { try Fixture.renderer().render([good, bad], to: sink) }
        #expect(error?.diagnostics.count == 1)
        #expect(error?.diagnostics.first?.location == SourceLocation(file: "content/referrers.csv", line: 3))
        #expect(sink.file(.kit, "mail/drafts/\(good.code.rawValue).eml") != nil)
        #expect(sink.file(.kit, "mail/drafts/\(bad.code.rawValue).eml") == nil)
    }

    @Test("A From address with a line break is refused when the renderer is made")
    func badSettings() throws {
        let settings = MailSettings(from: Mailbox(name: "x", address: "a@b.example\r\nBcc: c@d.example"))
        let error = #expect(throws: MailError.self) { try MailRenderer(settings: settings, layout: Fixture.layout()) }
        #expect(error?.diagnostics.first?.location.file == "content/site.yaml")
    }
}
