import Foundation
import RefkitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `refkit serve` through the real binary on the sample: the pages it serves, how it answers
/// hostile requests, and that previewing never changes the project's public/ or kit/.
@Suite("refkit serve", .serialized)
struct ServePreviewTests {
    /// One `refkit serve` on a free port, its output in a log; stopped with SIGTERM.
    final class Serve {
        let process = Process()
        let port: Int
        let log: URL

        init(project: URL) throws {
            port = try Self.freePort()
            log = project.deletingLastPathComponent().appendingPathComponent(project.lastPathComponent + "-serve.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.executableURL = CLI.binary
            process.arguments = ["serve", "--root", project.path, "--port", String(port), "--now", "2026-06-01"]
            process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// The private folder the preview is built in, from serve's first line.
        var folder: URL? {
            guard let range = output.range(of: "built in "), let end = output[range.upperBound...].range(of: ".\n") else { return nil }
            return URL(fileURLWithPath: String(output[range.upperBound..<end.lowerBound]))
        }

        /// SIGTERM, then SIGKILL if it did not stop (bounded, so a regression fails, not hangs).
        func stop() {
            guard process.isRunning else { return }
            process.terminate()
            for _ in 0..<40 where process.isRunning { Thread.sleep(forTimeInterval: 0.25) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }

        deinit { stop() }

        /// One request over a raw socket, never following redirects: the status, the headers
        /// (names in lower case) and every byte after the head. `longPath` asks for a path of
        /// that many bytes, `longHeader` adds a header that long; the answer to such a refused
        /// request may be a reset instead (status 0).
        func request(_ path: String = "/", method: String = "GET", host: String? = nil, longPath: Int = 0, longHeader: Int = 0) throws -> Response {
            let script = """
            import json, socket, sys
            port, method, path, host = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
            long_path, long_header = int(sys.argv[5]), int(sys.argv[6])
            if long_path:
                path = "/" + "a" * long_path
            head = f"{method} {path} HTTP/1.1\\r\\nHost: {host or f'127.0.0.1:{port}'}\\r\\n"
            if long_header:
                head += "X-Long: " + "b" * long_header + "\\r\\n"
            head += "\\r\\n"
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            data = b""
            try:
                s.sendall(head.encode("latin-1"))
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError as e:
                if not data:
                    print(json.dumps({"status": 0, "headers": {}, "body": str(e)})); sys.exit(0)
            top, _, body = data.partition(b"\\r\\n\\r\\n")
            lines = top.decode("latin-1").split("\\r\\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
            print(json.dumps({"status": int(lines[0].split(" ")[1]), "headers": headers, "body": body.decode("utf-8", "replace")}))
            """
            let result = try CLI.run("python3", ["-c", script, String(port), method, path, host ?? "", String(longPath), String(longHeader)])
            struct Raw: Decodable { var status: Int; var headers: [String: String]; var body: String }
            let raw = try JSONDecoder().decode(Raw.self, from: Data(result.stdout.utf8))
            return Response(status: raw.status, headers: raw.headers, body: raw.body)
        }

        /// Polls until the answer satisfies `condition`, for at most 90 s.
        func waitFor(_ path: String, _ condition: (Response) -> Bool) throws -> Response {
            var last = Response(status: 0, headers: [:], body: "")
            let deadline = Date(timeIntervalSinceNow: 90)
            while Date() < deadline {
                last = (try? request(path)) ?? last
                if condition(last) { return last }
                Thread.sleep(forTimeInterval: 0.25)
            }
            return last
        }

        static func freePort() throws -> Int {
            let result = try CLI.run("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
            return try #require(Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// The sample, built once for real: public/ and kit/ with the ledger, secret and drafts.
    static func builtSample() throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-serve")
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01", "-q"])
        #expect(result.status == 0, "\(result.output)")
        return project
    }

    /// Every entry under `folder`, hidden ones included, links not followed, with its bytes and
    /// modification time.
    static func tree(_ folder: URL) -> [String: String] {
        var out: [String: String] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder.path) ?? .init() {
            let full = folder.appendingPathComponent(path).path
            let attributes = (try? FileManager.default.attributesOfItem(atPath: full)) ?? [:]
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            let bytes = attributes[.type] as? FileAttributeType == .typeRegular ? (FileManager.default.contents(atPath: full) ?? Data()) : Data()
            out[path] = "\(attributes[.type] ?? "?") \(time) \(bytes.base64EncodedString())"
        }
        return out
    }

    @Test("serves a language page and a personal page, adds a folder's slash with one redirect, answers HEAD without a body")
    func pages() throws {
        let project = try Self.builtSample()
        defer { try? FileManager.default.removeItem(at: project) }
        let code = try #require(try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/r").path).sorted().first)
        let serve = try Serve(project: project)
        defer { serve.stop() }
        let home = try serve.waitFor("/") { $0.status == 200 }
        #expect(home.status == 200 && home.body.contains("<h1"), "\(serve.output)")

        let english = try serve.request("/en/")
        #expect(english.status == 200 && english.body.contains("lang=\"en\""), "\(english.status) \(english.headers)")
        #expect(english.headers["content-type"] == "text/html; charset=utf-8")
        let personal = try serve.request("/r/\(code)/")
        #expect(personal.status == 200 && personal.body.contains("noindex"), "\(personal.status)")

        // A folder URL without its slash: one redirect to the slashed URL, which answers 200.
        for (path, location) in [("/en", "/en/"), ("/r/\(code)", "/r/\(code)/"), ("/en?ref=K7QM", "/en/?ref=K7QM")] {
            let moved = try serve.request(path)
            #expect(moved.status == 301 && moved.headers["location"] == location, "\(path): \(moved.status) \(moved.headers)")
            #expect(try serve.request(location).status == 200, "\(location)")
        }

        // HEAD: GET's headers and length, and not one byte of body.
        let head = try serve.request("/en/", method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty, "HEAD sent \(head.body.utf8.count) bytes of body")
        #expect(head.headers["content-length"] == String(english.body.utf8.count))

        let css = try #require(try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/assets/theme").path).first { $0.hasSuffix(".css") })
        #expect(try serve.request("/assets/theme/\(css)").headers["content-type"] == "text/css; charset=utf-8")
        let missing = try serve.request("/no-such-page/")
        #expect(missing.status == 404 && missing.body.contains("<h1"))
        #expect(try serve.request("/en/", method: "POST").status == 405)
        #expect(try serve.request("/en/", host: "evil.example:\(serve.port)").status == 421)
        for path in ["/../kit/secret", "/%2e%2e/kit/secret", "/.refkit-preview/", "//evil.example/", "/a%00b"] {
            let answer = try serve.request(path)
            #expect(answer.status == 404 || answer.status == 400, "\(path): \(answer.status) \(answer.headers)")
        }
    }

    @Test("a huge request line is refused at once and the server goes on answering; a link in the preview's site is never followed")
    func hostileRequests() throws {
        let project = try Self.builtSample()
        defer { try? FileManager.default.removeItem(at: project) }
        let serve = try Serve(project: project)
        defer { serve.stop() }
        #expect(try serve.waitFor("/") { $0.status == 200 }.status == 200, "\(serve.output)")

        for size in [256 * 1024, 10 * 1024 * 1024] {
            let huge = try serve.request(longPath: size)
            #expect(huge.status == 414 || huge.status == 0, "\(size): \(huge.status)")
            #expect(try serve.request("/en/").status == 200, "no answer after a \(size)-byte request line")
        }
        let headers = try serve.request("/en/", longHeader: 64 * 1024)
        #expect(headers.status == 431 || headers.status == 0)
        #expect(try serve.request("/en/").status == 200)

        // Links planted in the served folder: to the kit's secret, to the kit, to the project.
        let site = try #require(serve.folder).appendingPathComponent("site")
        let secret = try String(contentsOf: project.appendingPathComponent("kit/secret"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("secret.txt"), withDestinationURL: project.appendingPathComponent("kit/secret"))
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("kit"), withDestinationURL: project.appendingPathComponent("kit"))
        try FileManager.default.createSymbolicLink(at: site.appendingPathComponent("en/index2.html"), withDestinationURL: site.appendingPathComponent("en/index.html"))
        for path in ["/secret.txt", "/kit/secret", "/kit", "/kit/", "/kit/codes.csv", "/en/index2.html"] {
            let answer = try serve.request(path)
            #expect(answer.status == 404, "\(path): \(answer.status)")
            #expect(!answer.body.contains(secret) && !answer.body.contains("@example"), "\(path) leaked")
        }
    }

    @Test("previewing never changes public/ or kit/ (ledger, secret, drafts, merge.csv): not when starting, not after an edit adds a referrer, not after stopping")
    func outputsUntouched() throws {
        let project = try Self.builtSample()
        defer { try? FileManager.default.removeItem(at: project) }
        let (site, kit) = (Self.tree(project.appendingPathComponent("public")), Self.tree(project.appendingPathComponent("kit")))
        #expect(kit.keys.contains("codes.csv") && kit.keys.contains("secret") && kit.keys.contains("mail/merge.csv"))
        let serve = try Serve(project: project)
        defer { serve.stop() }
        #expect(try serve.waitFor("/") { $0.status == 200 }.status == 200, "\(serve.output)")
        #expect(Self.tree(project.appendingPathComponent("public")) == site)
        #expect(Self.tree(project.appendingPathComponent("kit")) == kit)
        let folder = try #require(serve.folder)
        #expect(folder.path.hasPrefix(project.appendingPathComponent(".refkit-preview").path + "/"))

        // A new referrer while previewing: a code and a page in the preview, nothing in the ledger.
        let csv = project.appendingPathComponent("content/referrers.csv")
        try (String(contentsOf: csv, encoding: .utf8) + "new.friend@example.com,Nova Friend,,en,,\n").write(to: csv, atomically: true, encoding: .utf8)
        let previewLedger = folder.appendingPathComponent("kit/codes.csv")
        var row: Substring?
        let deadline = Date(timeIntervalSinceNow: 90)
        while row == nil, Date() < deadline {
            row = (try? String(contentsOf: previewLedger, encoding: .utf8))?.split(separator: "\n").first { $0.contains("new.friend@example.com") }
            if row == nil { Thread.sleep(forTimeInterval: 0.25) }
        }
        let code = try #require(row?.split(separator: ",")[1].replacingOccurrences(of: "-", with: ""), "\(serve.output)")
        let page = try serve.waitFor("/r/\(code)/") { $0.status == 200 }
        #expect(page.status == 200 && page.body.contains("Nova"))
        #expect(Self.tree(project.appendingPathComponent("public")) == site)
        #expect(Self.tree(project.appendingPathComponent("kit")) == kit)

        serve.stop()
        #expect(!FileManager.default.fileExists(atPath: folder.path), "the preview folder stayed after serve stopped")
        #expect(Self.tree(project.appendingPathComponent("public")) == site)
        #expect(Self.tree(project.appendingPathComponent("kit")) == kit)

        // The next real build issues the code the preview showed.
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-06-01", "-q"]).status == 0)
        let ledger = try String(contentsOf: project.appendingPathComponent("kit/codes.csv"), encoding: .utf8)
        #expect(ledger.contains(String(row ?? "")))
    }

    @Test("serve on a project never built makes neither public/ nor kit/, and says its codes are placeholders")
    func freshProject() throws {
        let project = try CLI.sampleProject(prefix: "refkit-serve")
        defer { try? FileManager.default.removeItem(at: project) }
        let serve = try Serve(project: project)
        defer { serve.stop() }
        #expect(try serve.waitFor("/en/") { $0.status == 200 }.status == 200, "\(serve.output)")
        #expect(serve.output.contains("placeholders"))
        serve.stop()
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: project.path))
        #expect(names.isDisjoint(with: ["public", "kit", ".refkit-preview"]), "\(names)")
    }
}
