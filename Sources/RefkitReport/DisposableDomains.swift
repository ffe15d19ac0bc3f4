/// Throwaway-address services: a friend "from" one of them is held for confirmation when bare
/// submissions earn rewards. A short list of the long-lived, widely used services (each has been
/// running for years and is in every public blocklist); a user adds more in
/// `content/disposable-domains.txt`. Subdomains count (`x.mailinator.com`).
public enum DisposableDomains {
    public static let shipped: Set<String> = [
        "10minutemail.com", "10minutemail.net", "20minutemail.com", "33mail.com", "anonaddy.me", "burnermail.io",
        "discard.email", "dispostable.com", "dropmail.me", "emailondeck.com", "fakeinbox.com", "fakemail.net",
        "getairmail.com", "getnada.com", "guerrillamail.biz", "guerrillamail.com", "guerrillamail.de", "guerrillamail.info",
        "guerrillamail.net", "guerrillamail.org", "guerrillamailblock.com", "grr.la", "harakirimail.com", "inboxkitten.com",
        "jetable.org", "mail-temp.com", "maildrop.cc", "mailinator.com", "mailinator.net", "mailnesia.com",
        "mailpoof.com", "mintemail.com", "mohmal.com", "moakt.com", "mytemp.email", "nada.email", "sharklasers.com",
        "spam4.me", "spamgourmet.com", "tempail.com", "temp-mail.io", "temp-mail.org", "tempmail.com", "tempmail.net",
        "tempmailo.com", "tempr.email", "throwawaymail.com", "trashmail.com", "trashmail.de", "trashmail.net",
        "yopmail.com", "yopmail.fr", "yopmail.net",
    ]

    /// The listed domain `domain` is or is under, if any.
    static func match(_ domain: String, in list: Set<String>) -> String? {
        var d = Substring(domain)
        while true {
            if list.contains(String(d)) { return String(d) }
            guard let dot = d.firstIndex(of: ".") else { return nil }
            d = d[d.index(after: dot)...]
        }
    }
}
