/// An active referrer with their issued code: what personal pages, postcards and drafts are
/// made from.
public struct Invitation: Hashable, Sendable {
    public var referrer: Referrer
    public var code: InviteCode

    public init(referrer: Referrer, code: InviteCode) {
        self.referrer = referrer
        self.code = code
    }

    /// The site path of the personal page, `r/K7QM4TZ9X/`.
    public var path: String { "r/\(code.rawValue)/" }
}
