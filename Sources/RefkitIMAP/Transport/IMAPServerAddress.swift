import Foundation

/// `imaps://HOST[:PORT]` (TLS from the first byte, port 993) or `imap://HOST[:PORT]` (port
/// 143, upgraded with STARTTLS before anything private is sent; refused when the server does
/// not offer it).
public struct IMAPServerAddress: Equatable, Sendable, CustomStringConvertible {
    public enum Security: Sendable { case tls, startTLS }
    public var host: String
    public var port: Int
    public var security: Security

    public init(host: String, port: Int, security: Security) {
        self.host = host
        self.port = port
        self.security = security
    }

    /// Nil with the reason when the text is not such an address.
    public static func parse(_ text: String) -> Result<IMAPServerAddress, AddressError> {
        // A password in the address would sit in the shell's history and the process list;
        // it is refused, and no message shows it (nor the user, for symmetry).
        let shownText = withoutUserinfo(text)
        if let components = URLComponents(string: text), components.password != nil {
            return .failure(AddressError(message: "\"\(IMAPText.shown(shownText))\" holds a password; refkit never takes one from the command line. Remove it, set REFKIT_IMAP_PASSWORD (or REFKIT_IMAP_TOKEN) or let refkit ask, and give the user with --user"))
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(AddressError(message: "\"\(IMAPText.shown(shownText))\" is not a server address; write imaps://imap.example.com (or imap://HOST:143 for STARTTLS)"))
        }
        let security: Security
        switch scheme {
        case "imaps": security = .tls
        case "imap": security = .startTLS
        default:
            return .failure(AddressError(message: "\"\(IMAPText.shown(scheme))://\" is not an IMAP address; write imaps://HOST (or imap://HOST for STARTTLS)"))
        }
        guard let host = components.host, !host.isEmpty,
              host.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            return .failure(AddressError(message: "\"\(IMAPText.shown(shownText))\" has no host name; write imaps://imap.example.com"))
        }
        guard components.path.isEmpty || components.path == "/", components.user == nil, components.query == nil else {
            return .failure(AddressError(message: "\"\(IMAPText.shown(shownText))\" should be only the scheme, host and port (imaps://HOST:993); the user goes in --user and the folder in --folder"))
        }
        let port = components.port ?? (security == .tls ? 993 : 143)
        guard (1...65535).contains(port) else {
            return .failure(AddressError(message: "port \(port) is not a TCP port"))
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return .success(IMAPServerAddress(host: bare, port: port, security: security))
    }

    /// `imaps://***@host`: the address with whatever stands before an `@` in its authority
    /// hidden, for messages.
    static func withoutUserinfo(_ text: String) -> String {
        guard let scheme = text.range(of: "://") else { return text }
        let authorityEnd = text[scheme.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? text.endIndex
        guard let at = text[scheme.upperBound..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<scheme.upperBound]) + "***" + String(text[at...])
    }

    public struct AddressError: Error, Equatable { public var message: String }

    public var description: String { "\(security == .tls ? "imaps" : "imap")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
