import Foundation
import RefkitTestSupport
import Testing

/// Values a spreadsheet or an attacker can put in referrers.csv, through the real binary:
/// each lands escaped for where it goes, or is refused with the line and a fix.
@Suite("Hostile referrer values", .serialized)
struct HostileInputTests {
    /// RFC 4180 quoting by bytes, so the fixture says exactly what it means.
    static func csvRow(_ cells: [String]) -> String {
        CSVFixture.row(cells)
    }

    static func project(rows: [[String]]) throws -> URL {
        let project = try CLI.sampleProject()
        var text = "email,name,first_name,lang,program,favourite\n"
        for row in rows { text += csvRow(row) }
        try text.write(to: project.appendingPathComponent("content/referrers.csv"), atomically: true, encoding: .utf8)
        return project
    }

    @Test("markup, quotes, formulas, URLs, Mustache and emoji are escaped on pages, in drafts, in the merge file and on cards")
    func escaped() throws {
        let project = try Self.project(rows: [
            ["h1@example.com", "<script>alert(1)</script> Evil", "", "en", "", "<img src=x onerror=alert(2)>"],
            ["h2@example.com", "Quote \" onmouseover=\"alert(3)", "", "en", "", "x"],
            ["h3@example.com", "=HYPERLINK(\"http://evil.example\",\"x\")", "Formula", "en", "", "@SUM(A1)"],
            ["h4@example.com", "javascript:alert(4)", "", "en", "", "-1+1"],
            ["h5@example.com", "{{site.name}} Mustache", "", "fr", "", "{{code}}"],
            ["h6@example.com", "Émilie 👩‍🍳 Cafe\u{301}", "", "fr", "", "croissant"],
        ])
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(result.status == 0, "\(result.stderr)")
        var pages = ""
        for (path, _) in CLI.snapshot(project.appendingPathComponent("public")) where path.hasSuffix(".html") {
            pages += try String(contentsOf: project.appendingPathComponent("public/" + path), encoding: .utf8)
        }
        #expect(!pages.contains("<script>alert"))
        #expect(!pages.contains("onmouseover=\"alert"))
        #expect(!pages.contains("<img src=x"))
        #expect(pages.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(pages.contains("{{site.name}}"), "Mustache in a value is text, not template code")

        let kit = project.appendingPathComponent("kit")
        let merge = try String(contentsOf: kit.appendingPathComponent("mail/merge.csv"), encoding: .utf8)
        #expect(!merge.contains(",=HYPERLINK") && !merge.contains(",\"=HYPERLINK"))
        #expect(merge.contains("'=HYPERLINK") && merge.contains("'@SUM") && merge.contains("'-1+1"))

        // Python's email parser: one header block, no injected header, names decoded intact.
        let script = """
        import email, email.policy, glob, sys
        names = set()
        for path in glob.glob(sys.argv[1] + '/mail/drafts/*.eml'):
            msg = email.message_from_bytes(open(path, 'rb').read(), policy=email.policy.default)
            assert 'Bcc' not in msg and 'bcc' not in msg.keys(), path
            names.add(str(msg['To'].addresses[0].display_name))
            html = msg.get_body(('html',)).get_content()
            assert '<script>alert' not in html and '<img src=x' not in html, path
        print('\\n'.join(sorted(names)))
        """
        let python = try CLI.run("python3", ["-c", script, kit.path])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout.contains("<script>alert(1)</script> Evil"))
        #expect(python.stdout.contains("Émilie 👩‍🍳 Cafe\u{301}"))

        // The cards: the printed first names come back out of the PDFs as text.
        var cards = ""
        for (path, _) in CLI.snapshot(kit.appendingPathComponent("print")) where path.contains("-shop-") {
            cards += try CLI.run("pdftotext", [kit.appendingPathComponent("print/" + path).path, "-"]).stdout
        }
        #expect(cards.contains("<script>alert(1)</script>"))
        #expect(cards.contains("Formula"))
    }

    @Test("invisible characters, line breaks and absurd lengths in names are refused with the line", arguments: [
        ("Ali\u{202E}ce Smith", "U+202E"),
        ("Zoe\u{200B} Zero", "U+200B"),
        ("Bob\r\nBcc: x@evil.example", "U+D"),
        ("Nul\u{0}Byte", "U+0"),
        (String(repeating: "A", count: 10_000), "10000 characters long"),
        ("   ", "the name is empty"),
    ])
    func refused(name: String, expected: String) throws {
        let project = try Self.project(rows: [["ok@example.com", "Fine Name", "", "en", "", ""], ["bad@example.com", name, "", "en", "", ""]])
        let before = project.appendingPathComponent("public")
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("content/referrers.csv:3"), "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: before.path))
    }
}
