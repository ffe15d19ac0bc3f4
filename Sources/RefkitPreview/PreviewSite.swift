import FlyingFox
import Foundation
import RefkitModel

/// FlyingFox's handler for the preview: answers from the private site folder as a static host
/// would: `index.html` for a folder URL, one redirect adding the final slash to a folder URL
/// without it, `404.html` with status 404 for anything else, GET and HEAD only. When the latest
/// build failed, every page carries its errors in a banner over the last good build.
///
/// Every HTML page also gets the live-reload script and stylesheet, which `/_refkit/` serves
/// from this process (`LiveReloadAssets`), with the event stream they listen to; and every
/// answer the security headers `--target netlify` would publish (`SecurityHeaders`, set by
/// `setSecurityHeaders` after each build), so that a template that breaks under the deployed
/// CSP breaks in the preview too.
///
/// It reads `request.target`, the target as sent: FlyingFox's `request.path` drops the final
/// slash, so a folder URL would redirect to itself forever.
public final class PreviewSite: HTTPHandler, @unchecked Sendable {
    private let folder: SiteFolder
    private let port: Int
    private let bind: String
    /// The builds, as open pages are told of them.
    public let live: LiveReload
    /// The security headers for every answer, and those added for personal pages: set by the
    /// rebuilding thread, read by request tasks.
    private let headers = Locked((common: [(String, String)](), personal: [(String, String)]()))

    /// The site in `folder`, served at `bind`:`port` (an IP address; 127.0.0.1 by default).
    public init(folder: URL, port: Int, bind: String = "127.0.0.1", live: LiveReload = LiveReload()) {
        self.folder = SiteFolder(path: folder.path)
        self.port = port
        self.bind = bind
        self.live = live
    }

    /// The headers for every answer, and those added for personal pages (under `/r/`), as the
    /// Netlify target writes them in `_headers`.
    public func setSecurityHeaders(common: [(name: String, value: String)], personal: [(name: String, value: String)]) {
        headers.withLock { $0 = (common.map { ($0.name, $0.value) }, personal.map { ($0.name, $0.value) }) }
    }

    var currentErrors: [String] { live.current.errors }

    /// The headers every answer carries, for the front door's own answers.
    var commonHeaders: [(String, String)] { headers.withLock { $0.common } }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let answer = respond(to: request)
        var headers = HTTPHeaders()
        let (common, personal) = self.headers.current
        for (name, value) in common { headers[HTTPHeader(name)] = value }
        if request.target.rawValue.hasPrefix("/r/") {
            for (name, value) in personal { headers[HTTPHeader(name)] = value }
        }
        for (name, value) in answer.headers { headers[name] = value }
        headers[.contentType] = answer.contentType
        // The preview changes at every save; never let the browser show an old build.
        headers[.cacheControl] = "no-store"
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        // The front door relays one request per connection.
        headers[.connection] = "close"
        if answer.events, request.method == .GET {
            return HTTPResponse(statusCode: .ok, headers: headers, body: HTTPBodySequence(from: LiveEventStream(live: live)))
        }
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
        /// `/_refkit/events`: the body is the live event stream.
        var events = false

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
        if let host, !Self.isLocal(host, port: port, bind: bind) {
            return .text(.misdirectedRequest, "Misdirected Request: this preview answers to 127.0.0.1:\(port) and localhost:\(port) only")
        }
        if let own = reserved(request.target.path(percentEncoded: true)) { return own }
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

    /// The preview's own files under `/_refkit/`; nil for any other path.
    private func reserved(_ path: String) -> Answer? {
        guard path.hasPrefix(LiveReloadAssets.prefix) || path == String(LiveReloadAssets.prefix.dropLast()) else { return nil }
        switch path {
        case LiveReloadAssets.scriptPath:
            return Answer(status: .ok, contentType: "text/javascript; charset=utf-8", body: Array(LiveReloadAssets.script.utf8))
        case LiveReloadAssets.stylePath:
            return Answer(status: .ok, contentType: "text/css; charset=utf-8", body: Array(LiveReloadAssets.style.utf8))
        case LiveReloadAssets.eventsPath:
            return Answer(status: .ok, contentType: "text/event-stream; charset=utf-8", body: [], events: true)
        default:
            return .text(.notFound)
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
        let state = live.current
        let body = type.hasPrefix("text/html") ? BuildErrorBanner(errors: state.errors, generation: state.generation).inserted(into: bytes) : bytes
        return Answer(status: status, contentType: type, body: body)
    }

    /// Whether a Host header names this preview. This computer's names always; with `--bind`
    /// to an address, that address; with a wildcard (`0.0.0.0`, `::`), any IP address, since
    /// the other computers use this one's. Never another name: a page elsewhere whose own name
    /// resolves here (DNS rebinding) gets nothing.
    static func isLocal(_ host: String, port: Int, bind: String = "127.0.0.1") -> Bool {
        let lowered = host.lowercased()
        var names = ["127.0.0.1", "localhost", "[::1]"]
        let bound = bind.contains(":") ? "[" + bind.lowercased() + "]" : bind
        if bind == "0.0.0.0" || bind == "::" {
            let name = lowered.hasSuffix(":\(port)") ? String(lowered.dropLast(":\(port)".count)) : lowered
            if BindAddress.isIPLiteral(name) { return true }
        } else {
            names.append(bound)
        }
        return names.contains { lowered == $0 || lowered == "\($0):\(port)" }
    }
}
