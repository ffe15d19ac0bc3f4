import Foundation
import Mustache
import RefkitLoad
import RefkitModel
import RefkitMustache
import RefkitTestSupport
import Testing
@testable import RefkitSite

@Suite("Personal pages filled in from prototypes")
struct PersonalPageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Markup, quotes, a lone combining mark after them, Mustache delimiters, the sentinel's own
    /// noncharacters, bidi overrides, CJK and emoji; empty names too, which change the shape.
    static let pieces: [String] = ["<", ">", "&", "\"", "'", "\u{301}", "{{", "}}", "{{{x}}}", noncharacter(0xFDD0), noncharacter(0xFDD1), "aZ&",
                                   "\u{202E}", "\u{200B}", "Léa", "美咲", "さくら", "Siti", "👩‍🍳", " onmouseover=alert(1) ", "</script>", "%20", "\\"]

    /// Swift refuses noncharacters in literals.
    static func noncharacter(_ value: UInt32) -> String { String(Unicode.Scalar(value)!) }

    static func names(_ count: Int) -> [String] {
        var random = SplitMix64(state: 20261123)
        return (0..<count).map { i in
            if i % 17 == 0 { return "" }
            return (0..<Int.random(in: 1...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
    }

    /// The sample project with `count` referrers spread over its languages, each with a hostile
    /// first name and a distinct code.
    static func invitations(_ project: Project, _ count: Int) -> [Invitation] {
        let languages = project.mainProgram.editions.map(\.language)
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return names(count).enumerated().map { i, name in
            let referrer = Referrer(email: "r\(i)@example.com", name: name + " Surname", firstName: name,
                                    language: languages[i % languages.count], program: project.mainProgram.slug, line: i + 2)
            var n = i * 7919 + 12345
            let code = String((0..<9).map { _ in defer { n /= 32 }; return alphabet[n % 32] })
            return Invitation(referrer: referrer, code: InviteCode(uncheckedRawValue: code), progressToken: "t\(code.lowercased())\(i)")
        }
    }

    func render(_ project: Project, _ invitations: [Invitation], prototypes: Bool) throws -> MemorySink {
        var renderer = try SiteRenderer(project: project, invitations: invitations, today: Day("2026-11-23")!)
        renderer.usesPrototypes = prototypes
        let sink = MemorySink()
        _ = try renderer.render(to: sink)
        return sink
    }

    @Test("every page filled in from a prototype is byte for byte the page a full render makes, for hostile names")
    func sameAsFullRender() throws {
        var project = try ProjectLoader(root: Self.repository).load()
        let invitations = Self.invitations(project, 300)
        // Progress pages are filled in from a prototype per count: a spread of counts, tiers
        // reached and not, friends waiting and not, and referrers the report never saw.
        var progress = ProgressSummary()
        for (i, invitation) in invitations.enumerated() where i % 3 != 0 {
            progress.referrers[invitation.code] = ReferrerProgress(friends: i % 7, waiting: i % 4, first: Day("2026-11-01"))
        }
        project.progress = progress
        let filled = try render(project, invitations, prototypes: true)
        let full = try render(project, invitations, prototypes: false)
        #expect(filled.files.count == full.files.count)
        for invitation in invitations {
            for path in [invitation.path + "index.html", invitation.progressPath + "index.html"] {
                let a = try #require(filled.file(.site, path)), b = try #require(full.file(.site, path))
                #expect(a.bytes == b.bytes, "\(path) for first name \(invitation.referrer.firstName.debugDescription)")
            }
        }
    }

    @Test("a template that transforms a referrer's value gets each page rendered in full")
    func transformFallsBack() throws {
        var project = try ProjectLoader(root: Self.repository).load()
        let layout = try #require(project.theme.templates["layouts/personal"])
        project.theme.templates["layouts/personal"]!.text = layout.text.replacingOccurrences(
            of: "<main id=\"main\">", with: "<main id=\"main\"><p id=\"shout\">{{uppercased(referrer.first_name)}}|{{reversed(referrer.code)}}</p>")
        let invitations = Self.invitations(project, 40).filter { !$0.referrer.firstName.isEmpty }
        let sink = try render(project, invitations, prototypes: true)
        for invitation in invitations {
            let page = String(decoding: try #require(sink.file(.site, invitation.path + "index.html")).bytes, as: UTF8.self)
            let code = invitation.code.formatted(group: project.site.codes.group)
            let expected = Markup.escape(invitation.referrer.firstName.uppercased()) + "|" + Markup.escape(String(code.reversed()))
            #expect(page.contains("<p id=\"shout\">\(expected)</p>"), "\(invitation.path)")
        }
    }

    @Test("a prototype with a damaged or stray sentinel is refused")
    func damagedSentinels() {
        let good = "<p>" + PagePrototype.sentinel(0) + "</p>"
        #expect(PagePrototype(rendered: good, slots: 1) != nil)
        #expect(PagePrototype(rendered: good.uppercased(), slots: 1) == nil)
        #expect(PagePrototype(rendered: good, slots: 0) == nil, "a slot the page does not have")
        #expect(PagePrototype(rendered: "<p>" + String(Unicode.Scalar(0xFDD1)!) + "</p>", slots: 1) == nil)
        #expect(PagePrototype(rendered: String(good.reversed()), slots: 1) == nil)
        let escaped = PagePrototype(rendered: "<a title=\"" + Markup.escape(PagePrototype.sentinel(1)) + "\">" + PagePrototype.sentinel(0), slots: 2)
        #expect(escaped?.fill(["<b>", "\"x"]) == Array("<a title=\"&quot;x\"><b>".utf8))
    }
}

@Suite("HTML escaping by Unicode scalar")
struct ScalarEscapingTests {
    /// `"` + U+0301 is one Swift Character that is not `"`; an HTML parser still sees the quote.
    static let breakOut = "x\"\u{301} onmouseover=alert(1) y=\"\u{301}<\u{301}script>"

    @Test("Markup.escape escapes a quote or bracket that a combining mark follows")
    func markup() {
        let escaped = Markup.escape(Self.breakOut)
        #expect(!escaped.unicodeScalars.contains { "\"<>".unicodeScalars.contains($0) })
        #expect(escaped == "x&quot;\u{301} onmouseover=alert(1) y=&quot;\u{301}&lt;\u{301}script&gt;")
    }

    @Test("templates parsed by HTMLTemplate escape by scalar, in attributes and text alike")
    func templates() throws {
        let template = try HTMLTemplate.parse("{{#x}}<a title=\"{{x}}\">{{x}}</a>{{/x}}")
        let html = template.render(["x": Self.breakOut])
        // (Built outside #expect: the macro cannot quote a literal with a lone combining mark.)
        let rawQuoteWithMark = "\"" + "\u{301}", escapedStart = "<a title=\"x&quot;" + "\u{301}"
        let quotes = html.unicodeScalars.filter { $0 == "\"" }.count
        #expect(!html.contains(rawQuoteWithMark))
        #expect(quotes == 2, "only the template's own quotes")
        #expect(html.hasPrefix(escapedStart))
    }
}
