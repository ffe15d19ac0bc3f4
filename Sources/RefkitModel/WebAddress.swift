import Foundation

/// An absolute http(s) address, split by its bytes and never percent-decoded.
///
/// Parts of `base_url` and `form.action` land in places that are not HTML: a host in an nginx
/// `server_name` and a CSP header, the site's path as the 404 page's root. Foundation's
/// `URL.host` and `URL.path` decode `%0A`, `%3B` and `%2F`, which turns
/// `https://a.example%3B%20script-src%20*/` into a host with a `;` that adds a CSP directive
/// and `https://x.example/%2F%2Fevil.example/` into the path `///evil.example`, a link to
/// another site. So the address is read here with a grammar small enough to be safe in every
/// one of those places: an ASCII host name or IP literal, an optional port, and a path and
/// query of RFC 3986 characters kept exactly as written (percent-encoded).
public struct WebAddress: Hashable, Sendable {
    /// `http` or `https`, lower-cased.
    public let scheme: String
    /// Letters, digits, `-` and `.` (lower-cased), or an IPv6 literal in brackets: nothing a
    /// config line, a header or a shell could read as syntax.
    public let host: String
    public let port: Int?
    /// As written, percent-encoding kept; starts with `/` (an empty path is `/`).
    public let path: String
    /// After `?`, as written; nil without one.
    public let query: String?

    /// `https://forms.example.com:8443`: what a CSP source or an origin check names.
    public var origin: String { "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") }

    /// Why a text is not a `WebAddress`, as a message and a fix for a diagnostic.
    public struct Problem: Error, Hashable, Sendable {
        public let message: String
        public let fix: String
    }

    /// What an address may carry besides scheme, host, port and path.
    public enum Kind: Sendable {
        /// A folder the site is published at (`base_url`): no query, no fragment, and a path
        /// of plain folder names (no empty, `.` or `..` segment, no encoded `/`, `\` or
        /// control character, which no static host can serve and browsers resolve elsewhere).
        case siteFolder
        /// An address a form posts to (`form.action`): a query is allowed.
        case endpoint
    }

    public init?(_ text: String, kind: Kind = .endpoint) {
        guard case let .success(address) = Self.parse(text, kind: kind) else { return nil }
        self = address
    }

    public static func parse(_ text: String, kind: Kind) -> Result<WebAddress, Problem> {
        let example = kind == .siteFolder ? "https://refer.example.com/" : "https://forms.example.com/f/abc"
        func problem(_ message: String, _ fix: String) -> Result<WebAddress, Problem> {
            .failure(Problem(message: message, fix: fix))
        }
        let bytes = Array(text.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
              let scheme = String(bytes: bytes[..<colon], encoding: .utf8)?.lowercased(), scheme == "http" || scheme == "https",
              bytes[colon...].starts(with: Array("://".utf8)) else {
            return problem("is not an absolute http(s) address", "write it as \(example)")
        }
        let authorityStart = colon + 3
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        let authority = bytes[authorityStart..<authorityEnd]
        if authority.contains(UInt8(ascii: "@")) {
            return problem("carries a user name or password (`@` before the host)", "remove everything between :// and @; write it as \(example)")
        }
        // Host and port: the port is after the last `:` that is not inside an IPv6 literal.
        var hostBytes = authority
        var port: Int?
        let closeBracket = authority.lastIndex(of: UInt8(ascii: "]"))
        if let portColon = authority.lastIndex(of: UInt8(ascii: ":")), closeBracket.map({ portColon > $0 }) ?? true {
            let digits = authority[(portColon + 1)...]
            guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ (0x30...0x39).contains($0) }),
                  let n = Int(String(decoding: digits, as: UTF8.self)), (1...65535).contains(n) else {
                return problem("has a port that is not a number from 1 to 65535", "write it as \(example) (a port, if any, as :8080)")
            }
            port = n
            hostBytes = authority[..<portColon]
        }
        guard let host = Self.host(hostBytes) else {
            if hostBytes.contains(where: { $0 >= 0x80 }), let ascii = URL(string: text)?.host, ascii.utf8.allSatisfy({ $0 < 0x80 }), !ascii.isEmpty {
                return problem("has a host that is not written in ASCII", "write the host as \(ascii) (its xn-- form), which every server and browser reads the same way")
            }
            return problem("does not have a valid host name", "a host is letters, digits, - and . only (xn-- for other scripts); write it as \(example)")
        }
        // Path, query, fragment.
        var rest = bytes[authorityEnd...]
        if rest.contains(UInt8(ascii: "#")) {
            return problem("has a fragment (`#...`)", "remove the # and what follows it")
        }
        var query: String?
        if let mark = rest.firstIndex(of: UInt8(ascii: "?")) {
            if kind == .siteFolder {
                return problem("has a query (`?...`)", "the site's address is a folder: remove the ? and what follows it")
            }
            let q = rest[(mark + 1)...]
            if let bad = Self.firstForbidden(q, allowing: "/?") { return bad }
            query = String(decoding: q, as: UTF8.self)
            rest = rest[..<mark]
        }
        if let bad = Self.firstForbidden(rest, allowing: "/") { return bad }
        let path = rest.isEmpty ? "/" : String(decoding: rest, as: UTF8.self)
        if kind == .siteFolder, let message = Self.folderProblem(path) {
            return problem(message, "write the folder the site is published at, for example \(example) or https://example.com/refer/")
        }
        return .success(WebAddress(scheme: scheme, host: host, port: port, path: path, query: query))
    }

    private init(scheme: String, host: String, port: Int?, path: String, query: String?) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.query = query
    }

    /// A DNS name (ASCII labels of letters, digits and inner hyphens) or an IPv6 literal, lower-cased.
    static func host(_ bytes: ArraySlice<UInt8>) -> String? {
        guard !bytes.isEmpty, bytes.count <= 253 else { return nil }
        if bytes.first == UInt8(ascii: "[") {
            guard bytes.last == UInt8(ascii: "]"), bytes.count > 2,
                  bytes.dropFirst().dropLast().allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
            return String(decoding: bytes, as: UTF8.self).lowercased()
        }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-"),
                  label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else { return nil }
        }
        return String(decoding: bytes, as: UTF8.self).lowercased()
    }

    /// The first byte a path or query may not hold as written, as a problem; nil when all are fine.
    /// Allowed: RFC 3986 `pchar` (unreserved, sub-delims, `:`, `@`), `%XX` with two hex digits,
    /// the extra characters given, and UTF-8 for letters of other scripts (browsers encode them).
    private static func firstForbidden(_ bytes: ArraySlice<UInt8>, allowing extra: String) -> Result<WebAddress, Problem>? {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.endIndex, isHexDigit(bytes[i + 1]), isHexDigit(bytes[i + 2]) else {
                    return .failure(Problem(message: "has a % that does not start an escape such as %20", fix: "write a % sign as %25"))
                }
                i += 3
                continue
            }
            if b < 0x80 {
                guard isAlphanumeric(b) || "-._~!$&'()*+,;=:@".utf8.contains(b) || extra.utf8.contains(b) else {
                    let shown = b < 0x20 || b == 0x7F ? String(format: "U+%04X", b) : "`\(Character(Unicode.Scalar(b)))`"
                    return .failure(Problem(message: "contains \(shown), which an address cannot hold as written",
                                            fix: "percent-encode it (a space is %20) or remove it"))
                }
                i += 1
                continue
            }
            i += 1
        }
        // Non-ASCII: letters are fine, but not invisible controls, separators or spaces.
        let text = String(decoding: bytes, as: UTF8.self)
        if let bad = text.unicodeScalars.first(where: { s in
            (0x80...0x9F).contains(s.value) || VisibleText.isInvisibleControl(s) || s.properties.isWhitespace
                || s.value == 0xFFFD || s.properties.generalCategory == .format
        }) {
            return .failure(Problem(message: "contains the invisible character U+\(String(format: "%04X", bad.value))",
                                    fix: "retype the address without it"))
        }
        return nil
    }

    /// Why a path cannot be the folder a site is published at; nil when it can.
    private static func folderProblem(_ path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            if segment.isEmpty {
                if index == segments.count - 1 { continue } // the trailing slash
                return "has an empty folder name (`//`) in its path"
            }
            let lower = segment.lowercased()
            for encoded in ["%2f", "%5c"] where lower.contains(encoded) {
                return "has an encoded `/` or `\\` (\(encoded.uppercased())) in its path, which names no folder on a static host"
            }
            let decoded = lower.replacingOccurrences(of: "%2e", with: ".")
            if decoded == "." || decoded == ".." { return "has a `.` or `..` folder in its path" }
            var scan = lower[...]
            while let percent = scan.range(of: "%") {
                if let code = UInt8(scan[percent.upperBound...].prefix(2), radix: 16), code < 0x20 || code == 0x7F {
                    return "has an encoded control character (%\(String(format: "%02X", code))) in its path"
                }
                scan = scan[percent.upperBound...]
            }
        }
        return nil
    }

    private static func isHexDigit(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }
}
