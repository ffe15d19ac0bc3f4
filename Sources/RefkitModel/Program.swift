/// One referral programme: a slug and one edition per language.
public struct Program: Hashable, Sendable {
    /// The folder name on the site (`/SLUG/`) and the key referrers use in `program`.
    public var slug: String
    /// The default edition first, then translations in tag order.
    public var editions: [ProgramEdition]
    /// Last day of a limited-time programme; nil when evergreen.
    public var ends: Day?
    /// The control's weight in the split.
    public var controlWeight: Double
    /// Whether the landing page splits visitors in the browser (`split: client`).
    public var splitsClients: Bool
    /// `reward_rule:` as written; nil for the default (see `effectiveRewardRule`).
    public var rewardRule: RewardRule?
    /// How many referrers `PROGRAMME/leaderboard/` shows; 0 (the default) publishes none.
    public var leaderboard = 0

    public init(slug: String, editions: [ProgramEdition], ends: Day?, controlWeight: Double = 1, splitsClients: Bool = false,
                rewardRule: RewardRule? = nil) {
        self.rewardRule = rewardRule
        self.slug = slug
        self.editions = editions
        self.ends = ends
        self.controlWeight = controlWeight
        self.splitsClients = splitsClients
    }

    public var defaultEdition: ProgramEdition { editions[0] }
    public var languages: [LanguageTag] { editions.map(\.language) }

    public func edition(for language: LanguageTag) -> ProgramEdition? {
        editions.first { $0.language == language }
    }

    /// Whether the offer is over on `today`: it runs through the whole of its last day.
    public func hasEnded(on today: Day) -> Bool {
        guard let ends else { return false }
        return today > ends
    }
}

/// A programme's copy in one language, from `programs/NAME.md` or `programs/NAME.LANG.md`.
/// Markdown fields are already converted to safe HTML by the loader.
public struct ProgramEdition: Hashable, Sendable {
    public var language: LanguageTag
    /// Where it came from, for messages.
    public var file: String
    public var headline: String
    public var subheadline: String?
    public var incentive: Incentive
    public var cta: String
    /// How it works; nil means "use the theme's default steps".
    public var steps: [String]?
    public var tiers: [Tier]
    public var testimonials: [Testimonial]
    public var stats: [Stat]
    public var faq: [FAQEntry]
    public var terms: RichText?
    public var title: String?
    public var description: String?
    /// Path under `content/assets/`.
    public var image: String?
    public var body: RichText
    /// Email scenarios by name: `invite`, `promo`, `reminder`, `thanks`.
    public var email: [String: EmailMessage]
    /// Lines for the back of the postcard.
    public var postcard: PostcardCopy
    /// A/B variants besides the control, in file order (weights as in the default edition).
    public var variants: [Variant]
    /// Order of the landing sections.
    public var sections: [LandingSection]

    public init(language: LanguageTag, file: String, headline: String, subheadline: String? = nil,
                incentive: Incentive, cta: String, steps: [String]? = nil, tiers: [Tier] = [],
                testimonials: [Testimonial] = [], stats: [Stat] = [], faq: [FAQEntry] = [],
                terms: RichText? = nil, title: String? = nil, description: String? = nil,
                image: String? = nil, body: RichText = RichText(html: "", text: ""),
                email: [String: EmailMessage] = [:], postcard: PostcardCopy = .init(), variants: [Variant] = [],
                sections: [LandingSection] = LandingSection.allCases) {
        self.language = language
        self.file = file
        self.headline = headline
        self.subheadline = subheadline
        self.incentive = incentive
        self.cta = cta
        self.steps = steps
        self.tiers = tiers
        self.testimonials = testimonials
        self.stats = stats
        self.faq = faq
        self.terms = terms
        self.title = title
        self.description = description
        self.image = image
        self.body = body
        self.email = email
        self.postcard = postcard
        self.variants = variants
        self.sections = sections
    }
}

/// Markdown rendered once by the loader: safe HTML for pages and plain text for places
/// HTML cannot go (meta descriptions, JSON-LD, PDFs, the plain part of an email).
public struct RichText: Hashable, Sendable {
    public var html: String
    public var text: String
    public init(html: String, text: String) {
        self.html = html
        self.text = text
    }
    public var isEmpty: Bool { text.isEmpty && html.isEmpty }
}

/// The double-sided incentive: what the referrer gets and what the friend gets.
public struct Incentive: Hashable, Sendable {
    public var referrer: String
    public var friend: String
    public init(referrer: String, friend: String) {
        self.referrer = referrer
        self.friend = friend
    }
}

/// A step on the reward ladder: after `referrals` successful referrals, `reward`.
public struct Tier: Hashable, Sendable {
    public var referrals: Int
    public var reward: String
    public init(referrals: Int, reward: String) {
        self.referrals = referrals
        self.reward = reward
    }
}

public struct Testimonial: Hashable, Sendable {
    public var quote: String
    public var author: String
    public init(quote: String, author: String) {
        self.quote = quote
        self.author = author
    }
}

public struct Stat: Hashable, Sendable {
    public var value: String
    public var label: String
    public init(value: String, label: String) {
        self.value = value
        self.label = label
    }
}

public struct FAQEntry: Hashable, Sendable {
    public var question: String
    public var answer: RichText
    public init(question: String, answer: RichText) {
        self.question = question
        self.answer = answer
    }
}

/// The programme's words on the back of a postcard.
public struct PostcardCopy: Hashable, Sendable {
    /// How the friend redeems the card ("Bring this card to the shop...").
    public var redeem: String?
    /// One short line of terms.
    public var terms: String?
    public init(redeem: String? = nil, terms: String? = nil) {
        self.redeem = redeem
        self.terms = terms
    }
}
