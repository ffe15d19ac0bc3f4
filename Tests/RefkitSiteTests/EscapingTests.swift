import Foundation
import RefkitLoad
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitSite

@Suite("Escaping user values where they land")
struct EscapingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The sample project with one programme's front matter replaced by hostile values.
    func hostileProject() throws -> Project {
        let root = try TemporaryFolder.create("refkit-esc")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/programs"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("site-templates"), to: root.appendingPathComponent("site-templates"))
        try "name: \"Bad <b>Brand</b> \\\" onmouseover=x\"\nbase_url: https://example.com/\nlanguage: en\n"
            .write(to: root.appendingPathComponent("content/site.yaml"), atomically: true, encoding: .utf8)
        let evil = "<script>alert(1)</script>\\\" onmouseover=\\\"x"
        let fm = """
        ---
        headline: "\(evil)"
        subheadline: "{{site.name}} </script><script>alert(2)</script>"
        title: "\(evil)"
        description: "\(evil)"
        cta: "\(evil)"
        incentive:
          referrer: "\(evil)"
          friend: "\(evil)"
        testimonials:
          - quote: "\(evil)"
            author: "\(evil)"
        faq:
          - q: "</script><script>alert(3)</script>"
            a: "[click](javascript:alert(4)) <img src=x onerror=alert(5)>"
        terms: "<iframe src=//evil></iframe>"
        ---
        <script>alert(6)</script>
        """
        try fm.write(to: root.appendingPathComponent("content/programs/offer.md"), atomically: true, encoding: .utf8)
        return try ProjectLoader(root: root).load()
    }

    @Test("script, attribute break-outs, javascript: links and </script> in JSON-LD are all neutralised")
    func hostileValues() throws {
        let sink = MemorySink()
        _ = try SiteRenderer(project: hostileProject(), invitations: [], today: Day("2026-11-23")!).render(to: sink)
        let page = String(decoding: sink.file(.site, "index.html")!.bytes, as: UTF8.self)
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("onmouseover=\"x"))
        #expect(!page.contains("onerror"))
        #expect(!page.contains("javascript:"))
        #expect(!page.contains("<iframe"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        // Mustache delimiters in content are text, not template code.
        #expect(page.contains("{{site.name}}"))
        let jsonStart = try #require(page.range(of: "<script type=\"application/ld+json\">"))
        let json = page[jsonStart.upperBound...].prefix { $0 != "<" }
        #expect(json.contains("\\u003c/script\\u003e"))
        let data = Data(json.utf8)
        #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "JSON-LD must stay valid JSON")
    }

    @Test("URLs: only http, https, mailto and relative pass", arguments: [
        ("https://example.com/a?b=c", true), ("mailto:a@example.com", true), ("../assets/x.png", true),
        ("javascript:alert(1)", false), ("JaVaScRiPt:alert(1)", false), ("data:text/html,x", false), ("vbscript:x", false),
    ])
    func safeURLs(url: String, allowed: Bool) {
        #expect((Escape.safeURL(url) != nil) == allowed)
    }

    @Test("a template naming a variable that does not exist is an error, not a silent hole")
    func strictVariables() throws {
        var project = try hostileProject()
        project.theme.templates["layouts/thanks"]!.text = "<p>{{program.headlin}}</p>"
        let error = #expect(throws: SiteError.self) {
            _ = try SiteRenderer(project: project, invitations: [], today: Day("2026-11-23")!).render(to: MemorySink())
        }
        #expect(error?.diagnostics.first?.description.contains("`program.headlin`, which does not exist; did you mean `program.headline`?") == true)
    }
}
