import Foundation
import RefkitModel
import Testing
@testable import RefkitMail

/// Issue 17, class 8: the mail layout escapes by Unicode scalar like every HTML template, and a
/// carried draft that cannot be read back is a file-system failure (exit 3), not a usage error.
@Suite("Mail layout escaping and carried drafts")
struct LayoutAndCarryTests {
    static let hostile = "Zoé\"\u{301} onmouseover=alert(1) x='\u{301}<b>"

    static func renderer() throws -> MailRenderer {
        var layout = try Fixture.layout()
        layout.text = layout.text.replacingOccurrences(of: "<body ", with: "<body title=\"{{first_name}}\" data-c='{{code}}' ")
        return try MailRenderer(settings: Fixture.settings, layout: layout)
    }

    @Test("{{first_name}} in a layout attribute: a quote with a combining mark is escaped, in full renders and prototypes alike")
    func scalarEscaping() throws {
        let renderer = try Self.renderer()
        let drafts = (0..<6).map { i in
            Fixture.draft(Fixture.Person(name: "Zoé Martin", firstName: i % 2 == 0 ? Self.hostile : "Ann", language: "fr"), index: i)
        }
        let template = try MessageTemplate(drafts[0].message)
        for draft in drafts {
            let full = try renderer.compose(draft).html
            let fromPrototype = try renderer.compose(draft, with: template, prototype: true).html
            #expect(fromPrototype == full)
            // By bytes: a quote followed by U+0301 is one Character that is not a quote.
            #expect(Data(full.utf8).range(of: Data("\"\u{301}".utf8)) == nil, "a raw quote before the combining mark")
            if draft.referrer.firstName == Self.hostile {
                #expect(full.contains("title=\"Zoé&quot;\u{301} onmouseover=alert(1) x=&#39;\u{301}&lt;b&gt;\""), "\(full.prefix(900))")
            }
        }
    }

    /// A sink that claims every draft was carried over from the last build but cannot read any back.
    final class UnreadableCarry: OutputSink, @unchecked Sendable {
        let inner = MemorySink()
        let paths: [String]
        init(paths: [String]) { self.paths = paths }
        func add(_ file: OutputFile) throws { try inner.add(file) }
        func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile {
            try inner.open(area: area, path: path, isPrivate: isPrivate)
        }
        func reuse(inputs: String) throws -> [String]? { paths }
        func stamped(inputs: String) -> any OutputSink { self }
        func carriedBytes(area: OutputArea, path: String) -> Data? { nil }
    }

    @Test("a carried draft that cannot be read back fails the build as a file-system error (exit 3)")
    func carriedDraftUnreadable() throws {
        let drafts = (0..<3).map { Fixture.draft(Fixture.people[$0], index: $0) }
        let sink = UnreadableCarry(paths: drafts.map(MailRenderer.draftPath))
        do {
            _ = try Fixture.renderer().render(drafts, inputs: { $0.code.rawValue }, to: sink)
            Issue.record("the render did not fail")
        } catch let error as any ClassifiedError {
            #expect(error is CarriedDraftUnreadable)
            #expect(error.failureKind == .fileSystem && error.failureKind.rawValue == 3)
        }
    }
}
