import Foundation

/// One arm of an A/B test on a programme's landing copy.
///
/// The control, the page without overrides, is always variant `a`. Other variants override
/// landing fields; a translation overrides the same fields in its language.
public struct Variant: Hashable, Sendable {
    public var name: String
    /// Relative share of referrers and visitors; the control has one too.
    public var weight: Double
    public var overrides: VariantOverrides

    public init(name: String, weight: Double, overrides: VariantOverrides = .init()) {
        self.name = name
        self.weight = weight
        self.overrides = overrides
    }

    public static let controlName = "a"
}

/// The landing fields a variant may change.
public struct VariantOverrides: Hashable, Sendable {
    public var headline: String?
    public var subheadline: String?
    public var cta: String?
    public var image: String?
    public var referrerIncentive: String?
    public var friendIncentive: String?
    public var testimonials: [Testimonial]?
    /// Order of the landing sections, by name (see `LandingSection`).
    public var sections: [LandingSection]?

    public init(headline: String? = nil, subheadline: String? = nil, cta: String? = nil, image: String? = nil,
                referrerIncentive: String? = nil, friendIncentive: String? = nil, testimonials: [Testimonial]? = nil,
                sections: [LandingSection]? = nil) {
        self.headline = headline
        self.subheadline = subheadline
        self.cta = cta
        self.image = image
        self.referrerIncentive = referrerIncentive
        self.friendIncentive = friendIncentive
        self.testimonials = testimonials
        self.sections = sections
    }

    public var isEmpty: Bool { self == VariantOverrides() }
}

/// The sections below a landing page's hero, in the order a variant may change.
public enum LandingSection: String, Hashable, Sendable, CaseIterable {
    case steps, tiers, testimonials, stats, about, faq
}

extension ProgramEdition {
    /// This edition as variant `name` shows it; the control (or an unknown name) is unchanged.
    public func applying(variant name: String) -> ProgramEdition {
        guard let variant = variants.first(where: { $0.name == name }) else { return self }
        let o = variant.overrides
        var e = self
        e.headline = o.headline ?? headline
        e.subheadline = o.subheadline ?? subheadline
        e.cta = o.cta ?? cta
        e.image = o.image ?? image
        e.incentive = Incentive(referrer: o.referrerIncentive ?? incentive.referrer, friend: o.friendIncentive ?? incentive.friend)
        e.testimonials = o.testimonials ?? testimonials
        e.sections = o.sections ?? sections
        return e
    }
}

extension Program {
    /// The control and the variants with their weights, control first.
    public var arms: [(name: String, weight: Double)] {
        [(Variant.controlName, controlWeight)] + defaultEdition.variants.map { ($0.name, $0.weight) }
    }

    /// The variant a referrer's whole funnel (personal page, postcard, email) tests.
    ///
    /// Weighted rendezvous hashing: each arm scores `-ln(u) / weight` with `u` a uniform
    /// number hashed from the code and the arm's name, and the lowest score wins. The choice
    /// depends only on the code and the arms, so it is stable from build to build, and adding
    /// an arm moves only the referrers that move to the new arm.
    ///
    /// Every page, postcard and draft asks, once per referrer: the arms are read in place (not
    /// through `arms`, which copies the default edition) and hashed without joining strings.
    public func variant(for code: InviteCode) -> String {
        let variants = editions[0].variants
        guard !variants.isEmpty else { return Variant.controlName }
        func score(_ name: String, _ weight: Double) -> Double {
            -log(StableHash.unitInterval(code.rawValue, name)) / weight
        }
        // The control first, as in `arms`: on a tie the earlier arm wins.
        var best = (name: Variant.controlName, score: score(Variant.controlName, controlWeight))
        for variant in variants {
            let s = score(variant.name, variant.weight)
            if s < best.score { best = (variant.name, s) }
        }
        return best.name
    }
}

/// A hash that is the same on every machine and every run (Swift's `Hasher` is seeded per
/// process), for choices that must never change between builds.
public enum StableHash {
    /// FNV-1a over the UTF-8 bytes, then a SplitMix64 finaliser to spread the bits.
    public static func value(_ text: String) -> UInt64 {
        finish(fnv(text.utf8))
    }

    /// The value of `first + "\u{0}" + second`, without making that string.
    public static func value(_ first: String, _ second: String) -> UInt64 {
        finish(fnv(second.utf8, from: fnv(CollectionOfOne(0), from: fnv(first.utf8))))
    }

    /// A number in the open interval (0, 1).
    public static func unitInterval(_ text: String) -> Double {
        unit(value(text))
    }

    /// The number of `first + "\u{0}" + second`, as `unitInterval(_:)` gives it.
    public static func unitInterval(_ first: String, _ second: String) -> Double {
        unit(value(first, second))
    }

    private static func fnv<Bytes: Sequence>(_ bytes: Bytes, from start: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 where Bytes.Element == UInt8 {
        var h = start
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    private static func finish(_ hash: UInt64) -> UInt64 {
        var h = hash
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }

    private static func unit(_ value: UInt64) -> Double {
        (Double(value >> 11) + 0.5) / Double(1 << 53)
    }
}
