import RefkitModel

/// What the mail layout shows for one draft, as text (the layout escapes it) except `body`,
/// which is HTML. An empty value hides its block: `link` the button, `code` the code box, the
/// two incentives their box.
struct LayoutValues {
    var language: LanguageTag
    var brand: String
    var title = ""
    var preheader = ""
    var body = ""
    var link = ""
    var code = ""
    var firstName = ""
    var incentiveReferrer = ""
    var incentiveFriend = ""

    init(language: LanguageTag, brand: String) {
        self.language = language
        self.brand = brand
    }

    /// Every value set, for checking a layout's variable names.
    static var sample: LayoutValues {
        var v = LayoutValues(language: LanguageTag("en")!, brand: "x")
        v.title = "x"; v.preheader = "x"; v.body = "x"; v.link = "https://x"; v.code = "x"; v.firstName = "x"
        v.incentiveReferrer = "x"; v.incentiveFriend = "x"
        return v
    }

    /// The layout's variables; see `site-templates/mail/layout.mustache` for what each is.
    func variables(color: String, logoURL: String, senderName: String, senderAddress: String, chrome: MailChrome) -> MailVariables {
        let v = MailVariables()
        v.set("lang", language.rawValue)
        v.set("dir", EmailHTML.direction(language.language))
        v.set("title", title)
        v.set("preheader", preheader)
        v.set("body", body)
        v.set("brand", brand)
        v.set("color", color)
        v.set("logo_url", logoURL)
        v.set("link", link)
        v.set("button_label", chrome.button)
        v.set("code", code)
        v.set("code_label", chrome.codeLabel)
        v.set("first_name", firstName)
        v.set("incentive_referrer", incentiveReferrer)
        v.set("incentive_friend", incentiveFriend)
        v.set("you_get", chrome.youGet)
        v.set("friend_gets", chrome.friendGets)
        v.set("sender_name", senderName)
        v.set("sender_address", senderAddress)
        v.set("why", chrome.why(brand: brand))
        return v
    }

    /// The blocks and the footer as plain text, for the end of the text/plain part: each label
    /// on its own line above its value, so that no language's punctuation is needed.
    func text(senderName: String, senderAddress: String, chrome: MailChrome) -> String {
        var out = ""
        func block(_ label: String, _ value: String) {
            if !out.isEmpty { out += "\n\n" }
            out += label + "\n" + value
        }
        if !incentiveFriend.isEmpty {
            block(chrome.friendGets, incentiveFriend)
            block(chrome.youGet, incentiveReferrer)
        }
        if !code.isEmpty { block(chrome.codeLabel, code) }
        if !link.isEmpty { block(chrome.button, link) }
        if !out.isEmpty { out += "\n\n" }
        out += "----\n"
        let sender = [senderName, senderAddress].filter { !$0.isEmpty }.joined(separator: ", ")
        if !sender.isEmpty { out += sender + "\n" }
        out += chrome.why(brand: brand)
        return out
    }
}
