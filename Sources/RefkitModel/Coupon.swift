/// One single-use code from `content/coupons.csv`, exported from a till or shop system.
///
/// Private like `referrers.csv`: it is money. It goes into `kit/report/rewards.csv` and the
/// drafts, never into `public/` or the counter file.
public struct Coupon: Hashable, Sendable {
    public var program: String
    public var kind: CouponKind
    /// As exported, trimmed.
    public var code: String
    /// The last day it can be used; nil when it does not expire.
    public var expires: Day?
    /// The line of `content/coupons.csv` it is on.
    public var line: Int

    public init(program: String, kind: CouponKind, code: String, expires: Day? = nil, line: Int) {
        self.program = program
        self.kind = kind
        self.code = code
        self.expires = expires
        self.line = line
    }

    /// Whether it can still be handed out on `today`: it is valid through its last day.
    public func isValid(on today: Day) -> Bool { expires.map { today <= $0 } ?? true }

    /// How two spellings of one coupon compare: trimmed and case-insensitive, as shop systems
    /// (Shopify, WooCommerce, Square, SumUp) match discount codes at the till.
    ///
    /// A code of digits alone is the same coupon with or without leading zeros: a spreadsheet
    /// that opens and saves rewards.csv turns `000123` into `123`, and the coupon must still
    /// count as handed out.
    public static func identity(_ code: String) -> String {
        let text = code.trimmingWhitespace().uppercased()
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return text }
        let digits = text.drop { $0 == "0" }
        return digits.isEmpty ? "0" : String(digits)
    }

    /// A cell a spreadsheet wrote in scientific notation (`1.23456789012346E+18`): the long
    /// number it held is lost, and which coupon it was cannot be known.
    public static func looksLikeScientificNotation(_ cell: String) -> Bool {
        let t = cell.trimmingWhitespace().uppercased()
        guard let e = t.firstIndex(of: "E"), t.first?.isNumber == true else { return false }
        let mantissa = t[..<e], exponent = t[t.index(after: e)...].drop { $0 == "+" || $0 == "-" }
        return !exponent.isEmpty && exponent.allSatisfy(\.isASCIIDigit) && mantissa.allSatisfy { $0.isASCIIDigit || $0 == "." || $0 == "," }
    }
}

/// Which reward a coupon pays: the `reward` column of `coupons.csv`.
public enum CouponKind: Hashable, Sendable, Comparable {
    /// `referral`: a per-referral reward.
    case referral
    /// A tier's referral count (`3`): that tier's reward.
    case tier(Int)
    /// `friend`: the friend's welcome offer.
    case friend

    /// As written in `coupons.csv` and on the report: `referral`, `3`, `friend`.
    public var name: String {
        switch self {
        case .referral: "referral"
        case .tier(let n): String(n)
        case .friend: "friend"
        }
    }

    /// For people: `per referral`, `tier 3`, `friend's welcome`.
    public var label: String {
        switch self {
        case .referral: "per referral"
        case .tier(let n): "tier \(n)"
        case .friend: "friend's welcome"
        }
    }

    public init?(name: String) {
        switch name.trimmingWhitespace().lowercased() {
        case "referral": self = .referral
        case "friend": self = .friend
        case let text:
            guard let n = Int(text), n >= 1, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            self = .tier(n)
        }
    }
}
