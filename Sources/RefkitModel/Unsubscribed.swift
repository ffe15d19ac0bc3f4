/// `content/unsubscribed.csv`: people who asked for no more email. No draft refkit makes goes
/// to them (invitations, `merge.csv`, follow-ups); the list is private and never published.
///
/// Addresses are kept as `EmailIdentity.key`s, so `Marie.Dupont+news@Gmail.com` on the list
/// stops a draft to `mariedupont@gmail.com`: the same mailbox, however it is spelled.
public struct Unsubscribed: Hashable, Sendable {
    public static let file = "content/unsubscribed.csv"

    public private(set) var keys: Set<String>

    public init<S: Sequence>(_ emails: S) where S.Element == String {
        keys = Set(emails.map(EmailIdentity.key))
    }

    public init() { keys = [] }

    /// Whether a draft to this address must not be made.
    public func contains(_ email: String) -> Bool {
        !keys.isEmpty && keys.contains(EmailIdentity.key(email))
    }

    public var count: Int { keys.count }
}
