import Foundation

/// The person behind an email address, for spotting self-referrals and friends who submit twice.
///
/// Two spellings reach the same mailbox and count as one person: a `+tag` after the local part
/// (`marie+pain@example.fr` is `marie@example.fr` at most providers), and, at Gmail, dots in
/// the local part and the `googlemail.com` domain (`m.a.rie@googlemail.com` is `marie@gmail.com`).
///
/// The form is public, so the key also sees through spellings that look the same to a person
/// (or to a mail server) but differ as text, each one a way to count one friend twice:
/// - full-width and other compatibility forms (`ｍａｒｉｅ＠ｅｘａｍｐｌｅ．ｆｒ`): NFKC;
/// - case, by Unicode scalar rather than by locale, with the dotted capital I (`İ`, which
///   lower-cases to `i` + U+0307) and the dotless `ı` both read as `i`;
/// - invisible characters (zero-width space, soft hyphen, bidi marks, controls): dropped;
/// - a domain written with a trailing dot (`example.fr.`, the DNS root) or with ideographic full
///   stops (`example。fr`, which IDNA reads as dots).
/// Merging too much costs at most one friend counted once who should have counted twice;
/// merging too little pays a reward twice.
public enum EmailIdentity {
    /// Whether a `key(_:)` names a mailbox at all: one `@`, something before it, and a domain
    /// with a dot inside. Nothing stricter: internationalised addresses count, and the report
    /// only needs to tell a friend's address from `friend0` or `anna@`, which no form that
    /// checks its email field sends and which the look-alike rules, comparing addresses,
    /// cannot hold.
    public static func isAddress(_ key: String) -> Bool {
        let parts = key.unicodeScalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let domain = parts.last, !parts[0].isEmpty,
              let first = domain.first, let last = domain.last, first != ".", last != "." else { return false }
        return domain.contains(".") && !key.unicodeScalars.contains { $0.properties.isWhitespace }
    }

    public static func key(_ email: String) -> String {
        let address = addrSpec(canonical(email))
        guard let at = address.lastIndex(of: "@") else { return address }
        var local = String(address[..<at])
        var domain = String(address[address.index(after: at)...])
        while domain.hasSuffix(".") { domain.removeLast() }
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex { local = String(local[..<plus]) }
        if domain == "googlemail.com" { domain = "gmail.com" }
        if domain == "gmail.com" { local.removeAll { $0 == "." } }
        return local + "@" + domain
    }

    /// The address inside the other ways a form field can name one mailbox, each a way to
    /// refer oneself: `Name <a@b>` and `<a@b>` (the part in angle brackets), `mailto:a@b?…`,
    /// a quoted or backslash-escaped local part (`"a"@b`, `a\.b@c`) and comments (`a(x)@b`).
    static func addrSpec(_ text: String) -> String {
        // By scalar: `"` or `<` with a combining mark on it is one Character, and would hide.
        var address = Substring(text).unicodeScalars[...]
        if let open = address.lastIndex(of: "<") {
            let inside = address[address.index(after: open)...]
            address = inside.firstIndex(of: ">").map { inside[..<$0] } ?? inside
        }
        let mailto = "mailto:".unicodeScalars
        if address.starts(with: mailto) {
            address = address.dropFirst(mailto.count)
            if let query = address.firstIndex(of: "?") { address = address[..<query] }
        }
        guard address.contains(where: { $0 == "\"" || $0 == "\\" || $0 == "(" }) else { return String(String.UnicodeScalarView(address)) }
        var out = String.UnicodeScalarView()
        var depth = 0
        for s in address {
            switch s {
            case "(": depth += 1
            case ")": depth = max(0, depth - 1)
            case "\"", "\\": continue
            default: if depth == 0 { out.append(s) }
            }
        }
        return String(out)
    }

    /// Trimmed, NFKC, lower case by scalar, `İ` and `ı` as `i`, invisible characters dropped,
    /// IDNA's other full stops as `.`.
    static func canonical(_ email: String) -> String {
        let trimmed = email.trimmingWhitespace()
        // Fast path: printable ASCII needs only lower-casing (most rows of an export).
        if trimmed.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return trimmed.lowercased() }
        var out = String.UnicodeScalarView()
        for scalar in trimmed.precomposedStringWithCompatibilityMapping.unicodeScalars {
            let category = scalar.properties.generalCategory
            if category == .format || category == .control || scalar.properties.isWhitespace { continue }
            switch scalar {
            case "\u{0130}", "\u{0131}": out.append("i")
            // U+0307 COMBINING DOT ABOVE after an i is what `İ` lower-cases to elsewhere.
            case "\u{0307}" where out.last == "i": continue
            case "\u{3002}", "\u{FF61}": out.append(".")
            default: out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        // Lower-casing can leave text that NFKC composes differently (`Å` → `a` + ring).
        return String(out).precomposedStringWithCompatibilityMapping
    }
}
