import Foundation

/// `refkit serve --bind ADDRESS`: an IPv4 or IPv6 address, as `inet_pton` reads it.
public enum BindAddress {
    public static let loopback = "127.0.0.1"

    public static func isIPLiteral(_ text: String) -> Bool {
        isIPv4(text) || isIPv6(text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text)
    }

    public static func isIPv4(_ text: String) -> Bool {
        Syscalls.isAddress(text, family: AF_INET)
    }

    public static func isIPv6(_ text: String) -> Bool {
        Syscalls.isAddress(text, family: AF_INET6)
    }

    /// Whether only this computer can reach the address (127.0.0.0/8, ::1).
    public static func isLoopback(_ text: String) -> Bool {
        text == "::1" || (isIPv4(text) && text.hasPrefix("127."))
    }

    /// Listening on every interface: `0.0.0.0` or `::`.
    public static func isWildcard(_ text: String) -> Bool {
        text == "0.0.0.0" || text == "::"
    }

    /// How a URL names the address: IPv6 in brackets; a wildcard as 127.0.0.1, since no
    /// browser can open 0.0.0.0 on another computer.
    public static func urlHost(_ text: String) -> String {
        if isWildcard(text) { return loopback }
        return text.contains(":") ? "[" + text + "]" : text
    }
}
