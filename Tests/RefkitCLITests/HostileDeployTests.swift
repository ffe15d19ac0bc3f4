import Foundation
import RefkitTestSupport
import Testing

/// Defect class 3 of issue 17: the host files (`kit/deploy/s3-sync.sh`, `kit/deploy/nginx.conf`,
/// `public/_headers`, `public/CNAME`) and the 404 page as injection targets.
///
/// Values that a config line cannot hold are refused at load with `content/site.yaml:LINE`;
/// what is accepted is quoted for the program that reads it. Every target is built from
/// hostile fixtures and its files are read by that program: `bash -n` and a run of the s3 script
/// with a fake `aws` first on the PATH that records its arguments, `nginx -t` and nginx's grammar
/// for the server block, a parser of Netlify's `_headers`, and Python's URL resolution for the
/// links of the 404 page.
@Suite("Hostile deploy files")
struct HostileDeployTests {
    static let targets = ["plain", "netlify", "github-pages", "s3", "nginx"]
    static let script = CLI.repository.appendingPathComponent("Tests/Fixtures/deploy/check_deploy.py").path

    // MARK: Fixtures

    /// A YAML double-quoted scalar holding `value` exactly: control characters as escapes.
    static func yaml(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The sample project with some lines of site.yaml replaced; returns it and the line (from 1)
    /// where `marker` ends up, so a test can expect `content/site.yaml:LINE`.
    static func project(replacing edits: [(pattern: String, with: String)], marker: String? = nil) throws -> (URL, Int?) {
        let project = try CLI.sampleProject(prefix: "refkit-hostile-deploy")
        let file = project.appendingPathComponent("content/site.yaml")
        var text = try String(contentsOf: file, encoding: .utf8)
        for edit in edits {
            guard let range = text.range(of: edit.pattern, options: .regularExpression) else {
                Issue.record("site.yaml has no line matching \(edit.pattern)")
                continue
            }
            text.replaceSubrange(range, with: edit.with)
        }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let line = marker.flatMap { m in text.components(separatedBy: "\n").firstIndex { $0.contains(m) }.map { $0 + 1 } }
        return (project, line)
    }

    static func build(_ project: URL, target: String, extra: [String] = []) throws -> CLI.Result {
        try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01", "-q", "--target", target] + extra)
    }

    static func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try CLI.run("python3", [script] + arguments)
        #expect(result.status == 0, "check_deploy.py \(arguments.first ?? ""): \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return object as? [String: Any] ?? [:]
    }

    /// A value that must be refused at load: key path, the value as YAML, and a marker to find its line.
    struct Refused: CustomStringConvertible, Sendable {
        var name: String
        var key: String
        var edits: [(pattern: String, with: String)]
        var marker: String
        var description: String { name }
    }

    static let baseURL = #"(?m)^base_url:.*$"#
    static let provider = #"(?m)^  provider: netlify.*$"#
    static let refused: [Refused] = [
        Refused(name: "base_url host with %3B (a CSP directive)", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://a.example%3B%20script-src%20*/"))], marker: "base_url:"),
        Refused(name: "base_url host with %0A (a header or directive line)", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://a.example%0Aadd_header%20X%201/"))], marker: "base_url:"),
        Refused(name: "base_url host with ; and {", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://a.example;}server{/"))], marker: "base_url:"),
        Refused(name: "base_url host with $ (an nginx variable)", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://$host.example/"))], marker: "base_url:"),
        Refused(name: "base_url host with a quote and combining mark", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://a\"\u{301}.example/"))], marker: "base_url:"),
        Refused(name: "base_url path %2F%2Fevil.example (404 page loads from another site)", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://refer.example.com/%2F%2Fevil.example/"))], marker: "base_url:"),
        Refused(name: "base_url path %5C%5Cevil.example", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://refer.example.com/%5C%5Cevil.example/"))], marker: "base_url:"),
        Refused(name: "base_url path %0A", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://refer.example.com/a%0Ab/"))], marker: "base_url:"),
        Refused(name: "base_url path with .. encoded", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://refer.example.com/a/%2e%2e/"))], marker: "base_url:"),
        Refused(name: "base_url with a user name (evil.example@)", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://refer.example.com@evil.example/"))], marker: "base_url:"),
        Refused(name: "base_url with a query", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://refer.example.com/?x=1"))], marker: "base_url:"),
        Refused(name: "base_url with a bidi override", key: "base_url",
                edits: [(baseURL, "base_url: " + yaml("https://refer.example.com/\u{202E}gpj/"))], marker: "base_url:"),
        Refused(name: "form.action host with %3B (a CSP directive)", key: "form.action",
                edits: [(provider, "  provider: action\n  action: " + yaml("https://forms.example%3B%20script-src%20*/f/abc"))], marker: "  action:"),
        Refused(name: "form.action host with %0D%0A (a new header line)", key: "form.action",
                edits: [(provider, "  provider: action\n  action: " + yaml("https://forms.example%0D%0AX-Evil:%201/f"))], marker: "  action:"),
        Refused(name: "form.action with a full-width colon in the host", key: "form.action",
                edits: [(provider, "  provider: action\n  action: " + yaml("https://forms.example\u{FF1A}8080/f"))], marker: "  action:"),
        Refused(name: "name with a newline and a command (s3 script, nginx comment)", key: "name",
                edits: [(#"(?m)^name:.*$"#, "name: " + yaml("Bakery\ntouch PWNED\n"))], marker: "name:"),
        Refused(name: "name with CR LF", key: "name",
                edits: [(#"(?m)^name:.*$"#, "name: " + yaml("Bakery\r\nadd_header X 1;"))], marker: "name:"),
        Refused(name: "name with U+2028", key: "name",
                edits: [(#"(?m)^name:.*$"#, "name: " + yaml("Bakery\u{2028}touch PWNED"))], marker: "name:"),
        Refused(name: "form.name with a newline", key: "form.name",
                edits: [(provider, "  provider: netlify\n  name: " + yaml("referral\nx"))], marker: "  name:"),
    ]

    // MARK: Refused at load

    @Test("a value a host file cannot hold is refused at load for every target, with site.yaml:line and the key",
          arguments: refused, targets)
    func refusedAtLoad(fixture: Refused, target: String) throws {
        let (project, line) = try Self.project(replacing: fixture.edits, marker: fixture.marker)
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try Self.build(project, target: target)
        #expect(result.status == 1, "\(fixture.name) (\(target)): \(result.output)")
        let line_ = try #require(line)
        #expect(result.stderr.contains("content/site.yaml:\(line_):"), "\(fixture.name): \(result.stderr)")
        #expect(result.stderr.contains("`\(fixture.key)`"), "\(fixture.name): \(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\r") && !result.stderr.contains("\u{202E}"),
                "the refused value reached the terminal raw: \(result.stderr.debugDescription)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public").path))
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("kit").path))
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("PWNED").path))
    }

    @Test("--base-url takes the same rule as base_url: a usage error, nothing written", arguments: [
        "https://a.example%3B%20script-src%20*/", "https://refer.example.com/%2F%2Fevil.example/", "https://a.example%0A/",
        "https://u@refer.example.com/", "https://refer.example.com/?q",
    ])
    func refusedBaseURLOption(value: String) throws {
        let project = try CLI.sampleProject(prefix: "refkit-hostile-deploy")
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try Self.build(project, target: "nginx", extra: ["--base-url", value])
        #expect(result.status == 2, "\(value): \(result.output)")
        #expect(result.stderr.contains("--base-url"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("kit").path))
    }

    // MARK: Accepted, and quoted

    /// Values that are fine at load and still full of shell, nginx and header syntax.
    static let acceptedEdits: [(pattern: String, with: String)] = [
        (#"(?m)^name:.*$"#, "name: " + yaml(#"Bob's "Bakery" $(touch PWNED1) `touch PWNED2` ; { } \ # ${HOME} '\''"#)),
        (baseURL, "base_url: " + yaml("https://Refer.Example.com:8443/a;b/c'd/(x)/caf%C3%A9/")),
        (provider, "  provider: action\n  action: " + yaml("https://Forms.Example.com/f/abc?x=1;y='2'&z=$3")),
    ]

    /// Theme files with names full of syntax: a hashed name goes into host-file rules only when
    /// it is plain; this one must end up in none of them, or quoted.
    static func addHostileThemeFiles(_ project: URL) throws {
        let static_ = project.appendingPathComponent("site-templates/static")
        // (A name with a line break never gets this far: the writer refuses such output paths.)
        let names = ["evil'$(touch PWNED3)'.js", "sp ace;{}\"q$HOME*.css"]
        for name in names {
            let file = static_.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("/* \(name.count) */\n".utf8).write(to: file)
        }
    }

    @Test("accepted values full of syntax are quoted: every target's files read back as written", arguments: targets)
    func acceptedAndQuoted(target: String) throws {
        let (project, _) = try Self.project(replacing: Self.acceptedEdits)
        defer { try? FileManager.default.removeItem(at: project) }
        try Self.addHostileThemeFiles(project)
        let result = try Self.build(project, target: target)
        let publicDir = project.appendingPathComponent("public"), kit = project.appendingPathComponent("kit")
        if result.status != 0 {
            // Another rule (file names) may refuse the theme files; then it must say which.
            #expect(result.status == 1 && result.stderr.contains("site-templates/static/"), "\(target): \(result.output)")
            return
        }
        let origin = "https://refer.example.com:8443"

        // The 404 page, on every target: its links stay on the site.
        let links = try Self.json(["links", publicDir.appendingPathComponent("404.html").path, origin + "/a;b/c'd/(x)/caf%C3%A9/"])
        // Host names compare ignoring case (the page's absolute links keep base_url's spelling).
        let origins = (links["origins"] as? [String] ?? []).map { $0.lowercased() }
        #expect(Set(origins).isSubset(of: [origin, "https://forms.example.com"]), "404 page links: \(links["resolved"] ?? "")")
        let resolved = links["resolved"] as? [String] ?? []
        #expect(resolved.contains { $0.hasPrefix(origin + "/a;b/c'd/(x)/caf%C3%A9/assets/theme/") }, "\(resolved)")

        switch target {
        case "netlify":
            let headers = try Self.json(["headers", publicDir.appendingPathComponent("_headers").path])
            #expect((headers["malformed"] as? [String] ?? []).isEmpty, "\(headers)")
            let rules = headers["rules"] as? [String: [[String]]] ?? [:]
            let plainTheme = rules.keys.filter { $0.hasPrefix("/assets/theme/") }
            #expect(Set(rules.keys).subtracting(plainTheme) == ["/*", "/r/*", "/p/*"], "\(rules.keys.sorted())")
            #expect(plainTheme.allSatisfy { $0.range(of: #"^/assets/theme/[a-z]+\.[0-9a-f]{8}\.(css|js)$"#, options: .regularExpression) != nil },
                    "\(plainTheme)")
            let names = Set(rules.values.flatMap { $0.map { $0[0] } })
            #expect(names == ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",
                              "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cache-Control", "X-Robots-Tag"], "\(names.sorted())")
            let csp = rules["/*"]?.first { $0[0] == "Content-Security-Policy" }?[1] ?? ""
            #expect(csp.hasSuffix("form-action 'self' https://forms.example.com; base-uri 'none'; frame-ancestors 'none'"), "\(csp)")
            #expect(rules["/*"]?.first { $0[0] == "X-Frame-Options" }?[1] == "DENY")
        case "github-pages":
            #expect(FileManager.default.fileExists(atPath: publicDir.appendingPathComponent(".nojekyll").path))
        case "s3":
            let s3Path = kit.appendingPathComponent("deploy/s3-sync.sh").path
            let s3 = try Self.json(["s3", s3Path, publicDir.path])
            #expect(s3["syntax"] as? Int == 0, "bash -n: \(s3["syntax_stderr"] ?? "")")
            #expect(s3["status"] as? Int == 0, "sh s3-sync.sh: \(s3["stderr"] ?? "")")
            #expect(s3["created"] as? [String] == [], "the script ran something besides aws: \(s3["created"] ?? "")")
            let calls = s3["calls"] as? [[String]] ?? []
            #expect(calls.count >= 7 && calls.allSatisfy { $0.starts(with: ["s3", "sync", publicDir.path, "s3://my-bucket/"]) }, "\(calls)")
            let types = calls.compactMap { call in call.firstIndex(of: "--content-type").map { call[$0 + 1] } }
            #expect(Set(types) == ["text/css; charset=utf-8", "text/javascript; charset=utf-8", "text/html; charset=utf-8",
                                   "application/xml; charset=utf-8", "text/plain; charset=utf-8"], "\(types)")
            let includes = calls.flatMap { call in call.indices.filter { call[$0] == "--include" }.map { call[$0 + 1] } }
            #expect(!includes.contains { $0.contains("evil") || $0.contains("\n") }, "\(includes)")
            let text = try String(contentsOfFile: s3Path, encoding: .utf8)
            #expect(text.components(separatedBy: "\n").filter { $0.contains("Bakery") }.count == 1, "the brand name left its comment line")
        case "nginx":
            let conf = kit.appendingPathComponent("deploy/nginx.conf").path
            let nginx = try Self.json(["nginx", conf])
            #expect(nginx["error"] == nil, "\(nginx["error"] ?? "")")
            #expect(nginx["status"] as? Int == 0, "nginx -t: \(nginx["stderr"] ?? "")")
            let directives = nginx["directives"] as? [[String]] ?? []
            #expect(directives.contains(["server", "server_name", "refer.example.com"]), "\(directives)")
            #expect(directives.contains(["server", "root", "/var/www/refer.example.com"]))
            // The same directives as the sample's own server block, apart from the host.
            let (clean, _) = try Self.project(replacing: [])
            defer { try? FileManager.default.removeItem(at: clean) }
            #expect(try Self.build(clean, target: "nginx").status == 0)
            let reference = try Self.json(["nginx", clean.appendingPathComponent("kit/deploy/nginx.conf").path])
            func shape(_ d: [[String]]) -> [[String]] {
                d.map { $0.map { $0.replacingOccurrences(of: "parrainage.boulangerie-martin.example.fr", with: "HOST")
                    .replacingOccurrences(of: "refer.example.com", with: "HOST")
                    .replacingOccurrences(of: " https://forms.example.com", with: "") } }
            }
            #expect(shape(directives) == shape(reference["directives"] as? [[String]] ?? []), "the server block changed shape")
            let csp = directives.first { $0.count == 3 && $0[1] == "add_header" && $0[2] == "Content-Security-Policy" }
            #expect(csp == nil, "add_header lost its value")
            #expect(directives.contains { $0.count == 5 && $0[1] == "add_header" && $0[2] == "Content-Security-Policy"
                    && $0[3].contains("form-action 'self' https://forms.example.com;") && $0[4] == "always" }, "\(directives)")
        default:
            break
        }
        for name in ["PWNED", "PWNED1", "PWNED2", "PWNED3"] {
            #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent(name).path))
        }
    }
}
