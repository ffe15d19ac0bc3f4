import Foundation
import RefkitTestSupport
import Testing

/// Defect class 8 of issue 17 ("smaller leaks"), through the real binary: surnames of names
/// without a `first_name`, `?bcc=` in the site's addresses, the email layout's escaping,
/// control characters echoed to the terminal, and `refkit check` missing the checks `build` makes.
@Suite("Small leaks")
struct SmallLeakTests {
    static func project(_ prefix: String = "refkit-small-leaks") throws -> URL {
        try CLI.sampleProject(prefix: prefix)
    }

    static func write(_ text: String, _ project: URL, _ path: String) throws {
        try Data(text.utf8).write(to: project.appendingPathComponent(path))
    }

    static func read(_ project: URL, _ path: String) throws -> String {
        try String(contentsOf: project.appendingPathComponent(path), encoding: .utf8)
    }

    static func build(_ project: URL, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01", "-q"] + extra)
    }

    /// The folder name of a referrer's personal page, from the ledger.
    static func code(of email: String, in project: URL) throws -> String {
        let ledger = try read(project, "kit/codes.csv")
        let row = try #require(ledger.split(separator: "\n").first { $0.split(separator: ",").dropFirst(2).first.map(String.init) == email })
        return row.split(separator: ",")[1].replacingOccurrences(of: "-", with: "")
    }

    static func python(_ script: String, _ arguments: [String]) throws -> String {
        let result = try CLI.run("python3", ["-c", script] + arguments)
        #expect(result.status == 0, "python: \(result.stderr)")
        return result.stdout
    }

    // MARK: (a) names without first_name

    static let names = """
    email,name,first_name,lang,program,favourite
    hanako@example.jp,山田花子,,ja,,パン
    ken@example.jp,佐藤 健,,ja,,パン
    xiaoming@example.cn,王小明,,zh,,可颂
    nana@example.cn,欧阳　娜娜,,zh,,可颂
    minjun@example.jp,김민준,,ja,,パン
    romaji@example.jp,Yamada Hanako,,ja,,パン
    given@example.jp,鈴木一郎,一郎,ja,,パン
    marie@example.fr,Marie Dupont,,fr,,pain
    englishcjk@example.com,田中美咲,,en,,bread

    """

    @Test("a name without first_name publishes no surname: the given name after a space, else no name and a warning with the line")
    func givenNamesOnly() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        try Self.write(Self.names, project, "content/referrers.csv")
        let result = try Self.build(project)
        #expect(result.status == 0, "\(result.output)")
        for line in [2, 4, 6, 7, 10] {
            #expect(result.stderr.contains("warning: content/referrers.csv:\(line):"), "no warning for line \(line): \(result.stderr)")
        }
        for line in [3, 5, 8, 9] {
            #expect(!result.stderr.contains("content/referrers.csv:\(line):"), "a warning for line \(line): \(result.stderr)")
        }
        #expect(result.stderr.contains("first_name"))

        // What each personal page may show, and what it must not.
        let cases: [(email: String, shows: String?, hides: [String])] = [
            ("hanako@example.jp", nil, ["山田", "花子"]),
            ("ken@example.jp", "健", ["佐藤"]),
            ("xiaoming@example.cn", nil, ["王小明", "小明"]),
            ("nana@example.cn", "娜娜", ["欧阳"]),
            ("minjun@example.jp", nil, ["김", "민준"]),
            ("romaji@example.jp", nil, ["Yamada", "Hanako"]),
            ("given@example.jp", "一郎", ["鈴木"]),
            ("marie@example.fr", "Marie", ["Dupont"]),
            ("englishcjk@example.com", nil, ["田中", "美咲"]),
        ]
        for c in cases {
            let page = try Self.read(project, "public/r/\(try Self.code(of: c.email, in: project))/index.html")
            let title = page.range(of: #"<title>[^<]*</title>"#, options: .regularExpression).map { String(page[$0]) } ?? ""
            for hidden in c.hides {
                #expect(!page.contains(hidden), "\(c.email): the page shows \(hidden)")
            }
            if let shown = c.shows {
                #expect(title.contains(shown), "\(c.email): \(title)")
            } else {
                // The nameless invitation, in the page's language, with no gap where a name was.
                #expect(!title.hasPrefix("<title> ") && !title.contains("{name}"), "\(c.email): \(title)")
            }
        }
        let japanese = try Self.read(project, "public/r/\(try Self.code(of: "hanako@example.jp", in: project))/index.html")
        #expect(japanese.contains("<title>ご友人からBoulangerie Martinへのご招待です"), "\(japanese.prefix(600))")

        // Postcards are handed to friends: the same rule on the card's back.
        let print = project.appendingPathComponent("kit/print")
        var cards = ""
        for file in try FileManager.default.contentsOfDirectory(atPath: print.path) where file.contains("-shop-") {
            let text = try CLI.run("pdftotext", ["-enc", "UTF-8", print.appendingPathComponent(file).path, "-"])
            #expect(text.status == 0, "pdftotext: \(text.stderr)")
            cards += text.stdout
        }
        #expect(cards.contains("健") && cards.contains("一郎") && cards.contains("娜娜"), "pdftotext read no names: \(cards.prefix(400))")
        for surname in ["山田", "佐藤", "鈴木", "Yamada", "Hanako", "김", "欧阳", "王小明", "田中", "Dupont"] {
            #expect(!cards.contains(surname), "a postcard shows \(surname)")
        }

        // A draft goes to the referrer alone: {{first_name}} falls back to the name they gave.
        let draft = project.appendingPathComponent("kit/mail/drafts/\(try Self.code(of: "englishcjk@example.com", in: project)).eml")
        let body = try Self.python("""
            import email, email.policy, sys
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
            print(m.get_body(('plain',)).get_content())
            """, [draft.path])
        #expect(body.contains("Hello 田中美咲,"), "\(body.prefix(200))")

        // check sees the same rows.
        let check = try CLI.refkit(["check", "--root", project.path])
        #expect(check.status == 0 && check.stderr.contains("warning: content/referrers.csv:2:"), "\(check.output)")
    }

    // MARK: (b) an address is an address

    struct Address: CustomStringConvertible, Sendable {
        var key: String
        var pattern: String
        var line: String
        var marker: String
        var description: String { "\(key): \(line)" }
    }

    static let provider = #"(?m)^  provider: netlify.*$"#
    static let contact = #"(?m)^contact_email:.*$"#
    static let from = #"(?m)^  from:.*$"#
    static let addresses: [Address] = [
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"me@example.com?bcc=them%40elsewhere.example\"", marker: "contact_email:"),
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"me@example.com?cc=them@elsewhere.example\"", marker: "contact_email:"),
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"me?bcc=them%40elsewhere.example@example.com\"", marker: "contact_email:"),
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"me@example.com&bcc=them%40elsewhere.example\"", marker: "contact_email:"),
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"me@example.com%3Fbcc=them%40elsewhere.example\"", marker: "contact_email:"),
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"me@example.com#x\"", marker: "contact_email:"),
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"Me <me@example.com>\"", marker: "contact_email:"),
        Address(key: "contact_email", pattern: contact, line: "contact_email: \"me@example.com\u{FF1F}bcc=them\"", marker: "contact_email:"),
        Address(key: "form.email", pattern: provider, line: "  provider: mailto\n  email: \"me@example.com?bcc=them@elsewhere.example\"", marker: "  email:"),
        Address(key: "form.email", pattern: provider, line: "  provider: mailto\n  email: \"me%40example.com?cc=them%40elsewhere.example@x.example\"", marker: "  email:"),
        Address(key: "mail.from", pattern: from, line: "  from: \"Shop <me@example.com?bcc=them%40elsewhere.example>\"", marker: "  from:"),
    ]

    @Test("contact_email, form.email and mail.from hold a plain address: ?bcc=, ?cc= and the like are refused with the line",
          arguments: addresses)
    func plainAddresses(address: Address) throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        var site = try Self.read(project, "content/site.yaml")
        let range = try #require(site.range(of: address.pattern, options: .regularExpression))
        site.replaceSubrange(range, with: address.line)
        try Self.write(site, project, "content/site.yaml")
        let line = try #require(site.components(separatedBy: "\n").firstIndex { $0.hasPrefix(address.marker) }) + 1
        for command in ["build", "check"] {
            let result = command == "build" ? try Self.build(project) : try CLI.refkit(["check", "--root", project.path])
            #expect(result.status == 1, "\(command) \(address): \(result.output)")
            #expect(result.stderr.contains("content/site.yaml:\(line):"), "\(address): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public").path))
    }

    @Test("an accepted address goes into mailto: links with no header fields but the subject")
    func mailtoLinks() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        var site = try Self.read(project, "content/site.yaml")
        site = site.replacingOccurrences(of: #"(?m)^contact_email:.*$"#, with: "contact_email: \"o'brien+news@example.com\"", options: .regularExpression)
        site = site.replacingOccurrences(of: Self.provider, with: "  provider: mailto\n  email: \"forms.o'brien+x@example.com\"", options: .regularExpression)
        try Self.write(site, project, "content/site.yaml")
        #expect(try Self.build(project).status == 0)
        let fields = try Self.python("""
            import html.parser, sys, urllib.parse
            class P(html.parser.HTMLParser):
                def handle_starttag(self, tag, attrs):
                    for k, v in attrs:
                        if k in ('href', 'action') and v and v.startswith('mailto:'):
                            u = urllib.parse.urlsplit(v)
                            print(urllib.parse.unquote(u.path), sorted(urllib.parse.parse_qs(u.query).keys()))
            P().feed(open(sys.argv[1], encoding='utf-8').read())
            """, [project.appendingPathComponent("public/index.html").path])
        let lines = Set(fields.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("  ") && $0.contains("@") })
        #expect(lines.contains("o'brien+news@example.com []"), "\(fields)")
        #expect(lines.contains("forms.o'brien+x@example.com ['subject']"), "\(fields)")
        #expect(lines.allSatisfy { $0.hasSuffix("[]") || $0.hasSuffix("['subject']") }, "\(fields)")
    }

    // MARK: (c) the email layout escapes by scalar

    @Test("a layout attribute holding {{first_name}} cannot be broken out of by a quote with a combining mark")
    func layoutEscaping() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        var layout = try Self.read(project, "site-templates/mail/layout.mustache")
        layout = layout.replacingOccurrences(of: "<body ", with: "<body title=\"{{first_name}}\" data-code='{{code}}' ")
        try Self.write(layout, project, "site-templates/mail/layout.mustache")
        let hostile = "Zoé\"\u{301} onmouseover=alert(1) x='\u{301} y"
        // Quote doubling by scalar: Foundation's replacingOccurrences does not see the `"` in `"` + U+0301.
        var cell = "\""
        for scalar in hostile.unicodeScalars {
            if scalar == "\"" { cell += "\"\"" } else { cell.unicodeScalars.append(scalar) }
        }
        cell += "\""
        try Self.write("email,name,first_name,lang,favourite\nzoe@example.fr,Zoé Martin,\(cell),en,x\nann@example.com,Ann Lee,Ann,en,x\n", project, "content/referrers.csv")
        let result = try Self.build(project)
        #expect(result.status == 0, "\(result.output)")
        for email in ["zoe@example.fr", "ann@example.com"] {
            let draft = project.appendingPathComponent("kit/mail/drafts/\(try Self.code(of: email, in: project)).eml")
            let attributes = try Self.python("""
                import email, email.policy, html.parser, sys
                m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
                class P(html.parser.HTMLParser):
                    def handle_starttag(self, tag, attrs):
                        if tag == 'body':
                            for k, v in attrs: print(k, sys.argv[2] in v if k == 'title' else '')
                P().feed(m.get_body(('html',)).get_content())
                """, [draft.path, email == "zoe@example.fr" ? " onmouseover=alert(1) x='\u{301} y" : "Ann"])
            // Only the layout's own attributes, and the title holding the rest of the first name
            // (the value is cleaned for display first, so compare the part after the quote).
            let names = attributes.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
            #expect(names == ["title", "data-code", "class", "style"], "\(email): the first name broke out of its attribute: \(attributes)")
            #expect(attributes.contains("title True"), "\(email): \(attributes)")
        }
    }

    // MARK: (d) control characters are shown, never sent

    @Test("a refused value with an escape sequence, C1 control or bidi override reaches the terminal as <U+XXXX>", arguments: [
        "evil\u{1B}]0;pwned\u{07}@example.com", "evil\u{9B}31m@example.com", "evil\u{202E}moc.elpmaxe@example.com",
        "evil\u{7F}\u{2066}@example.com",
    ])
    func visibleControls(email: String) throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        try Self.write("email,name\n\(email)@,Eve\n", project, "content/referrers.csv")
        for arguments in [["build", "--root", project.path, "-q"], ["check", "--root", project.path]] {
            let result = try CLI.refkit(arguments)
            #expect(result.status == 1, "\(result.output)")
            #expect(result.stderr.contains("content/referrers.csv:2:"), "\(result.stderr)")
            let raw = result.output.unicodeScalars.filter { s in
                (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
            }
            #expect(raw.isEmpty, "raw control characters on the terminal: \(raw.map { String($0.value, radix: 16) })")
            #expect(result.stderr.contains("<U+"), "\(result.stderr)")
        }
    }

    // MARK: (e) check makes build's checks

    struct Broken: CustomStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String?
        var replace: (pattern: String, with: String)?
        var names: String
        var description: String { name }
    }

    static let broken: [Broken] = [
        Broken(name: "a mail layout with an unknown variable", file: "site-templates/mail/layout.mustache",
               replace: (#"<title>\{\{title\}\}</title>"#, "<title>{{title}} {{nonsense}}</title>"), names: "site-templates/mail/layout.mustache"),
        Broken(name: "a mail layout that does not parse", file: "site-templates/mail/layout.mustache",
               replace: (#"<title>\{\{title\}\}</title>"#, "<title>{{#title}}</title>"), names: "site-templates/mail/layout.mustache"),
        Broken(name: "a message with an unknown variable", file: "content/programs/parrainage.en.md",
               replace: (#"Hello\{\{#first_name\}\}"#, "Hello {{no_such_column}}{{#first_name}}"), names: "content/programs/parrainage.en.md"),
        Broken(name: "a postcard block outside the safe zone", file: "site-templates/print/postcard.yaml",
               replace: (#"headline: \{ x: 8,"#, "headline: { x: 80,"), names: "front.headline"),
        Broken(name: "a referrer address no draft can go to", file: "content/referrers.csv",
               text: "email,name,first_name,lang,favourite\njosé@example.com,José Martin,José,en,x\n", names: "content/referrers.csv:2"),
    ]

    @Test("check fails where build fails: mail layout, messages, postcard layout, draft addresses", arguments: broken)
    func checkMatchesBuild(fixture: Broken) throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        if let text = fixture.text { try Self.write(text, project, fixture.file) }
        if let replace = fixture.replace {
            let original = try Self.read(project, fixture.file)
            let changed = original.replacingOccurrences(of: replace.pattern, with: replace.with, options: .regularExpression)
            #expect(changed != original, "the fixture did not change \(fixture.file)")
            try Self.write(changed, project, fixture.file)
        }
        let check = try CLI.refkit(["check", "--root", project.path])
        #expect(check.status == 1, "check passed \(fixture.name): \(check.output)")
        #expect(check.stderr.contains(fixture.names), "\(check.stderr)")
        let build = try Self.build(project)
        #expect(build.status != 0 && build.stderr.contains(fixture.names), "\(build.output)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public").path))
    }
}
