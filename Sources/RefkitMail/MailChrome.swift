import Foundation
import RefkitModel

/// The layout's own words in one language, from the theme's `i18n/LANG.yaml` (`mail.*` and the
/// landing page's `hero.you_get` and `hero.friend_gets`), with English when a theme made before
/// these keys existed lacks them.
struct MailChrome: Hashable, Sendable {
    /// The button's text: what the link does, never the URL.
    var button: String
    /// Above the code.
    var codeLabel: String
    var youGet: String
    var friendGets: String
    /// Why the recipient gets this email, with `{brand}` still in it.
    var why: String

    static let english = MailChrome(button: "Open your personal page", codeLabel: "Your invitation code",
                                    youGet: "You get", friendGets: "Your friend gets",
                                    why: "You are receiving this email because you take part in {brand}'s referral programme.")

    init(button: String, codeLabel: String, youGet: String, friendGets: String, why: String) {
        self.button = button
        self.codeLabel = codeLabel
        self.youGet = youGet
        self.friendGets = friendGets
        self.why = why
    }

    /// The strings for `language`, falling back from `zh-Hans` to `zh`, then key by key to English.
    init(_ strings: [LanguageTag: Strings], language: LanguageTag) {
        let found = strings[language] ?? LanguageTag(language.language).flatMap { strings[$0] }
        func text(_ key: String, _ fallback: String) -> String {
            HeaderText.clean(found?[key] ?? fallback)
        }
        let english = Self.english
        self.init(button: text("mail.button", english.button), codeLabel: text("mail.code", english.codeLabel),
                  youGet: text("hero.you_get", english.youGet), friendGets: text("hero.friend_gets", english.friendGets),
                  why: text("mail.why", english.why))
    }

    /// `why` with the brand filled in (as text: escaping is the layout's job). One pass, so a
    /// brand that contains `{brand}` stays as written.
    func why(brand: String) -> String {
        guard let range = why.range(of: "{brand}") else { return why }
        return why.replacingCharacters(in: range, with: brand)
    }
}
