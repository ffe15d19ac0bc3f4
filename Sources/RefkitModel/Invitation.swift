/// An active referrer with their issued code: what personal pages, postcards and drafts are
/// made from.
public struct Invitation: Hashable, Sendable {
    public var referrer: Referrer
    public var code: InviteCode
    /// The progress page's token (`ProgressToken`): derived from the code under the secret, so
    /// that nobody can reach a referrer's standing from their public code. Empty when unknown.
    public var progressToken: String

    public init(referrer: Referrer, code: InviteCode, progressToken: String = "") {
        self.referrer = referrer
        self.code = code
        self.progressToken = progressToken
    }

    /// The site path of the personal page, `r/K7QM4TZ9X/`.
    public var path: String { "r/\(code.rawValue)/" }

    /// The site path of the progress page, `p/TOKEN/`.
    public var progressPath: String { "p/\(progressToken)/" }
}
