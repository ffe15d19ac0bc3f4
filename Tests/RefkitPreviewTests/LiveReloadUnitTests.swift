import FlyingFox
import Foundation
import RefkitTestSupport
import Testing
@testable import RefkitPreview

/// The live-reload pieces of `PreviewSite` through its handler: what pages get, the reserved
/// `/_refkit/` paths, the event stream's opening, the security headers and --bind's hosts.
@Suite("Preview live reload")
struct LiveReloadUnitTests {
    func request(_ target: String, host: String = "127.0.0.1:8000") -> HTTPRequest {
        var headers = HTTPHeaders()
        headers[.host] = host
        return HTTPRequest(method: .GET, version: .http11, target: .init(path: target, query: ""), headers: headers,
                           body: HTTPBodySequence(data: Data()))
    }

    static func site() throws -> (URL, PreviewSite) {
        let root = try TemporaryFolder.create("refkit-live")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("r/K7QM"), withIntermediateDirectories: true)
        try Data("<html><head><title>x</title></HEAD><body class=\"a\"><h1>Home</h1></body></html>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("<html><body><h1>Personal</h1></body></html>".utf8).write(to: root.appendingPathComponent("r/K7QM/index.html"))
        return (root, PreviewSite(folder: root, port: 8000))
    }

    @Test("pages get the script and stylesheet by src and href at the end of <head>; a failed build's banner is escaped and has no inline style")
    func injection() async throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        site.live.built(stylesheetsOnly: false)
        var body = String(decoding: try await site.handleRequest(request("/")).bodyData, as: UTF8.self)
        #expect(body.contains("<title>x</title><link rel=\"stylesheet\" href=\"/_refkit/live.css\"><script src=\"/_refkit/live.js?g=1\" defer></script></HEAD>"))
        #expect(!body.contains("refkit-build-errors"))
        site.live.failed(["content/site.yaml:3: <b>\"\u{301} name\r\nX: y"])
        body = String(decoding: try await site.handleRequest(request("/")).bodyData, as: UTF8.self)
        #expect(body.contains("<body class=\"a\"><div role=\"alert\" id=\"refkit-build-errors\"><strong>"))
        #expect(body.contains("&lt;b&gt;&quot;\u{301} name\u{240D}\nX: y"))
        #expect(!body.contains("style="))
        // The page is still the last good build's: its script says so.
        #expect(body.contains("live.js?g=1"))
    }

    @Test("/_refkit/ answers the script, the stylesheet and the event stream, and 404 for anything else")
    func reserved() async throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        let script = try await site.handleRequest(request("/_refkit/live.js"))
        #expect(script.statusCode == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
        #expect(String(decoding: try await script.bodyData, as: UTF8.self).contains("new EventSource(\"/_refkit/events\")"))
        let style = try await site.handleRequest(request("/_refkit/live.css"))
        #expect(style.headers[.contentType] == "text/css; charset=utf-8")
        #expect(try await site.handleRequest(request("/_refkit/other")).statusCode == .notFound)

        site.live.built(stylesheetsOnly: false)
        site.live.built(stylesheetsOnly: true)
        let events = try await site.handleRequest(request("/_refkit/events"))
        #expect(events.headers[.contentType] == "text/event-stream; charset=utf-8")
        guard case let .httpBody(sequence) = events.payload else { Issue.record("no body"); return }
        var iterator = sequence.makeAsyncIterator()
        let first = try await iterator.next().map { String(decoding: $0, as: UTF8.self) } ?? ""
        // Chunked: the chunk's size, then the event.
        #expect(first.contains("retry: 500\ndata: {\"errors\":[],\"full\":1,\"generation\":2}\n\n"), "\(first)")
    }

    @Test("the headers set after a build go on every answer, the personal ones under /r/ only, Cache-Control stays no-store")
    func headers() async throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        site.setSecurityHeaders(common: [("Content-Security-Policy", "default-src 'none'"), ("X-Frame-Options", "DENY")],
                                personal: [("X-Robots-Tag", "noindex")])
        let home = try await site.handleRequest(request("/"))
        #expect(home.headers[HTTPHeader("Content-Security-Policy")] == "default-src 'none'")
        #expect(home.headers[HTTPHeader("X-Frame-Options")] == "DENY" && home.headers[HTTPHeader("X-Robots-Tag")] == nil)
        #expect(home.headers[.cacheControl] == "no-store")
        let personal = try await site.handleRequest(request("/r/K7QM/"))
        #expect(personal.headers[HTTPHeader("X-Robots-Tag")] == "noindex")
        #expect(personal.headers[HTTPHeader("Content-Security-Policy")] == "default-src 'none'")
    }

    @Test("with --bind, the bound address is a host name the preview answers to; with a wildcard any IP address, never another name")
    func hosts() {
        #expect(PreviewSite.isLocal("192.168.1.20:8000", port: 8000, bind: "192.168.1.20"))
        #expect(!PreviewSite.isLocal("192.168.1.21:8000", port: 8000, bind: "192.168.1.20"))
        #expect(PreviewSite.isLocal("10.0.0.7:8000", port: 8000, bind: "0.0.0.0"))
        #expect(PreviewSite.isLocal("[fe80::1]:8000", port: 8000, bind: "::"))
        #expect(!PreviewSite.isLocal("evil.example:8000", port: 8000, bind: "0.0.0.0"))
        #expect(!PreviewSite.isLocal("192.168.1.20:8000", port: 8000))
        #expect(BindAddress.isLoopback("127.0.0.1") && !BindAddress.isLoopback("0.0.0.0") && BindAddress.isLoopback("::1"))
        #expect(!BindAddress.isIPLiteral("my-laptop") && BindAddress.isIPLiteral("[::1]"))
    }

    @Test("a stylesheet-only build keeps the last full generation; a failed build changes the errors only")
    func state() {
        let live = LiveReload()
        live.built(stylesheetsOnly: false)
        live.built(stylesheetsOnly: true)
        #expect(live.current.generation == 2 && live.current.fullGeneration == 1)
        live.failed(["x"])
        #expect(live.current.generation == 2 && live.current.errors == ["x"] && live.current.version == 3)
        live.built(stylesheetsOnly: false)
        #expect(live.current.errors.isEmpty && live.current.fullGeneration == 3)
    }
}
