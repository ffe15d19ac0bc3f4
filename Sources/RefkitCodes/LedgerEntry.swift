import RefkitModel

/// One row of `kit/codes.csv`: an event in a code's life. The latest row of a code gives its
/// current owner details and status.
public struct LedgerEntry: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// The referrer is in `content/referrers.csv`: the code works and has a page.
        case active
        /// The referrer was removed: the page goes away, the code stays theirs, never reissued.
        case inactive
    }

    /// Programme slug.
    public var program: String
    public var code: InviteCode
    /// Normalised: trimmed and lower-cased (`Referrer.normalize(email:)`).
    public var email: String
    /// The full name when the row was written.
    public var name: String
    public var language: LanguageTag
    /// The day this row was written: when the code was first issued, or when it was
    /// reactivated, deactivated or its owner's details changed.
    public var issued: Day
    public var status: Status
    /// The physical line of `kit/codes.csv` the row starts on.
    public var line: Int

    public init(program: String, code: InviteCode, email: String, name: String, language: LanguageTag,
                issued: Day, status: Status, line: Int) {
        self.program = program
        self.code = code
        self.email = Referrer.normalize(email: email)
        self.name = name
        self.language = language
        self.issued = issued
        self.status = status
        self.line = line
    }

    /// Who a code belongs to: one email in one programme.
    var owner: Ledger.Owner { Ledger.Owner(program: program, email: email) }
}
