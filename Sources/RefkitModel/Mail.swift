/// One email scenario of a programme (`invite`, `promo`, `reminder`, `thanks`): a subject and a
/// Markdown body, both with Mustache variables (`{{first_name}}`, `{{code}}`, `{{link}}`, ...).
public struct EmailMessage: Hashable, Sendable {
    public var subject: String
    /// Markdown with Mustache variables, as written.
    public var body: String
    /// Where the message starts, for errors in its variables.
    public var location: SourceLocation

    public init(subject: String, body: String, location: SourceLocation) {
        self.subject = subject
        self.body = body
        self.location = location
    }
}

/// A display name and an address, as in `From: Boulangerie Martin <bonjour@example.fr>`.
public struct Mailbox: Hashable, Sendable {
    public var name: String?
    public var address: String
    public init(name: String? = nil, address: String) {
        self.name = name
        self.address = address
    }
}

/// The `mail:` section of `site.yaml`.
public struct MailSettings: Hashable, Sendable {
    public var from: Mailbox?
    public var replyTo: Mailbox?
    /// Which scenario the kit's drafts use.
    public var scenario: String
    /// The sender's postal address, shown in every draft's footer (`mail.address`): laws on
    /// commercial email (CAN-SPAM, and the customs of most of Europe) ask for one.
    public var address: String?
    /// When `refkit report` drafts follow-ups (`mail.follow_ups`).
    public var followUps = FollowUpCadence()

    public init(from: Mailbox? = nil, replyTo: Mailbox? = nil, scenario: String = "invite", address: String? = nil) {
        self.from = from
        self.replyTo = replyTo
        self.scenario = scenario
        self.address = address
    }
}
