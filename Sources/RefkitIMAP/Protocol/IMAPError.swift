import RefkitModel

/// What went wrong talking to an IMAP server. Every case is a failure of the connection or of
/// the server, not of the project: the CLI exits 3 and shows the server's own words.
public enum IMAPError: Error, Equatable, Sendable {
    /// The TCP connection or the TLS handshake failed (`reason` is the system's or NIOSSL's).
    case connectFailed(server: String, reason: String)
    /// The server closed the connection, or it broke, before the command finished.
    case connectionClosed(during: String)
    /// No answer within the timeout.
    case timedOut(during: String)
    /// The server answered something that is not IMAP, or more than refkit reads in one go.
    case protocolViolation(String)
    /// A tagged NO or BAD (or an untagged BYE): the command and the server's text.
    case refused(command: String, status: String, text: String)
    /// A value that IMAP cannot carry (a NUL byte) or that would break a SASL message.
    case unsendable(what: String, reason: String)
    /// The server lacks something refkit needs (STARTTLS on imap://, a way to log in).
    case missingCapability(String)
}

extension IMAPError: ClassifiedError, CustomStringConvertible {
    /// Exit 3, as for any failure of the machine rather than the project: the network and the
    /// server are outside the project, and running the command again may succeed.
    public var failureKind: FailureKind { .fileSystem }

    /// `push` writes nothing into the project, so "Nothing was written" would be noise.
    public var leftOutputUnchanged: Bool { false }

    public var description: String {
        switch self {
        case let .connectFailed(server, reason):
            return "could not connect to \(server): \(reason). Check the address and port, and --ca-file for a self-signed certificate."
        case let .connectionClosed(during):
            return "the server closed the connection during \(during). Run the same command again: drafts already there are not uploaded twice."
        case let .timedOut(during):
            return "the server did not finish answering in time during \(during) (REFKIT_IMAP_TIMEOUT allows 60 seconds per command unless set). Run the same command again later."
        case let .protocolViolation(what):
            return "the server does not speak IMAP as expected: \(what)"
        case let .refused(command, status, text):
            let words = text.isEmpty ? "(no reason given)" : text
            if command == "LOGIN" || command.hasPrefix("AUTHENTICATE") {
                return "the server refused the login (\(status)): \(words)"
            }
            return "the server refused \(command) (\(status)): \(words)"
        case let .unsendable(what, reason):
            return "\(what) cannot be sent over IMAP: \(reason)"
        case let .missingCapability(what):
            return what
        }
    }
}
