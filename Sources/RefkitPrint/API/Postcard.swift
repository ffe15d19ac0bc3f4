import Foundation
import RefkitModel
import RefkitQR

/// One referrer's postcard, with every string already resolved (copy, theme strings, code,
/// URL): the renderer looks nothing up.
public struct Postcard: Hashable, Sendable, Codable {
    /// The programme's slug, used in file names and messages.
    public var program: String
    public var language: LanguageTag
    /// Where the copy came from (`programs/bread-club.ja.md`), for messages.
    public var origin: String?
    /// The A/B variant whose copy the card carries; `a`, the control, adds nothing to file names.
    public var variant: String
    public var front: Front
    public var back: Back

    public init(program: String, language: LanguageTag, variant: String = Variant.controlName, origin: String? = nil,
                front: Front, back: Back) {
        self.program = program
        self.language = language
        self.variant = variant
        self.origin = origin
        self.front = front
        self.back = back
    }

    /// The same for every card of a programme and language; it is drawn once per run.
    public struct Front: Hashable, Sendable, Codable {
        public var headline: String
        /// What the friend gets.
        public var incentive: String
        /// `#RRGGBB`, the site's theme colour.
        public var brandColor: String
        /// The brand's name (`name` in site.yaml), for the layout's `brand` blocks.
        public var brandName: String
        /// The programme's hero image, drawn into the layout's `front.image` box.
        public var image: PostcardImage?
        /// The site's logo (`theme.logo`), on the front and small on the back.
        public var logo: PostcardImage?
        /// The office file's test page, in the card's language.
        public var testPage: TestPageText

        public init(headline: String, incentive: String, brandColor: String, brandName: String = "",
                    image: PostcardImage? = nil, logo: PostcardImage? = nil, testPage: TestPageText = TestPageText()) {
            self.headline = headline
            self.incentive = incentive
            self.brandColor = brandColor
            self.brandName = brandName
            self.image = image
            self.logo = logo
            self.testPage = testPage
        }
    }

    /// The personal side.
    public struct Back: Hashable, Sendable, Codable {
        /// "From:" from the theme's strings.
        public var fromLabel: String
        /// The referrer's printed (first) name.
        public var referrerName: String
        /// "To:", followed by a line the referrer writes the friend's name on.
        public var toLabel: String
        /// The invite code as printed: `K7QM-4TZ9-X`.
        public var code: String
        /// What the QR code opens: `BASE/r/CODE/?utm_source=postcard&utm_medium=print`.
        public var qrURL: String
        /// How the friend redeems the card.
        public var redeem: String
        /// "Offer ends on 31 December 2025."; nil for evergreen programmes.
        public var deadline: String?
        /// One short line of terms.
        public var terms: String?
        /// The QR code's mask when known from the last build (the record `PostcardPrinter`
        /// keeps beside each file pair), so the code is encoded with it instead of scoring all
        /// eight; the symbol is the same.
        public var qrMask: QRKnownMask?

        public init(fromLabel: String, referrerName: String, toLabel: String, code: String, qrURL: String,
                    redeem: String, deadline: String? = nil, terms: String? = nil, qrMask: QRKnownMask? = nil) {
            self.fromLabel = fromLabel
            self.referrerName = referrerName
            self.toLabel = toLabel
            self.code = code
            self.qrURL = qrURL
            self.redeem = redeem
            self.deadline = deadline
            self.terms = terms
            self.qrMask = qrMask
        }
    }
}
