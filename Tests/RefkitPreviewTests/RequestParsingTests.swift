import Foundation
import Testing
@testable import RefkitPreview

/// The preview server's request parsing and path handling, through the module's API: the
/// limits that keep a hostile request from wedging it, and the paths that can never name a
/// file outside the preview's site folder.
@Suite("Preview requests")
struct RequestParsingTests {
    func head(_ text: String) -> Result<RequestHead, RequestHead.Problem> {
        let bytes = Array(text.utf8)
        guard let end = RequestHead.end(in: bytes) else { return .failure(RequestHead.overflow(bytes)) }
        return Result { () throws(RequestHead.Problem) in try RequestHead.parse(bytes[..<end]) }
    }

    @Test("a folder URL keeps its final slash; the query stays apart")
    func keepsSlash() throws {
        let parsed = try head("GET /r/K7QM-4TZ9-X/?ref=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n").get()
        #expect(parsed.target == "/r/K7QM-4TZ9-X/?ref=1")
        let path = try #require(PreviewPath(target: parsed.target))
        #expect(path.folderForm && path.rawPath == "/r/K7QM-4TZ9-X/" && path.query == "ref=1")
        #expect(path.segments == [Array("r".utf8), Array("K7QM-4TZ9-X".utf8)])
    }

    @Test("heads too long, malformed or not HTTP/1.x are refused with their status", arguments: [
        ("GET /\(String(repeating: "a", count: 300_000)) HTTP/1.1\r\nHost: x\r\n\r\n", RequestHead.Problem.targetTooLong),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "a", count: 20_000))\r\n\r\n", .headTooLarge),
        ("GET /\(String(repeating: "a", count: 9_000)) HTTP/1.1\r\nHost: x\r\n\r\n", .targetTooLong),
        ("GET / HTTP/1.1\r\n\r\n", .malformed),
        ("GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n", .malformed),
        ("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", .malformed),
        ("GET / HTTP/2\r\nHost: x\r\n\r\n", .malformed),
        ("GET /\u{1}x HTTP/1.1\r\nHost: x\r\n\r\n", .malformed),
        ("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", .malformed),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .malformed),
        ("G\u{0}T / HTTP/1.1\r\nHost: x\r\n\r\n", .malformed),
    ])
    func refused(text: String, problem: RequestHead.Problem) {
        #expect(throws: problem) { try head(text).get() }
    }

    @Test("finding the end of a head in pieces looks at each byte a bounded number of times")
    func endInPieces() {
        var buffer: [UInt8] = []
        var found: Int?
        for byte in Array("GET / HTTP/1.0\r\n\r\n".utf8) {
            buffer.append(byte)
            found = RequestHead.end(in: buffer, searchingFrom: buffer.count - 1)
            if found != nil { break }
        }
        #expect(found == buffer.count)
    }

    @Test("paths that could leave the site folder or name a hidden file name none", arguments: [
        "/..", "/../kit/secret", "/%2e%2e/kit/secret", "/a/%2F..%2Fsecret", "/.refkit/manifest.tsv", "/a//b", "//evil.example",
        "/%00", "/a%5Cb", "/r/%0D%0ASet-Cookie:x", "/.", "/./index.html",
    ])
    func unservable(target: String) throws {
        let path = try #require(PreviewPath(target: target))
        #expect(path.segments == nil, "\(target)")
    }

    @Test("broken percent escapes are bad requests")
    func brokenEscapes() {
        #expect(PreviewPath(target: "/a%2") == nil)
        #expect(PreviewPath(target: "/a%zz") == nil)
        #expect(PreviewPath(target: "no-slash") == nil)
    }

    @Test("percent-encoded names decode by bytes")
    func decodesBytes() throws {
        let path = try #require(PreviewPath(target: "/%E3%81%82/caf%C3%A9.html"))
        #expect(path.segments == [[0xE3, 0x81, 0x82], Array("café.html".utf8)])
        #expect(!path.folderForm)
    }

    @Test("the build-error banner escapes by scalar and shows control characters")
    func banner() {
        let page = Array("<html><BODY class=\"x\"><h1>Hi</h1></body></html>".utf8)
        let out = String(decoding: BuildErrorBanner(errors: ["a\"\u{301}<b>\u{1B}]0;title\u{7}"]).inserted(into: page), as: UTF8.self)
        #expect(out.hasPrefix("<html><BODY class=\"x\"><div role=\"alert\""))
        #expect(out.contains("a&quot;\u{301}&lt;b&gt;\u{241B}]0;title\u{2407}"))
        #expect(!out.contains("\u{1B}"))
    }

    @Test("only this computer's host names are answered")
    func hosts() {
        #expect(PreviewSite.isLocal("127.0.0.1:8000", port: 8000))
        #expect(PreviewSite.isLocal("LOCALHOST:8000", port: 8000))
        #expect(!PreviewSite.isLocal("evil.example:8000", port: 8000))
        #expect(!PreviewSite.isLocal("127.0.0.1:9000", port: 8000))
    }
}
