/// The head of an HTTP/1.x request (request line and headers), parsed from bytes with hard
/// limits before anything else looks at it.
///
/// The preview server reads at most `maxHead` bytes of head and refuses a longer target or
/// head outright. FlyingFox 0.27.1, which served the preview before, parsed the request line
/// in quadratic time with no limit (a 256 KB line took 40 s, a 10 MB one wedged the server)
/// and dropped the target's final slash, so every folder URL redirected to itself.
public struct RequestHead: Equatable, Sendable {
    /// `GET`, `HEAD`, ...: a token, as sent.
    public var method: String
    /// The request target exactly as sent (origin form: `/path?query`), still percent-encoded.
    public var target: String
    /// `HTTP/1.0` or `HTTP/1.1`.
    public var version: String
    /// The `Host` header's value; nil when there was none.
    public var host: String?

    /// Longer request targets are refused with 414: refkit's longest URL is a personal page's.
    public static let maxTarget = 8 * 1024
    /// Longer heads are refused with 431.
    public static let maxHead = 16 * 1024

    /// Why a head was refused, as the status to answer with.
    public enum Problem: Error, Equatable, Sendable {
        /// 400: not HTTP/1.x, or malformed.
        case malformed
        /// 414: the target is longer than `maxTarget`.
        case targetTooLong
        /// 431: the head is longer than `maxHead`.
        case headTooLarge
    }

    public init(method: String, target: String, version: String, host: String? = nil) {
        self.method = method
        self.target = target
        self.version = version
        self.host = host
    }

    /// Where the head in `bytes` ends (just after its blank line), looking only at bytes from
    /// `start` on (minus the three that may begin the blank line), so that reading a head in
    /// pieces stays linear; nil when it has not ended yet.
    public static func end(in bytes: [UInt8], searchingFrom start: Int = 0) -> Int? {
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var i = max(0, start - 3)
        while i < bytes.count {
            if bytes[i] == lf {
                // "\n\n" or "\n\r\n": a line break followed by an empty line.
                if i + 1 < bytes.count, bytes[i + 1] == lf { return i + 2 }
                if i + 2 < bytes.count, bytes[i + 1] == cr, bytes[i + 2] == lf { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// The problem with a head that has not ended within `maxHead` bytes: a request line that
    /// never ended is a target too long, anything else a head too large.
    public static func overflow(_ bytes: [UInt8]) -> Problem {
        bytes.prefix(maxTarget + 64).contains(UInt8(ascii: "\n")) ? .headTooLarge : .targetTooLong
    }

    /// Parses a complete head (up to `end(in:)`).
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(Problem) -> RequestHead {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { throw .malformed }
        let parts = requestLine.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else { throw .malformed }
        guard target.count <= maxTarget else { throw .targetTooLong }
        guard bytes.count <= maxHead else { throw .headTooLarge }
        // Origin form only, visible ASCII only: no absolute URLs, no `*`, no raw spaces or controls.
        guard target.first == UInt8(ascii: "/"), target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .malformed }
        let versionText = String(decoding: version, as: UTF8.self)
        guard versionText == "HTTP/1.1" || versionText == "HTTP/1.0" else { throw .malformed }

        var host: String?
        for line in lines.dropFirst() {
            // Obsolete line folding and control characters have no place in a preview's requests.
            guard let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t"),
                  line.allSatisfy({ $0 == UInt8(ascii: "\t") || ($0 >= 0x20 && $0 != 0x7F) }),
                  let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(isTokenByte) else { throw .malformed }
            if String(decoding: name, as: UTF8.self).lowercased() == "host" {
                guard host == nil else { throw .malformed }
                let value = line[line.index(after: colon)...].drop { $0 == 0x20 || $0 == 0x09 }
                host = String(decoding: value.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed(), as: UTF8.self)
            }
        }
        // HTTP/1.1 requires Host (RFC 9112 §3.2).
        if versionText == "HTTP/1.1", host == nil { throw .malformed }
        return RequestHead(method: String(decoding: method, as: UTF8.self), target: String(decoding: target, as: UTF8.self),
                           version: versionText, host: host)
    }

    /// RFC 9110's `tchar`.
    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(b)
        }
    }
}
