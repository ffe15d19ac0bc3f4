import RefkitModel

/// One row of the form provider's export: a friend who claimed the offer with a code.
public struct Submission: Hashable, Sendable {
    /// The line of the export the row starts on.
    public var line: Int
    /// Nil when the date cell is empty or not a date; such a row is flagged, not counted.
    public var date: Day?
    /// What the date cell said, for messages.
    public var dateText: String
    /// The code as the friend typed it or the page filled it in.
    public var code: String
    /// The variant the friend's page showed, when the export has the column.
    public var variant: String
    public var friendName: String
    public var friendEmail: String
    public var channel: Channel
    /// The language of the page the form was sent from (its hidden `lang` field), as typed in
    /// the export; empty when the export has no such column (exports made before it existed).
    public var language: String = ""

    public init(line: Int, date: Day?, dateText: String = "", code: String, variant: String = "", friendName: String = "",
                friendEmail: String, channel: Channel = .link, language: String = "") {
        self.language = language
        self.line = line
        self.date = date
        self.dateText = dateText
        self.code = code
        self.variant = variant
        self.friendName = friendName
        self.friendEmail = friendEmail
        self.channel = channel
    }
}

/// How the friend reached the form, from `utm_source`: the postcard's QR code, the email draft's
/// link, or a shared link (the personal page's QR code, a copied link, a message).
public enum Channel: String, Hashable, Sendable, CaseIterable {
    case postcard
    case email
    case link = "link/qr"

    /// `postcard` and `print` are the postcard; `email`, `mail` and `newsletter` the email
    /// drafts; everything else, and no `utm_source` at all, is a shared link.
    public init(utmSource: String) {
        switch utmSource.trimmingWhitespace().lowercased() {
        case "postcard", "print", "card": self = .postcard
        case "email", "mail", "newsletter": self = .email
        default: self = .link
        }
    }
}

/// A friend who became a customer, from a till or shop export.
public struct Conversion: Hashable, Sendable {
    public var line: Int
    /// The friend's email, when the till knows it.
    public var email: String
    /// The referrer's code the friend brought (a postcard at the counter), when known.
    public var code: String
    public var date: Day?
    public var dateText: String
    /// The order's value, when the export has it.
    public var value: Double?
    /// The counter page's id of this redemption (`redemption_id`), unique per redemption: the
    /// same redemption in two exports (exported twice, or from two devices) counts once, and a
    /// code-only redemption is a walk-in of its own. Empty for a till or shop export.
    public var redemptionID: String
    /// The file the row is from, for messages when several conversions files are read.
    public var file: String

    public init(line: Int, email: String = "", code: String = "", date: Day?, dateText: String = "", value: Double? = nil,
                redemptionID: String = "", file: String = "") {
        self.line = line
        self.email = email
        self.code = code
        self.date = date
        self.dateText = dateText
        self.value = value
        self.redemptionID = redemptionID
        self.file = file
    }

    /// Whether the row is a redemption recorded on the counter page.
    public var isRedemption: Bool { !redemptionID.isEmpty }
}
