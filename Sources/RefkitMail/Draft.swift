import RefkitModel

/// One referrer's email, before rendering: who it goes to and every value its Mustache
/// variables can use. The build makes one per active referrer.
public struct Draft: Hashable, Sendable {
    public var referrer: Referrer
    public var code: InviteCode
    /// The code as people read it: `K7QM-4TZ9-X`.
    public var formattedCode: String
    /// The referrer's personal page, absolute.
    public var link: String
    public var incentive: Incentive
    /// The deadline as the reader's language writes it; nil for an evergreen programme.
    public var deadline: String?
    /// The site's name.
    public var brand: String
    /// The scenario's subject and body, in the referrer's language.
    public var message: EmailMessage
    /// The language of `message`: the referrer's, or the programme's default when the
    /// programme has no edition in it.
    public var language: LanguageTag
    /// What the layout shows under the body: for an invitation all of it.
    public var blocks: MailBlocks
    /// The referrer's progress page, absolute (`{{progress_link}}`); empty when unknown.
    public var progressLink: String

    public init(referrer: Referrer, code: InviteCode, formattedCode: String, link: String,
                incentive: Incentive, deadline: String?, brand: String, message: EmailMessage,
                language: LanguageTag, blocks: MailBlocks = .all, progressLink: String = "") {
        self.blocks = blocks
        self.progressLink = progressLink
        self.referrer = referrer
        self.code = code
        self.formattedCode = formattedCode
        self.link = link
        self.incentive = incentive
        self.deadline = deadline
        self.brand = brand
        self.message = message
        self.language = language
    }
}
