import Foundation
import RefkitTestSupport
import Testing

/// `refkit build --target HOST` on the real binary, and `refkit serve`.
@Suite("Deploy targets and serve")
struct DeployTests {
    /// Builds through `CLI.refkit`, which scans a successful build's public/ for private data.
    func build(_ project: URL, _ arguments: [String]) throws -> CLI.Result {
        try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01", "-q"] + arguments, combined: true)
    }

    func files(_ folder: URL) -> Set<String> {
        Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
    }

    @Test("plain adds no host files; github-pages adds .nojekyll and the CNAME from deploy.cname; switching back removes them")
    func githubPages() throws {
        let project = try CLI.sampleProject(prefix: "refkit-deploy")
        defer { try? FileManager.default.removeItem(at: project) }
        let siteYAML = project.appendingPathComponent("content/site.yaml")
        try (String(contentsOf: siteYAML, encoding: .utf8) + "\ndeploy:\n  cname: Refer.Example.com\n").write(to: siteYAML, atomically: true, encoding: .utf8)
        let publicDir = project.appendingPathComponent("public")

        #expect(try build(project, []).status == 0)
        #expect(files(publicDir).isDisjoint(with: [".nojekyll", "CNAME", "_headers", "_redirects"]))
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("kit/deploy").path))

        #expect(try build(project, ["--target", "github-pages"]).status == 0)
        #expect(files(publicDir).isSuperset(of: [".nojekyll", "CNAME"]))
        #expect(try String(contentsOf: publicDir.appendingPathComponent("CNAME"), encoding: .utf8) == "refer.example.com\n")

        #expect(try build(project, ["--target", "plain"]).status == 0)
        #expect(files(publicDir).isDisjoint(with: [".nojekyll", "CNAME"]))
    }

    @Test("a deploy.cname that is not a domain is a content error with file and line")
    func badCNAME() throws {
        let project = try CLI.sampleProject(prefix: "refkit-deploy")
        defer { try? FileManager.default.removeItem(at: project) }
        let siteYAML = project.appendingPathComponent("content/site.yaml")
        try (String(contentsOf: siteYAML, encoding: .utf8) + "\ndeploy:\n  cname: https://refer.example.com/\n").write(to: siteYAML, atomically: true, encoding: .utf8)
        let result = try build(project, ["--target", "github-pages"])
        #expect(result.status == 1)
        #expect(result.output.contains("content/site.yaml:") && result.output.contains("deploy.cname"), "\(result.output)")
    }

    @Test("netlify: _headers with the CSP, noindex on /r/*, a year's cache for each hashed asset; the pages name those assets")
    func netlify() throws {
        let project = try CLI.sampleProject(prefix: "refkit-deploy")
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try build(project, ["--target", "netlify"]).status == 0)
        let publicDir = project.appendingPathComponent("public")
        let headers = try String(contentsOf: publicDir.appendingPathComponent("_headers"), encoding: .utf8)
        #expect(headers.contains("Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'"))
        #expect(headers.contains("/r/*\n  X-Robots-Tag: noindex\n"))
        let theme = files(publicDir.appendingPathComponent("assets/theme"))
        let hashed = theme.filter { $0.range(of: #"^[a-z]+\.[0-9a-f]{8}\.(css|js)$"#, options: .regularExpression) != nil }
        #expect(hashed.count == 3, "\(theme)")
        for name in hashed {
            #expect(headers.contains("/assets/theme/\(name)\n  Cache-Control: public, max-age=31536000, immutable\n"))
        }
        let landing = try String(contentsOf: publicDir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!landing.contains("<style"), "an inline style would break style-src 'self'")
        for name in hashed where !name.hasPrefix("split") || landing.contains("split.") {
            #expect(landing.contains("assets/theme/\(name)"), "\(name) is not linked from the landing page")
        }
        #expect(try String(contentsOf: publicDir.appendingPathComponent("_redirects"), encoding: .utf8).contains("/r/*"))
    }

    @Test("s3: kit/deploy/s3-sync.sh is valid shell with a content type and cache header on every upload; nothing in public/")
    func s3() throws {
        let project = try CLI.sampleProject(prefix: "refkit-deploy")
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try build(project, ["--target", "s3"]).status == 0)
        let script = project.appendingPathComponent("kit/deploy/s3-sync.sh")
        let text = try String(contentsOf: script, encoding: .utf8)
        #expect(try CLI.run("sh", ["-n", script.path]).status == 0)
        let syncs = text.split(separator: "\n").filter { $0.hasPrefix("aws s3 sync") }
        #expect(syncs.count >= 6)
        for line in syncs where line.contains("--content-type") {
            #expect(line.contains("--cache-control"), "\(line)")
        }
        #expect(text.contains("--include '*.html' --content-type 'text/html; charset=utf-8'"))
        #expect(text.contains("immutable"))
        #expect(files(project.appendingPathComponent("public")).isDisjoint(with: ["s3-sync.sh", "_headers", "nginx.conf"]))
    }

    @Test("an unknown --target is a usage error that lists the hosts")
    func unknownTarget() throws {
        let project = try CLI.sampleProject(prefix: "refkit-deploy")
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try build(project, ["--target", "vercel"])
        #expect(result.status == 2)
        #expect(result.output.contains("netlify") && result.output.contains("github-pages"), "\(result.output)")
    }

    @Test("serve: builds and serves on 127.0.0.1, shows a build error on the page and keeps serving, then recovers")
    func serve() throws {
        let project = try CLI.sampleProject(prefix: "refkit-deploy")
        defer { try? FileManager.default.removeItem(at: project) }
        let port = try Tools.freePort()
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--root", project.path, "--port", String(port), "--now", "2026-06-01"]
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
        let log = project.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer {
            // SIGTERM stops serve; SIGKILL only if it did not, so a regression fails rather than hangs.
            process.terminate()
            for _ in 0..<40 where process.isRunning { Thread.sleep(forTimeInterval: 0.25) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)/"
        /// Polls until the page satisfies the condition; bounded, so a broken server fails the test.
        func waitFor(_ path: String, _ condition: ((status: Int, body: String)) -> Bool) throws -> (status: Int, body: String) {
            var last = (status: 0, body: "")
            for _ in 0..<120 {
                last = try Tools.fetch(base + path)
                if condition(last) { return last }
                Thread.sleep(forTimeInterval: 0.5)
            }
            return last
        }

        let home = try waitFor("", { $0.status == 200 })
        #expect(home.status == 200 && home.body.contains("<h1"), "serve log: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        // serve built its preview into a private folder (never public/): the same privacy scan
        // as after `refkit build`, on the site it serves.
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let folder = try #require(output.range(of: "built in ").flatMap { start in
            output[start.upperBound...].range(of: ".\n").map { String(output[start.upperBound..<$0.lowerBound]) }
        }, "serve log: \(output)")
        try CLI.scanBuild(arguments: ["build", "--root", project.path, "--out", folder + "/site"], in: nil)
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public").path))
        let missing = try Tools.fetch(base + "no-such-page/")
        #expect(missing.status == 404 && missing.body.contains("<h1"))

        let siteYAML = project.appendingPathComponent("content/site.yaml")
        let good = try String(contentsOf: siteYAML, encoding: .utf8)
        try good.replacingOccurrences(of: "\nname:", with: "\nnmae:").write(to: siteYAML, atomically: true, encoding: .utf8)
        let broken = try waitFor("", { $0.body.contains("refkit-build-errors") })
        #expect(broken.status == 200 && broken.body.contains("nmae"), "the page does not show the build error")
        #expect(try String(contentsOf: log, encoding: .utf8).contains("content/site.yaml"), "the terminal does not show the build error")

        try good.write(to: siteYAML, atomically: true, encoding: .utf8)
        let fixed = try waitFor("", { $0.status == 200 && !$0.body.contains("refkit-build-errors") })
        #expect(!fixed.body.contains("refkit-build-errors"), "the error stayed after the fix")
        #expect(process.isRunning)
        process.terminate()
        for _ in 0..<40 where process.isRunning { Thread.sleep(forTimeInterval: 0.25) }
        #expect(!process.isRunning, "refkit serve did not stop on SIGTERM")
    }
}
