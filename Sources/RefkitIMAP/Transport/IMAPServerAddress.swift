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
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return .failure(AddressError(message: "\"\(IMAPText.shown(text))\" is not a server address; write imaps://imap.example.com (or imap://HOST:143 for STARTTLS)"))
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
            return .failure(AddressError(message: "\"\(IMAPText.shown(text))\" has no host name; write imaps://imap.example.com"))
        }
        guard components.path.isEmpty || components.path == "/", components.user == nil, components.query == nil else {
            return .failure(AddressError(message: "\"\(IMAPText.shown(text))\" should be only the scheme, host and port (imaps://HOST:993); the user goes in --user and the folder in --folder"))
        }
        let port = components.port ?? (security == .tls ? 993 : 143)
        guard (1...65535).contains(port) else {
            return .failure(AddressError(message: "port \(port) is not a TCP port"))
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return .success(IMAPServerAddress(host: bare, port: port, security: security))
    }

    public struct AddressError: Error, Equatable { public var message: String }

    public var description: String { "\(security == .tls ? "imaps" : "imap")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
}
