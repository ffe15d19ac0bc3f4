import RefkitModel

/// A referrer as the report sees them: their ledger row and the variant they test.
public struct ReportReferrer: Hashable, Sendable {
    public var code: InviteCode
    public var program: String
    /// Normalised (trimmed, lower case), as in the ledger.
    public var email: String
    /// Full name: the report is private.
    public var name: String
    public var firstName: String
    public var language: LanguageTag
    public var isActive: Bool
    /// The A/B arm of their whole funnel (`Program.variant(for:)`).
    public var variant: String

    public init(code: InviteCode, program: String, email: String, name: String, firstName: String,
                language: LanguageTag, isActive: Bool, variant: String) {
        self.code = code
        self.program = program
        self.email = email
        self.name = name
        self.firstName = firstName
        self.language = language
        self.isActive = isActive
        self.variant = variant
    }
}

/// Why a submission is not counted.
public enum SubmissionFlag: Hashable, Sendable {
    case unreadableDate(String)
    /// A real day that no submission can have been sent on (`PlausibleDate`).
    case implausibleDate(Day, latest: Day)
    case noEmail
    /// The friend's email is not an address (`friend0`, `anna@`): no mailbox, so no friend to
    /// count, and the look-alike rules, which compare addresses, could not hold it.
    case notAnAddress(String)
    case unknownCode
    /// Several issued codes are one edit away from what was typed.
    case ambiguousCode([InviteCode])
    case late(ends: Day)
    /// The friend's email is the referrer's own (also with a `+tag` or Gmail dots).
    case selfReferral
    /// The same friend was already counted for this programme, on `firstLine`.
    case duplicate(firstLine: Int)

    public var kind: FlagKind {
        switch self {
        case .unreadableDate, .implausibleDate, .noEmail, .notAnAddress: .unreadable
        case .unknownCode, .ambiguousCode: .unknownCode
        case .late: .late
        case .selfReferral: .selfReferral
        case .duplicate: .duplicate
        }
    }

    /// One sentence for the report page and the terminal.
    public func explanation(group: Int) -> String {
        switch self {
        case .unreadableDate(let text): text.isEmpty ? "no date" : "\"\(text)\" is not a date (YYYY-MM-DD…)"
        case .implausibleDate(let day, let latest): PlausibleDate.explanation(day, latest: latest)
        case .noEmail: "no friend's email"
        case .notAnAddress(let text): "\"\(VisibleText.escaped(text))\" is not an email address"
        case .unknownCode: "no issued code matches"
        case .ambiguousCode(let codes): "could be " + codes.map { $0.formatted(group: group) }.joined(separator: " or ") + "; not guessed"
        case .late(let ends): "sent after the programme ended on \(ends)"
        case .selfReferral: "the friend's email is the referrer's own"
        case .duplicate(let line): "the same friend already counted on line \(line)"
        }
    }
}

/// The kinds of flags, in the order the report lists them.
public enum FlagKind: String, Hashable, Sendable, CaseIterable {
    case unknownCode = "unknown code"
    case selfReferral = "self-referral"
    case duplicate = "same friend twice"
    case late = "after the deadline"
    case unreadable = "incomplete row"
}

/// What became of one row of the export.
public struct SubmissionOutcome: Hashable, Sendable {
    public var submission: Submission
    /// The issued code it was matched to, if any.
    public var code: InviteCode?
    /// The code was mistyped and matched as the only issued code one edit away.
    public var corrected: Bool
    /// Nil when the submission counts.
    public var flag: SubmissionFlag?

    public var counts: Bool { flag == nil }
}

/// Why a conversion row is not counted.
public enum ConversionFlag: Hashable, Sendable {
    case unreadableDate(String)
    /// A real day that no purchase can have been made on (`PlausibleDate`).
    case implausibleDate(Day, latest: Day)
    /// Neither the email nor the code leads to a referral.
    case noReferral
    case unknownCode
    case ambiguousCode([InviteCode])
    /// The customer's email is not an address: fix it in the export, or leave the cell empty
    /// for a walk-in by code.
    case notAnAddress(String)
    /// A code alone whose referrer left the programme: the counter page refuses it too.
    case inactiveCode
    /// The friend's conversion was already counted, on `firstLine`.
    case alreadyConverted(firstLine: Int)
    /// A walk-in conversion after the programme ended.
    case late(ends: Day)
    case selfReferral

    public func explanation(group: Int) -> String {
        switch self {
        case .unreadableDate(let text): text.isEmpty ? "no date" : "\"\(text)\" is not a date (YYYY-MM-DD…)"
        case .implausibleDate(let day, let latest): PlausibleDate.explanation(day, latest: latest)
        case .noReferral: "no counted submission from this friend, and no code"
        case .unknownCode: "no issued code matches"
        case .ambiguousCode(let codes): "could be " + codes.map { $0.formatted(group: group) }.joined(separator: " or ") + "; not guessed"
        case .notAnAddress(let text): "\"\(VisibleText.escaped(text))\" is not an email address"
        case .inactiveCode: "the code is no longer active (its referrer left the programme)"
        case .alreadyConverted(let line): "this friend's conversion already counted on line \(line)"
        case .late(let ends): "after the programme ended on \(ends)"
        case .selfReferral: "the customer is the referrer"
        }
    }
}

public struct ConversionOutcome: Hashable, Sendable {
    public var conversion: Conversion
    public var code: InviteCode?
    public var corrected: Bool
    /// The friend never sent the form: they brought the code to the till.
    public var walkIn: Bool
    public var flag: ConversionFlag?
}

/// A counted referral: a friend brought in by a referrer, from the form or, with conversions,
/// straight from the till.
public struct Referral: Hashable, Sendable {
    public var code: InviteCode
    public var program: String
    /// Who the friend is: `EmailIdentity.key` of their email, or for a walk-in without an
    /// email a key made from the code, the day and a counter.
    public var friend: String
    /// As typed; empty for a walk-in without an email.
    public var friendEmail: String
    public var friendName: String
    /// When the form was sent (or, for a walk-in, when they bought).
    public var date: Day
    public var channel: Channel
    /// Line in the export; nil for a walk-in.
    public var line: Int?
    public var conversion: Converted?

    public struct Converted: Hashable, Sendable {
        public var date: Day
        public var value: Double?
        public var line: Int
        /// The conversions file of `line`, for messages (empty when not known).
        public var file: String = ""
    }

    /// The form was sent (a walk-in was not).
    public var submitted: Bool { line != nil }
    /// What the rewards ledger and drafts call the friend.
    public var friendLabel: String { friendEmail.isEmpty ? friend : Referrer.normalize(email: friendEmail) }
}
