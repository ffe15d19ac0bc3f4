import Foundation
import Testing
import RefkitModel
@testable import RefkitMail

@Suite("Mustache variables")
struct VariableTests {
    static let location = SourceLocation(file: "content/programs/main.fr.md", line: 7)

    @Test("An unknown variable gives a diagnostic at the message naming it, with the names to use")
    func unknownVariable() throws {
        let message = EmailMessage(subject: "Bonjour {{prenom}}", body: "Code : {{code}}", location: Self.location)
        let draft = Fixture.draft(Fixture.Person(name: "Zoé Lefèvre", firstName: "Zoé", language: "fr"), message: message)
        let error = #expect(throws: MailError.self) { try Fixture.renderer().render([draft, draft], to: MemorySink()) }
        let diagnostics = try #require(error?.diagnostics)
        #expect(diagnostics == [Diagnostic(Self.location, "the email subject uses {{prenom}}, which is not a variable",
                                           fix: "use one of first_name, name, code, link, progress_link, incentive.referrer, incentive.friend, deadline, brand")])
    }

    @Test("Unknown names are found inside sections, inverted sections and dotted names, and extra columns are known", arguments: [
        ("{{#deadline}}{{fin}}{{/deadline}}", ["fin"]),
        ("{{^deadline}}{{toujours}}{{/deadline}}", ["toujours"]),
        ("{{incentive.bonus}}", ["incentive.bonus"]),
        ("{{#incentive}}{{referrer}} {{first_name}} {{nope}}{{/incentive}}", ["nope"]),
        ("{{store}} {{favourite_bread}}", []),
        ("{{uppercased(first_name)}} {{#deadline}}{{.}}{{/deadline}}", []),
    ])
    func namesEverywhere(body: String, unknown: [String]) throws {
        let message = EmailMessage(subject: "x", body: body, location: Self.location)
        let renderer = try Fixture.renderer()
        let found = renderer.check(message, extraColumns: ["Favourite bread", "store"])
        #expect(found.map(\.message) == unknown.map { "the email body uses {{\($0)}}, which is not a variable" })
    }

    @Test("A Mustache syntax error names the message, the part, and the line and column in it")
    func syntaxError() throws {
        let message = EmailMessage(subject: "x", body: "Hello\n{{#deadline}}until {{deadline}}", location: Self.location)
        let found = try Fixture.renderer().check(message, extraColumns: [])
        #expect(found.count == 1)
        #expect(found.first?.location == Self.location)
        #expect(found.first?.message.hasPrefix("the email body has a Mustache error at line 2") == true)
    }

    @Test("Empty extra values and a missing deadline count as absent in sections")
    func absentValues() throws {
        let message = EmailMessage(subject: "x", body: "{{#store}}Shop: {{store}}{{/store}}{{^store}}No shop{{/store}} {{^deadline}}Always on{{/deadline}}", location: Self.location)
        let draft = Fixture.draft(Fixture.people[2], message: message, extra: [Referrer.Field(name: "store", value: "")], deadline: nil)
        let email = try Fixture.renderer().compose(draft)
        // The body's text, then the layout's blocks and footer as text.
        #expect(email.text.hasPrefix("No shop Always on\n\n"))
    }

    @Test("A layout with an unknown variable is refused with its file")
    func layoutUnknownVariable() throws {
        let layout = TemplateSource(name: "mail/layout", file: "site-templates/mail/layout.mustache", text: "<p>{{{body}}} {{footer}}</p>")
        let error = #expect(throws: MailError.self) { try MailRenderer(settings: MailSettings(), layout: layout) }
        #expect(error?.diagnostics.first?.message == "the mail layout uses {{footer}}, which is not a variable")
        #expect(error?.diagnostics.first?.location.file == "site-templates/mail/layout.mustache")
    }
}
