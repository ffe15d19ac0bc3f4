import FlyingFox
import Foundation
import RefkitTestSupport
import Testing
@testable import RefkitPreview

/// `PreviewSite` as FlyingFox's handler, given the requests FlyingFox decodes: the target as
/// sent (final slash included), HEAD without a body, and the requests a preview refuses.
@Suite("Preview site handler")
struct PreviewSiteTests {
    /// A site folder with a home page, a language folder and a 404 page.
    static func site() throws -> (URL, PreviewSite) {
        let root = try TemporaryFolder.create("refkit-preview-site")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("en"), withIntermediateDirectories: true)
        try Data("<html><body><h1>Home</h1></body></html>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("<html lang=\"en\"><body><h1>English</h1></body></html>".utf8).write(to: root.appendingPathComponent("en/index.html"))
        try Data("<html><body><h1>Not here</h1></body></html>".utf8).write(to: root.appendingPathComponent("404.html"))
        return (root, PreviewSite(folder: root, port: 8000))
    }

    func request(_ target: String, method: HTTPMethod = .GET, version: HTTPVersion = .http11,
                 host: String? = "127.0.0.1:8000") -> HTTPRequest {
        let cut = target.firstIndex(of: "?")
        var headers = HTTPHeaders()
        if let host { headers[.host] = host }
        return HTTPRequest(method: method, version: version,
                           target: .init(path: String(target[..<(cut ?? target.endIndex)]), query: cut.map { String(target[target.index(after: $0)...]) } ?? ""),
                           headers: headers, body: HTTPBodySequence(data: Data()))
    }

    @Test("a folder URL with its slash is its index page; without it, one redirect to the slashed URL, query kept")
    func folders() async throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        let english = try await site.handleRequest(request("/en/"))
        #expect(english.statusCode == .ok)
        #expect(String(decoding: try await english.bodyData, as: UTF8.self).contains("English"))
        for (target, location) in [("/en", "/en/"), ("/en?ref=K7QM", "/en/?ref=K7QM")] {
            let moved = try await site.handleRequest(request(target))
            #expect(moved.statusCode == .movedPermanently && moved.headers[.location] == location, "\(target)")
        }
        let missing = try await site.handleRequest(request("/nowhere/"))
        #expect(missing.statusCode == .notFound)
        #expect(String(decoding: try await missing.bodyData, as: UTF8.self).contains("Not here"))
    }

    @Test("HEAD has GET's headers and length, and an empty body for FlyingFox to send")
    func head() async throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        let get = try await site.handleRequest(request("/en/"))
        let head = try await site.handleRequest(request("/en/", method: .HEAD))
        #expect(head.statusCode == .ok && head.headers[.contentType] == get.headers[.contentType])
        #expect(try await head.bodyData.isEmpty)
        #expect(head.headers[.contentLength] == String(try await get.bodyData.count))
    }

    @Test("other methods, other versions, a missing or foreign Host and absolute targets are refused", arguments: [
        ("/en/", HTTPMethod.POST, HTTPVersion.http11, "127.0.0.1:8000" as String?, 405),
        ("/en/", .GET, HTTPVersion("HTTP/2"), "127.0.0.1:8000", 400),
        ("/en/", .GET, .http11, nil, 400),
        ("/en/", .GET, HTTPVersion("HTTP/1.0"), nil, 200),
        ("/en/", .GET, .http11, "evil.example:8000", 421),
        ("/en/", .GET, .http11, "127.0.0.1:9000", 421),
        ("http://evil.example/", .GET, .http11, "127.0.0.1:8000", 400),
        ("/en?a\rLocation:x", .GET, .http11, "127.0.0.1:8000", 400),
    ])
    func refused(target: String, method: HTTPMethod, version: HTTPVersion, host: String?, status: Int) async throws {
        let (root, site) = try Self.site()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try await site.handleRequest(request(target, method: method, version: version, host: host)).statusCode.code == status)
    }
}
