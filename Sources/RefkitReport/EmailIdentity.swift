import RefkitModel

/// The person behind an email address, for spotting self-referrals and friends who submit twice.
///
/// Two spellings reach the same mailbox and count as one person: a `+tag` after the local part
/// (`marie+pain@example.fr` is `marie@example.fr` at most providers), and, at Gmail, dots in
/// the local part and the `googlemail.com` domain (`m.a.rie@googlemail.com` is `marie@gmail.com`).
public enum EmailIdentity {
    public static func key(_ email: String) -> String {
        let address = Referrer.normalize(email: email)
        guard let at = address.lastIndex(of: "@") else { return address }
        var local = String(address[..<at])
        var domain = String(address[address.index(after: at)...])
        if let plus = local.firstIndex(of: "+"), plus != local.startIndex { local = String(local[..<plus]) }
        if domain == "googlemail.com" { domain = "gmail.com" }
        if domain == "gmail.com" { local.removeAll { $0 == "." } }
        return local + "@" + domain
    }
}
