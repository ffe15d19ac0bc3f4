import Testing
import RefkitMarkdown

/// `Markdown.Rendered.plain`: the text/plain part of an email, from the tree cmark parsed.
@Suite("Plain text from Markdown")
struct PlainTextTests {
    static func plain(_ markdown: String) -> String {
        Markdown.render(markdown, plain: true).plain
    }

    @Test("emphasis and code keep their text; a hard break (backslash or two spaces) is a new line")
    func inline() {
        #expect(Self.plain("Your code: **K7QM-4TZ9-X**, *soon* `x*y`.\\\nCamille  \nand _us_") ==
                "Your code: K7QM-4TZ9-X, soon x*y.\nCamille\nand us")
    }

    @Test("links are text <URL>; an autolink or a link whose text is its URL is the URL once")
    func links() {
        #expect(Self.plain("[your page](https://x.example/r/K7/?utm_source=email) and <https://x.example/> and [https://a.example/](https://a.example/) and <hi@x.example>") ==
                "your page <https://x.example/r/K7/?utm_source=email> and https://x.example/ and https://a.example/ and hi@x.example")
        #expect(Self.plain("![the logo](https://x.example/logo.png)") == "the logo")
        // As in the HTML, a script link keeps its text and loses its target.
        #expect(Self.plain("[click](JavaScript:alert(1)) [d](data:text/html,x)") == "click d")
    }

    @Test("lists: bullets and numbers kept, nested items indented, tight lists without blank lines")
    func lists() {
        #expect(Self.plain("- one\n- two\n  - inner\n- three\n\nAfter") == "- one\n- two\n  - inner\n- three\n\nAfter")
        #expect(Self.plain("Before:\n- one\n- two") == "Before:\n\n- one\n- two")
        #expect(Self.plain("3. a\n4. b\n\n   more of b\n\n5) c") == "3. a\n\n4. b\n\n   more of b\n\n5) c")
    }

    @Test("quotes keep > on every line, code blocks are indented, headings and rules are text, raw HTML is dropped")
    func blocks() {
        #expect(Self.plain("> quoted\n> line\n>\n> second") == "> quoted\n> line\n>\n> second")
        #expect(Self.plain("# Title\n\n```\nlet x = 1\n\nlet y\n```\n\n---\n\n<div>raw</div>\n\nend <b>x</b>") ==
                "Title\n\n    let x = 1\n\n    let y\n\n----\n\nend x")
    }

    @Test("no Markdown syntax is left from a typical message")
    func noSyntax() {
        let text = Self.plain("Hello **Ann**,\n\nHere is [your page](https://x.example/).\n\n- For you: *a gift*\n- For them: 20 %\n\nSee you,\\\nCamille")
        #expect(!text.contains("**") && !text.contains("](") && !text.contains("\\"))
        #expect(!text.split(separator: "\n").contains { $0.hasSuffix("\\") })
    }

    @Test("a quote nested 20,000 deep renders without overflowing the stack")
    func deep() {
        let text = Self.plain(String(repeating: ">", count: 20_000) + " deep")
        #expect(text.hasSuffix("deep"))
    }

    @Test("without plain: true, plain is empty (the site does not pay for it)")
    func optIn() {
        #expect(Markdown.render("**x**").plain.isEmpty)
    }
}
