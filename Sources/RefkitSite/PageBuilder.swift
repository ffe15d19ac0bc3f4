import Foundation
import RefkitModel
import RefkitQR

/// Builds the template context of each page. The names here are the template variables
/// documented in README.md; every user value is passed raw for Mustache to escape as HTML,
/// except the few `*_html`, `*_svg` and `json_ld` values, which are built safe here and go
/// into templates with `{{{ }}}`.
struct PageBuilder: Sendable {
    let project: Project
    let today: Day
    let assets: AssetPaths

    enum Kind: String {
        case landing, personal, thanks, terms, progress, leaderboard, notFound = "404"
    }

    /// One page's data before it becomes a Mustache context.
    struct Page {
        var values: [String: Any]
        /// Named objects that templates read with dotted names; made strict.
        var objects: [String: [String: Any]]

        /// Mustache treats an empty string as true in sections, so presence is a separate flag.
        mutating func setJSONLD(_ json: String) {
            objects["page"]!["json_ld"] = json
            objects["page"]!["has_json_ld"] = !json.isEmpty
        }

        func context(misses: MissLog) -> StrictContext {
            var root = values
            for (name, object) in objects { root[name] = strict(name, object, misses) }
            return StrictContext("", root, misses: misses)
        }

        private func strict(_ name: String, _ object: [String: Any], _ misses: MissLog) -> StrictContext {
            var values = object
            for (key, value) in object {
                if let nested = value as? [String: Any] { values[key] = strict(name + "." + key, nested, misses) }
            }
            return StrictContext(name, values, misses: misses)
        }
    }

    var site: Site { project.site }

    // MARK: Pages

    /// A landing page: the control at the programme's path, a variant under `v/NAME/`.
    func landing(_ program: Program, _ edition: ProgramEdition, variant: String) -> Page {
        let home = project.path(of: program, language: edition.language)
        let isControl = variant == Variant.controlName
        let folder = isControl ? home : home + "v/\(variant)/"
        var page = base(.landing, program, edition, folder: folder)
        page.objects["form"] = form(program, edition, folder: folder, code: "", variant: variant)
        page.setJSONLD(faqJSONLD(edition, url: site.url(home)))
        // Search engines see one page: variants point to the control.
        page.objects["page"]!["canonical_url"] = site.url(home)
        if isControl, program.splitsClients, !edition.variants.isEmpty {
            let root = page.values["root"] as! String
            let arms = program.arms.map { arm in
                "{\"name\":\(Escape.jsonString(arm.name)),\"weight\":\(arm.weight),\"url\":\(Escape.jsonString(arm.name == Variant.controlName ? "" : "v/\(arm.name)/"))}"
            }
            page.objects["page"]!["splits"] = true
            page.objects["page"]!["split_json"] = "{\"program\":\(Escape.jsonString(program.slug)),\"arms\":[\(arms.joined(separator: ","))]}"
            page.objects["assets"]!["split_js"] = root + assets.themePath("split.js")
        }
        return page
    }

    func simple(_ kind: Kind, _ program: Program, _ edition: ProgramEdition) -> Page {
        let home = project.path(of: program, language: edition.language)
        let folder: String
        switch kind {
        case .thanks: folder = home + "thanks/"
        case .terms: folder = home + "terms/"
        default: folder = ""
        }
        var page = base(kind, program, edition, folder: folder)
        if kind == .thanks || kind == .notFound { page.objects["page"]!["noindex"] = true }
        return page
    }

    /// The values of a personal page that differ from one referrer to the next within one
    /// programme edition and variant. Everything else on the page is the same for all of them,
    /// which is what lets `PagePrototype` render the page once and fill these in.
    struct PersonalValues {
        var firstName: String
        var code: String
        var pageURL: String
        var qrSVG: String
        var emailURL: String
        var whatsappURL: String
        var lineURL: String
        var invitation: String
        var intro: String
        var jsonLD: String
        /// The mask of the QR code in `qrSVG`, for the renderer's cache; nil without one.
        var qrKnown: QRKnownMask? = nil

        /// In a fixed order, for the prototype's holes.
        var all: [String] {
            get { [firstName, code, pageURL, qrSVG, emailURL, whatsappURL, lineURL, invitation, intro, jsonLD] }
            set {
                (firstName, code, pageURL, qrSVG, emailURL, whatsappURL, lineURL, invitation, intro, jsonLD) =
                    (newValue[0], newValue[1], newValue[2], newValue[3], newValue[4], newValue[5], newValue[6], newValue[7], newValue[8], newValue[9])
            }
        }
    }

    /// What the personal pages of one programme edition share, worked out once: the strings,
    /// the share message around its link, and the structured data around its URL.
    struct PersonalCopy: Sendable {
        let strings: Strings
        /// The share message with the brand filled in, split where the link goes.
        let messageParts: [String]
        let subject: String
        let qrLabel: String
        /// The FAQ's JSON-LD before and after the page's URL; nil without a FAQ.
        let jsonLD: (head: String, tail: String)?
    }

    func personalCopy(_ program: Program, _ edition: ProgramEdition) -> PersonalCopy {
        let t = strings(edition.language)
        return PersonalCopy(strings: t.strings,
                            messageParts: t.format("personal.share_message", ["brand": site.name]).components(separatedBy: "{link}"),
                            subject: t.format("personal.share_subject", ["brand": site.name]),
                            qrLabel: t["personal.qr"],
                            jsonLD: faqJSONLDParts(edition))
    }

    /// What a personal page's QR code opens.
    func qrURL(_ invitation: Invitation) -> String {
        site.url(invitation.path) + "?utm_source=qr&utm_medium=share"
    }

    /// `qrMasks`: the masks known from the last build, so that a known URL is encoded with its
    /// mask instead of scoring all eight (the same symbol, about a tenth of the time).
    func personalValues(_ invitation: Invitation, _ copy: PersonalCopy, withQR: Bool = true,
                        qrMasks: QRMaskCache = QRMaskCache()) -> PersonalValues {
        let t = LocalStrings(copy.strings)
        let name = invitation.referrer.firstName
        let link = site.url(invitation.path)
        // Percent-encoding works character by character, so the message's parts are encoded
        // apart and joined by the encoded link.
        let message = copy.messageParts.map(Escape.urlComponent).joined(separator: Escape.urlComponent(link))
        // The QR code is most of a page's cost when its mask is not known; a progress page
        // does without it.
        let matrix = withQR ? try? QRMatrix(encoding: qrURL(invitation), cache: qrMasks) : nil
        let qr = matrix?.svg(moduleSize: 4, quietZone: 4, label: copy.qrLabel) ?? ""
        return PersonalValues(
            firstName: name,
            code: invitation.code.formatted(group: site.codes.group),
            pageURL: link,
            qrSVG: qr,
            emailURL: "mailto:?subject=\(Escape.urlComponent(copy.subject))&body=\(message)",
            whatsappURL: "https://wa.me/?text=\(message)",
            lineURL: "https://line.me/R/msg/text/?\(message)",
            invitation: name.isEmpty ? unnamed("personal.invitation", t) : t.format("personal.invitation", ["name": name, "brand": site.name]),
            intro: name.isEmpty ? unnamed("personal.intro", t) : t.format("personal.intro", ["name": name, "brand": site.name]),
            jsonLD: copy.jsonLD.map { $0.head + Escape.jsonString(link) + $0.tail } ?? "",
            qrKnown: matrix?.knownMask)
    }

    /// The nameless form of a personal-page string (`personal.invitation_unnamed`), for a
    /// referrer with no given name to show. A theme made before those strings existed gets the
    /// brand as the invitation and no intro: a sentence with a gap where the name was would
    /// read broken in every language.
    func unnamed(_ key: String, _ t: LocalStrings) -> String {
        if t.strings[key + "_unnamed"] != nil { return t.format(key + "_unnamed", ["brand": site.name]) }
        return key == "personal.invitation" ? site.name : ""
    }

    /// A personal page. Every page of one edition and variant has the same folder depth
    /// (`r/CODE/`), so the page is the same apart from `values`.
    func personal(_ values: PersonalValues, _ program: Program, _ edition: ProgramEdition, variant: String) -> Page {
        var page = base(.personal, program, edition, folder: "r/code/")
        page.objects["page"]!["noindex"] = true
        page.objects["page"]!["alternates"] = [[String: Any]]()
        page.objects["page"]!["url"] = values.pageURL
        page.objects["page"]!["canonical_url"] = values.pageURL
        page.objects["form"] = form(program, edition, folder: "r/code/", code: values.code, variant: variant)
        page.objects["referrer"] = [
            "first_name": values.firstName,
            "code": values.code,
            "page_url": values.pageURL,
            "qr_svg": values.qrSVG,
            "share": [
                "email_url": values.emailURL,
                "whatsapp_url": values.whatsappURL,
                "line_url": values.lineURL,
            ] as [String: Any],
        ]
        page.objects["text"]!["invitation"] = values.invitation
        page.objects["text"]!["intro"] = values.intro
        page.objects["page"]!["title"] = values.invitation
        page.setJSONLD(values.jsonLD)
        return page
    }

    // MARK: Parts

    func base(_ kind: Kind, _ program: Program, _ edition: ProgramEdition, folder: String) -> Page {
        // Relative links keep the site working under any base path and from a local folder;
        // the 404 page is served at whatever address was missing, so it links from the site
        // root: the path exactly as written in base_url. A decoded one (`URL.path`) turns
        // `/%2F%2Fevil.example/` into `///evil.example/`, which loads the theme script from
        // another site.
        let root = kind == .notFound ? Self.rootPath(site.baseURL) : String(repeating: "../", count: folder.split(separator: "/").count)
        let t = strings(edition.language)
        let home = project.path(of: program, language: edition.language)
        let title: String
        switch kind {
        case .landing, .personal: title = edition.title ?? edition.headline
        case .progress: title = t["progress.title"]
        case .leaderboard: title = t["leaderboard.title"]
        case .thanks: title = t["thanks.title"]
        case .terms: title = t["terms.title"]
        case .notFound: title = t["notfound.title"]
        }
        let description = edition.description ?? edition.subheadline ?? String(edition.body.text.prefix(155))
        let imageURL = assets.contentPath(edition.image).map(site.url)
        var alternates: [[String: Any]] = []
        if kind == .landing || kind == .terms {
            let suffix = kind == .terms ? "terms/" : ""
            alternates = program.editions.map { e in
                ["lang": e.language.rawValue, "url": site.url(project.path(of: program, language: e.language) + suffix)]
            }
            alternates.append(["lang": "x-default", "url": site.url(project.path(of: program, language: program.defaultEdition.language) + suffix)])
        }
        let languages: [[String: Any]] = program.editions.map { e in
            ["lang": e.language.rawValue, "name": strings(e.language)["language_name"],
             "url": root + project.path(of: program, language: e.language), "current": e.language == edition.language]
        }
        let ended = program.hasEnded(on: today)
        let deadline = program.ends.map { day in
            t.format(ended ? "deadline.ended" : "deadline.ends", ["date": day.longText(in: edition.language)])
        } ?? ""
        let steps = (edition.steps ?? t.list("steps.default")).enumerated().map { ["number": $0.offset + 1, "text": $0.element] as [String: Any] }
        let tiers: [[String: Any]] = edition.tiers.map { tier in
            ["referrals": tier.referrals, "reward": tier.reward,
             "label": t.format(tier.referrals == 1 ? "tiers.count_one" : "tiers.count_other", ["count": String(tier.referrals)])]
        }
        let termsLink = "<a href=\"\(root)\(Escape.urlPath(home))terms/\">\(Markup.escape(t["form.terms_link"]))</a>"
        let programObject: [String: Any] = [
            "slug": program.slug,
            "headline": edition.headline,
            "subheadline": edition.subheadline ?? "",
            "has_subheadline": edition.subheadline != nil,
            "incentive": ["referrer": edition.incentive.referrer, "friend": edition.incentive.friend] as [String: Any],
            "cta": edition.cta,
            "steps": steps,
            "tiers": tiers,
            "sections": edition.sections.map { section in
                Dictionary(uniqueKeysWithValues: LandingSection.allCases.map { ("is_" + $0.rawValue, $0 == section) }) as [String: Any]
            },
            "has_tiers": !tiers.isEmpty,
            "testimonials": edition.testimonials.map { ["quote": $0.quote, "author": $0.author] },
            "has_testimonials": !edition.testimonials.isEmpty,
            "stats": edition.stats.map { ["value": $0.value, "label": $0.label] },
            "has_stats": !edition.stats.isEmpty,
            "faq": edition.faq.map { ["question": $0.question, "answer_html": $0.answer.html] },
            "has_faq": !edition.faq.isEmpty,
            "terms_html": edition.terms?.html ?? "",
            "has_terms": edition.terms != nil,
            "body_html": edition.body.html,
            "has_body": !edition.body.isEmpty,
            "image_url": assets.contentPath(edition.image).map { root + $0 } ?? "",
            "has_image": edition.image != nil,
            "is_limited": program.ends != nil,
            "has_ended": ended,
            "is_open": !ended,
            "ends_iso": program.ends?.description ?? "",
            "deadline_text": deadline,
            "home_url": root + Escape.urlPath(home),
            "terms_url": root + Escape.urlPath(home) + "terms/",
            "thanks_url": root + Escape.urlPath(home) + "thanks/",
        ]
        let logo = assets.contentPath(site.theme.logo).map { root + $0 } ?? ""
        let siteObject: [String: Any] = [
            "name": site.name,
            "url": site.baseURL,
            "language": site.language.rawValue,
            "color": site.theme.color,
            "logo_url": logo,
            "has_logo": !logo.isEmpty,
            "contact_email": site.contactEmail ?? "",
            "contact_url": site.contactEmail.map { "mailto:" + Escape.mailtoAddress($0) } ?? "",
            "has_contact": site.contactEmail != nil,
        ]
        let pageObject: [String: Any] = [
            "kind": kind.rawValue,
            "lang": edition.language.rawValue,
            "is_cjk": edition.language.isCJK,
            "title": title,
            "description": description,
            "url": site.url(folder),
            "canonical_url": site.url(folder),
            "image_url": imageURL ?? "",
            "has_image": imageURL != nil,
            "noindex": false,
            "alternates": alternates,
            "json_ld": "",
            "has_json_ld": false,
            "splits": false,
            "split_json": "",
        ]
        let assetObject: [String: Any] = [
            "css": root + assets.themePath("style.css"),
            "js": root + assets.themePath("refkit.js"),
            "split_js": "",
        ]
        let text: [String: Any] = [
            "deadline": deadline,
            "consent_html": Markup.escape(t["form.consent"]).replacingOccurrences(of: "{terms}", with: termsLink),
            "invitation": "",
            "intro": "",
        ]
        return Page(values: ["root": root, "languages": languages, "has_languages": languages.count > 1],
                    objects: ["site": siteObject, "page": pageObject, "program": programObject, "assets": assetObject,
                              "t": t.nested, "text": text, "form": [:], "referrer": [:], "progress": [:], "leaderboard": [:]])
    }

    private func form(_ program: Program, _ edition: ProgramEdition, folder: String, code: String, variant: String = Variant.controlName) -> [String: Any] {
        let home = project.path(of: program, language: edition.language)
        let root = String(repeating: "../", count: folder.split(separator: "/").count)
        let thanks = root + Escape.urlPath(home) + "thanks/"
        var form: [String: Any] = [
            "name": site.form.name, "code": code, "has_code": !code.isEmpty, "variant": variant,
            "netlify": false, "mailto": false, "method": "post", "enctype": "", "has_enctype": false, "action": thanks,
            "program": program.slug, "lang": edition.language.rawValue,
        ]
        switch site.form.provider {
        case .netlify:
            form["netlify"] = true
        case let .action(url):
            form["action"] = Escape.safeURL(url) ?? thanks
        case let .mailto(email):
            form["mailto"] = true
            form["has_enctype"] = true
            form["enctype"] = "text/plain"
            form["action"] = "mailto:\(Escape.mailtoAddress(email))?subject=\(Escape.urlComponent(site.name + " – " + edition.headline))"
        }
        return form
    }

    /// `FAQPage` structured data, escaped so that no value can close the script element.
    private func faqJSONLD(_ edition: ProgramEdition, url: String) -> String {
        faqJSONLDParts(edition).map { $0.head + Escape.jsonString(url) + $0.tail } ?? ""
    }

    /// The FAQ's JSON-LD before and after its URL, which is the only part that differs
    /// between the pages of one edition.
    private func faqJSONLDParts(_ edition: ProgramEdition) -> (head: String, tail: String)? {
        guard !edition.faq.isEmpty else { return nil }
        let items = edition.faq.map { entry in
            "{\"@type\":\"Question\",\"name\":\(Escape.jsonString(entry.question)),\"acceptedAnswer\":{\"@type\":\"Answer\",\"text\":\(Escape.jsonString(entry.answer.text))}}"
        }
        return ("{\"@context\":\"https://schema.org\",\"@type\":\"FAQPage\",\"url\":",
                ",\"inLanguage\":\(Escape.jsonString(edition.language.rawValue)),\"mainEntity\":[\(items.joined(separator: ","))]}")
    }

    /// The site's folder on its host, percent-encoding kept, always `/`-ended; `/` for an
    /// address `WebAddress` refuses (the loader refuses those first).
    static func rootPath(_ baseURL: String) -> String {
        guard let path = WebAddress(baseURL, kind: .siteFolder)?.path else { return "/" }
        return path.hasSuffix("/") ? path : path + "/"
    }

    func strings(_ language: LanguageTag) -> LocalStrings {
        LocalStrings(Theme.stringsFallback(project.theme, for: language) ?? Strings(language: language, file: "", values: [:]))
    }
}

extension Theme {
    /// The strings for a language, falling back from `zh-Hans` to `zh`.
    static func stringsFallback(_ theme: Theme, for language: LanguageTag) -> Strings? {
        theme.strings[language] ?? LanguageTag(language.language).flatMap { theme.strings[$0] }
    }
}

/// One language's interface strings with placeholder filling.
struct LocalStrings {
    let strings: Strings
    init(_ strings: Strings) { self.strings = strings }

    subscript(key: String) -> String { strings[key] ?? key }

    /// Fills `{name}` placeholders with values (as text: escaping is the template's job), in
    /// one pass: a value that itself contains `{brand}` stays as written.
    func format(_ key: String, _ values: [String: String]) -> String {
        let text = self[key]
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 32)
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"), let value = values[String(rest[rest.index(after: open)..<close])] else {
                out += "{"
                rest = rest[rest.index(after: open)...]
                continue
            }
            out += value
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    func list(_ key: String) -> [String] {
        var out: [String] = []
        while let item = strings["\(key).\(out.count)"] { out.append(item) }
        return out
    }

    /// The strings as nested dictionaries, for `{{t.form.submit}}`.
    var nested: [String: Any] {
        var root: [String: Any] = [:]
        for (key, value) in strings.values {
            let parts = key.split(separator: ".").map(String.init)
            root = Self.insert(value, at: parts[...], into: root)
        }
        return root
    }

    private static func insert(_ value: String, at path: ArraySlice<String>, into dict: [String: Any]) -> [String: Any] {
        var dict = dict
        guard let first = path.first else { return dict }
        if path.count == 1 { dict[first] = value } else {
            dict[first] = insert(value, at: path.dropFirst(), into: dict[first] as? [String: Any] ?? [:])
        }
        return dict
    }
}
