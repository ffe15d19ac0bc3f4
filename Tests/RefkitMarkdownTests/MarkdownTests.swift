import Testing
import RefkitMarkdown

@Suite("Markdown through libcmark")
struct MarkdownTests {
    @Test("renders CommonMark to HTML and plain text")
    func basic() {
        let r = Markdown.render("# Titre\n\nDu *pain* et des `croissants`.\n\n- un\n- deux\n")
        #expect(r.html == "<h1>Titre</h1>\n<p>Du <em>pain</em> et des <code>croissants</code>.</p>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n")
        #expect(r.text == "Titre\n\nDu pain et des croissants.\n\n- un\n- deux")
    }

    @Test("raw HTML and javascript: links are dropped unless unsafe is asked for")
    func safeByDefault() {
        let hostile = "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>"
        let safe = Markdown.render(hostile)
        #expect(!safe.html.contains("<script"))
        #expect(!safe.html.contains("onerror"))
        #expect(!safe.html.contains("javascript:"))
        #expect(Markdown.render(hostile, unsafe: true).html.contains("<script>"))
    }
}
