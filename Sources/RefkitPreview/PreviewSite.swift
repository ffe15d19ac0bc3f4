import FlyingFox
import Foundation

/// FlyingFox's handler for the preview: answers from the private site folder as a static host
/// would: `index.html` for a folder URL, one redirect adding the final slash to a folder URL
/// without it, `404.html` with status 404 for anything else, GET and HEAD only. When the latest
/// build failed, every page carries its errors in a banner over the last good build.
///
/// It reads `request.target`, the target as sent: FlyingFox's `request.path` drops the final
/// slash, so a folder URL would redirect to itself forever.
public final class PreviewSite: HTTPHandler, @unchecked Sendable {
    private let folder: SiteFolder
    private let port: Int
    // Guarded by `lock`: set by the rebuilding thread, read by request tasks.
    private var errors: [String] = []
    private let lock = NSLock()

    /// The site in `folder`, served at 127.0.0.1:`port`.
    public init(folder: URL, port: Int) {
        self.folder = SiteFolder(path: folder.path)
        self.port = port
    }

    /// The latest build's errors; empty when it succeeded.
    public func setErrors(_ errors: [String]) {
        lock.withLock { self.errors = errors }
    }

    var currentErrors: [String] { lock.withLock { errors } }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let answer = respond(to: request)
        var headers = answer.headers
        headers[.contentType] = answer.contentType
        // The preview changes at every save; never let the browser show an old build.
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        // The front door relays one request per connection.
        headers[.connection] = "close"
        guard request.method == .HEAD else {
            return HTTPResponse(statusCode: answer.status, headers: headers, body: Data(answer.body))
        }
        // FlyingFox sends whatever body it is given, HEAD or not: GET's length, and no body
        // (RFC 9110 §9.3.2). A Content-Length set here is sent as it is.
        headers[.contentLength] = String(answer.body.count)
        return HTTPResponse(statusCode: answer.status, headers: headers)
    }

    /// An answer before FlyingFox's framing: status, type, extra headers and the GET body.
    struct Answer {
        var status: HTTPStatusCode
        var contentType: String
        var body: [UInt8]
        var headers: HTTPHeaders = [:]

        static func text(_ status: HTTPStatusCode, _ text: String? = nil, headers: HTTPHeaders = [:]) -> Answer {
            Answer(status: status, contentType: "text/plain; charset=utf-8", body: Array(((text ?? status.phrase) + "\n").utf8), headers: headers)
        }
    }

    func respond(to request: HTTPRequest) -> Answer {
        guard request.method == .GET || request.method == .HEAD else {
            return .text(.methodNotAllowed, headers: [HTTPHeader("Allow"): "GET, HEAD"])
        }
        guard request.version == .http11 || request.version == HTTPVersion("HTTP/1.0") else { return .text(.badRequest) }
        // HTTP/1.1 requires Host (RFC 9112 §3.2). Only this computer's names: a page elsewhere
        // whose own name resolves to 127.0.0.1 (DNS rebinding) gets nothing from the preview.
        let host = request.headers[.host]
        if host == nil, request.version == .http11 { return .text(.badRequest) }
        if let host, !Self.isLocal(host, port: port) {
            return .text(.misdirectedRequest, "Misdirected Request: this preview answers to 127.0.0.1:\(port) and localhost:\(port) only")
        }
        guard let url = PreviewPath(target: request.target.rawValue) else { return .text(.badRequest) }
        guard let segments = url.segments else { return notFound() }
        switch folder.lookup(segments, folderForm: url.folderForm) {
        case let .file(name, bytes):
            return page(.ok, name, bytes)
        case .folder:
            // The URL as sent plus the slash. Every segment passed `isServable` (no control
            // character, so the header cannot be split) and none is empty (so it cannot start
            // with `//`, another site).
            return .text(.movedPermanently, "Moved", headers: [.location: url.rawPath + "/" + (url.query.map { "?" + $0 } ?? "")])
        case .missing:
            return notFound()
        case .unavailable:
            return .text(.serviceUnavailable, "The preview is being built; reload in a moment.", headers: [HTTPHeader("Retry-After"): "1"])
        }
    }

    private func notFound() -> Answer {
        if case let .file(name, bytes) = folder.lookup([Array("404.html".utf8)], folderForm: false) {
            return page(.notFound, name, bytes)
        }
        return .text(.notFound)
    }

    private func page(_ status: HTTPStatusCode, _ name: String, _ bytes: [UInt8]) -> Answer {
        let type = ContentType.of(name)
        let body = type.hasPrefix("text/html") ? BuildErrorBanner(errors: currentErrors).inserted(into: bytes) : bytes
        return Answer(status: status, contentType: type, body: body)
    }

    static func isLocal(_ host: String, port: Int) -> Bool {
        let lowered = host.lowercased()
        return ["127.0.0.1", "localhost"].contains { lowered == $0 || lowered == "\($0):\(port)" }
    }
}
