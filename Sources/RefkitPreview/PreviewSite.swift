import Foundation

/// Answers the preview's requests from its private site folder, as a static host would:
/// `index.html` for a folder URL, one redirect adding the final slash to a folder URL without
/// it, `404.html` with status 404 for anything else, GET and HEAD only. When the latest build
/// failed, every page carries its errors in a banner over the last good build.
public final class PreviewSite: @unchecked Sendable {
    private let folder: SiteFolder
    // Guarded by `lock`: set by the rebuilding thread, read by request threads.
    private var errors: [String] = []
    private let lock = NSLock()

    public init(folder: URL) {
        self.folder = SiteFolder(path: folder.path)
    }

    /// The latest build's errors; empty when it succeeded.
    public func setErrors(_ errors: [String]) {
        lock.withLock { self.errors = errors }
    }

    var currentErrors: [String] { lock.withLock { errors } }

    /// The answer to a request head, or to the problem that made it unreadable.
    public func respond(to request: Result<RequestHead, RequestHead.Problem>, port: Int) -> PreviewResponse {
        let head: RequestHead
        switch request {
        case let .success(parsed): head = parsed
        case .failure(.targetTooLong): return .text(414, "URI Too Long")
        case .failure(.headTooLarge): return .text(431, "Request Header Fields Too Large")
        case .failure(.malformed): return .text(400, "Bad Request")
        }
        guard head.method == "GET" || head.method == "HEAD" else {
            return .text(405, "Method Not Allowed", headers: [("Allow", "GET, HEAD")])
        }
        // Only this computer's names: a page elsewhere whose own name resolves to 127.0.0.1
        // (DNS rebinding) gets nothing from the preview.
        if let host = head.host, !Self.isLocal(host, port: port) {
            return .text(421, "Misdirected Request: this preview answers to 127.0.0.1:\(port) and localhost:\(port) only")
        }
        guard let url = PreviewPath(target: head.target) else { return .text(400, "Bad Request") }
        guard let segments = url.segments else { return notFound() }
        switch folder.lookup(segments, folderForm: url.folderForm) {
        case let .file(name, bytes):
            return page(200, name, bytes)
        case .folder:
            // The URL as sent plus the slash: a path of visible ASCII with no empty segment,
            // so it can neither break the header nor start with `//` (another site).
            return PreviewResponse(status: 301, contentType: "text/plain; charset=utf-8", body: Array("Moved\n".utf8),
                                   headers: [("Location", url.rawPath + "/" + (url.query.map { "?" + $0 } ?? ""))])
        case .missing:
            return notFound()
        case .unavailable:
            return .text(503, "The preview is being built; reload in a moment.", headers: [("Retry-After", "1")])
        }
    }

    private func notFound() -> PreviewResponse {
        if case let .file(name, bytes) = folder.lookup([Array("404.html".utf8)], folderForm: false) {
            return page(404, name, bytes)
        }
        return .text(404, "Not Found")
    }

    private func page(_ status: Int, _ name: String, _ bytes: [UInt8]) -> PreviewResponse {
        let type = ContentType.of(name)
        let body = type.hasPrefix("text/html") ? BuildErrorBanner(errors: currentErrors).inserted(into: bytes) : bytes
        return PreviewResponse(status: status, contentType: type, body: body)
    }

    static func isLocal(_ host: String, port: Int) -> Bool {
        let lowered = host.lowercased()
        return ["127.0.0.1", "localhost"].contains { lowered == $0 || lowered == "\($0):\(port)" }
    }
}
