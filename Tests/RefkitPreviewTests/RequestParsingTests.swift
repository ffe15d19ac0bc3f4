import Foundation
import Testing
@testable import RefkitPreview

/// The front door's head limits, which keep a hostile request from ever reaching FlyingFox's
/// quadratic parser, and the paths that can never name a file outside the preview's site folder.
@Suite("Preview requests")
struct RequestParsingTests {
    /// The front door's verdict on `text`, fed to it in pieces of `piece` bytes.
    func verdict(_ text: String, piece: Int = 4096) -> RequestHeadReader.Verdict {
        var reader = RequestHeadReader()
        var rest = Array(text.utf8)[...]
        while true {
            let take = min(piece, reader.room)
            let verdict = reader.add(rest.prefix(take))
            rest = rest.dropFirst(take)
            if verdict != .incomplete || rest.isEmpty { return verdict }
        }
    }

    @Test("a head ends at its blank line, in any pieces, and only the head is handed on", arguments: [1, 2, 3, 7, 4096])
    func headEnd(piece: Int) {
        let head = "GET /r/K7QM-4TZ9-X/?ref=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n"
        #expect(verdict(head + "GET /second HTTP/1.1\r\n\r\n", piece: piece) == .complete(end: head.utf8.count))
        #expect(verdict("GET / HTTP/1.0\n\n", piece: piece) == .complete(end: 16))
        #expect(verdict("GET / HTTP/1.1\r\nHost: x\r\n", piece: piece) == .incomplete)
    }

    @Test("heads too long are refused with their status, without reading past the limit", arguments: [
        ("GET /\(String(repeating: "a", count: 300_000)) HTTP/1.1\r\nHost: x\r\n\r\n", RequestHeadReader.Refusal.uriTooLong),
        ("GET /\(String(repeating: "a", count: 10_000_000)) HTTP/1.1\r\nHost: x\r\n\r\n", .uriTooLong),
        ("GET /\(String(repeating: "a", count: 9_000)) HTTP/1.1\r\nHost: x\r\n\r\n", .uriTooLong),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: \(String(repeating: "a", count: 20_000))\r\n\r\n", .headTooLarge),
        ("GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 3_000) + "\r\n", .headTooLarge),
        ("GET / HTTP/1.1\r\nHost: x\r\nCookie: \(String(repeating: "c", count: 9_000))\r\n\r\n", .headTooLarge),
        ("GET / HTTP/1.1\r\nHost: x\r\nCookie: \(String(repeating: "c", count: 9_000))", .headTooLarge),
    ])
    func refused(text: String, refusal: RequestHeadReader.Refusal) {
        var reader = RequestHeadReader()
        var rest = Array(text.utf8)[...]
        var last = RequestHeadReader.Verdict.incomplete
        while last == .incomplete, !rest.isEmpty {
            last = reader.add(rest.prefix(4096))
            rest = rest.dropFirst(4096)
        }
        #expect(last == .refused(refusal))
        #expect(reader.bytes.count <= RequestHeadReader.maxHead)
    }

    @Test("a request line just under the limit is handed on")
    func longestLine() {
        let head = "GET /\(String(repeating: "a", count: RequestHeadReader.maxLine - 20)) HTTP/1.1\r\nHost: x\r\n\r\n"
        #expect(verdict(head, piece: 1000) == .complete(end: head.utf8.count))
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

    @Test("targets with anything but visible ASCII are bad requests", arguments: [
        "/en?a\rLocation:x", "/en?a\nb", "/en b", "/caf\u{E9}", "/\u{202E}", "/a\u{0}b", "/a\u{7F}",
    ])
    func invisible(target: String) {
        #expect(PreviewPath(target: target) == nil)
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
