/// The blocks the mail layout may show under a message's body. Each shows only when its
/// values are there too (a button needs a link, the code box a code, the incentives box both
/// incentives); a kind of message that should not show one leaves it out here.
public struct MailBlocks: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The two incentives, side by side (stacked on a narrow screen).
    public static let incentives = MailBlocks(rawValue: 1)
    /// The invite code, large.
    public static let code = MailBlocks(rawValue: 2)
    /// A button to the referrer's personal page.
    public static let button = MailBlocks(rawValue: 4)

    public static let all: MailBlocks = [.incentives, .code, .button]
}
