import Foundation
import RefkitTestSupport
import Testing

/// `refkit serve`'s front door and FlyingFox behind it, through the real binary and raw
/// sockets: the exact bytes of a HEAD answer, heads FlyingFox cannot decode, and clients that
/// stall, none of which may stop the preview answering.
@Suite("refkit serve front door", .serialized)
struct ServeFrontDoorTests {
    /// Sends each of `heads` (Latin-1 text, sent as bytes) on its own connection, after holding
    /// `stalled` other connections open with half a head each; prints each whole answer as
    /// sent, base64-encoded, one a line ("" when the connection was reset).
    static func raw(_ serve: ServePreviewTests.Serve, _ heads: [String], stalled: Int = 0) throws -> [String] {
        let script = """
        import base64, socket, sys
        port, stalled = int(sys.argv[1]), int(sys.argv[2])
        held = []
        for _ in range(stalled):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(b"GET / HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\n")
            held.append(s)
        for head in sys.argv[3:]:
            data = b""
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=10)
                s.sendall(head.encode("latin-1"))
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except OSError:
                pass
            print(base64.b64encode(data).decode())
        """
        let result = try CLI.run("python3", ["-c", script, String(serve.port), String(stalled)] + heads)
        let answers = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map {
            String(decoding: Data(base64Encoded: String($0)) ?? Data(), as: UTF8.self)
        }
        try #require(answers.count == heads.count, "\(result.output)")
        return answers
    }

    @Test("HEAD sends GET's head byte for byte, Content-Length included, and nothing after it")
    func headBytes() throws {
        let project = try ServePreviewTests.builtSample()
        defer { try? FileManager.default.removeItem(at: project) }
        let serve = try ServePreviewTests.Serve(project: project)
        defer { serve.stop() }
        #expect(try serve.waitFor("/") { $0.status == 200 }.status == 200, "\(serve.output)")
        let host = "Host: 127.0.0.1:\(serve.port)\r\n"
        let answers = try Self.raw(serve, ["GET /en/ HTTP/1.1\r\n\(host)\r\n", "HEAD /en/ HTTP/1.1\r\n\(host)\r\n"])
        let (get, head) = (answers[0], answers[1])
        let getHead = try #require(get.range(of: "\r\n\r\n")).upperBound
        #expect(head == String(get[..<getHead]), "HEAD answered \(head.debugDescription)")
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(head.contains("\r\nContent-Length: \(get[getHead...].utf8.count)\r\n"))
        #expect(head.contains("\r\nContent-Type: text/html; charset=utf-8\r\n") && head.contains("\r\nConnection: close\r\n"))
    }

    @Test("heads FlyingFox cannot decode, or that announce a body, are answered 400, and the preview goes on answering", arguments: [
        "GET\r\n\r\n",
        "GET /en/\r\n\r\n",
        "GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\n",
    ])
    func undecodable(head: String) throws {
        let project = try ServePreviewTests.builtSample()
        defer { try? FileManager.default.removeItem(at: project) }
        let serve = try ServePreviewTests.Serve(project: project)
        defer { serve.stop() }
        #expect(try serve.waitFor("/") { $0.status == 200 }.status == 200, "\(serve.output)")
        let answers = try Self.raw(serve, [head, "GET /en/ HTTP/1.1\r\nHost: 127.0.0.1:\(serve.port)\r\n\r\n"])
        #expect(answers[0].hasPrefix("HTTP/1.1 400 "), "\(answers[0].debugDescription)")
        #expect(answers[1].hasPrefix("HTTP/1.1 200 OK\r\n"))
    }

    @Test("the front door's own answers (400, 405 for POST, 414, 431) carry the security headers of every other answer")
    func refusalsCarryHeaders() throws {
        let project = try ServePreviewTests.builtSample()
        defer { try? FileManager.default.removeItem(at: project) }
        let serve = try ServePreviewTests.Serve(project: project)
        defer { serve.stop() }
        let page = try serve.waitFor("/en/") { $0.status == 200 }
        #expect(page.status == 200, "\(serve.output)")
        let host = "Host: 127.0.0.1:\(serve.port)\r\n"
        let answers = try Self.raw(serve, [
            "GET\r\n\r\n",
            "POST /en/ HTTP/1.1\r\n\(host)Content-Length: 5\r\n\r\nhello",
            "GET /\(String(repeating: "a", count: 20_000)) HTTP/1.1\r\n\(host)\r\n",
            "GET /en/ HTTP/1.1\r\n\(host)X-Big: \(String(repeating: "b", count: 7_000))\r\nX-Big2: \(String(repeating: "b", count: 7_000))\r\nX-Big3: \(String(repeating: "b", count: 7_000))\r\n\r\n",
            "GET /en/ HTTP/1.1\r\n\(host)\r\n",
        ])
        let statuses = ["400", "405", "414", "431", "200"]
        let ok = answers[4]
        let csp = try #require(ok.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-security-policy:") }, "\(ok)")
        for (answer, status) in zip(answers, statuses) {
            let head = String(answer.prefix { $0 != "\u{0}" }.components(separatedBy: "\r\n\r\n")[0])
            #expect(head.hasPrefix("HTTP/1.1 \(status) "), "\(head.debugDescription)")
            #expect(head.contains("\r\n" + csp + "\r\n"), "no CSP on the \(status): \(head.debugDescription)")
            #expect(head.contains("\r\nX-Content-Type-Options: nosniff\r\n"), "no nosniff on the \(status): \(head.debugDescription)")
        }
        #expect(answers[1].contains("\r\nAllow: GET, HEAD\r\n"), "\(answers[1].debugDescription)")
    }

    @Test("a project whose path is longer than a Unix socket's 108 bytes is served, and its preview folder removed")
    func deepProject() throws {
        let top = "refkit-serve-deep-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(at: FileManager.default.temporaryDirectory.appendingPathComponent(top)) }
        let project = try CLI.sampleProject(prefix: top + "/" + String(repeating: "a-rather-long-folder-name/", count: 6) + "bakery")
        #expect(project.path.utf8.count > 200)
        let serve = try ServePreviewTests.Serve(project: project)
        defer { serve.stop() }
        let page = try serve.waitFor("/en/") { $0.status == 200 }
        #expect(page.status == 200 && page.body.contains("lang=\"en\""), "\(serve.output)")
        #expect(try serve.request("/en").headers["location"] == "/en/")
        serve.stop()
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent(".refkit-preview").path))
    }

    @Test("a hundred clients that stall mid-head do not keep a browser's request waiting; a 9 KB header line is refused with 431")
    func stalledClients() throws {
        let project = try ServePreviewTests.builtSample()
        defer { try? FileManager.default.removeItem(at: project) }
        let serve = try ServePreviewTests.Serve(project: project)
        defer { serve.stop() }
        #expect(try serve.waitFor("/") { $0.status == 200 }.status == 200, "\(serve.output)")
        let host = "Host: 127.0.0.1:\(serve.port)\r\n"
        let answers = try Self.raw(serve, [
            "GET /en/ HTTP/1.1\r\n\(host)\r\n",
            "GET /en/ HTTP/1.1\r\n\(host)Cookie: \(String(repeating: "c", count: 9 * 1024))\r\n\r\n",
        ], stalled: 100)
        #expect(answers[0].hasPrefix("HTTP/1.1 200 OK\r\n"), "\(answers[0].prefix(100).debugDescription)")
        #expect(answers[1].isEmpty || answers[1].hasPrefix("HTTP/1.1 431 "), "\(answers[1].prefix(100).debugDescription)")
    }
}
