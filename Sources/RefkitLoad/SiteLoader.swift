import RefkitModel

/// `content/site.yaml` → `Site`.
enum SiteLoader {
    static let keys = ["name", "base_url", "language", "contact_email", "form", "theme", "main",
                       "unsafe_html", "codes", "print", "mail", "deploy", "report"]

    static func load(_ text: String, file: String, log: DiagnosticLog) -> Site? {
        guard let root = YAMLValue.parse(text, file: file, log: log), let f = root.fields(keys) else { return nil }
        let name = f.required("name", fix: "add `name: Your Brand`")?.oneLineText()
        let baseURL = f.required("base_url", fix: "add `base_url: https://example.com/`")?.webURL(.siteFolder)
        let language = f.required("language", fix: "add `language: fr` (the language of programs/NAME.md)")?.language()
        let contact = f["contact_email"]?.email()
        let form = loadForm(f["form"])
        let theme = loadTheme(f["theme"])
        let main = f["main"]?.nonEmptyText()
        let unsafeHTML = f["unsafe_html"]?.bool() ?? false
        let codes = loadCodes(f["codes"])
        let print = loadPrint(f["print"])
        let mail = loadMail(f["mail"])
        let deploy = loadDeploy(f["deploy"])
        let report = loadReport(f["report"])
        guard let name, let baseURL, let language else { return nil }
        var site = Site(name: name, baseURL: baseURL, language: language, contactEmail: contact, form: form,
                        theme: theme, main: main, unsafeHTML: unsafeHTML, codes: codes, print: print, mail: mail)
        site.deploy = deploy
        site.report = report
        return site
    }

    private static func loadReport(_ value: YAMLValue?) -> ReportSettings {
        guard let value, let f = value.fields(["rewards_from", "daily_limit"]) else { return ReportSettings() }
        var report = ReportSettings()
        if let v = f["rewards_from"], let t = v.text() {
            if let ground = ReportSettings.Ground(rawValue: t) { report.rewardsFrom = ground } else {
                v.report("`report.rewards_from` \"\(t)\" is not what rewards can count",
                         fix: "use `conversions` (friends who became customers, the default) or `submissions` (every form sent; the report then holds what looks like fraud until you confirm it)")
            }
        }
        if let v = f["daily_limit"], let n = v.int() {
            if (1...10_000).contains(n) { report.dailyLimit = n } else {
                v.report("`report.daily_limit` must be between 1 and 10000", fix: "5 holds a referrer's sixth form of a day")
            }
        }
        return report
    }

    private static func loadDeploy(_ value: YAMLValue?) -> DeploySettings {
        guard let value, let f = value.fields(["cname"]) else { return DeploySettings() }
        var deploy = DeploySettings()
        if let v = f["cname"], let host = v.nonEmptyText() {
            // A bare host name: GitHub Pages reads the file as one domain, without scheme or path.
            let labels = host.split(separator: ".", omittingEmptySubsequences: false)
            let valid = labels.count >= 2 && labels.allSatisfy { label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
            if valid { deploy.cname = host.lowercased() } else {
                v.report("`deploy.cname` \"\(host)\" is not a domain name", fix: "write the bare domain, for example refer.example.com (no https://, no path)")
            }
        }
        return deploy
    }

    private static func loadForm(_ value: YAMLValue?) -> FormSettings {
        guard let value, let f = value.fields(["provider", "action", "email", "name"]) else { return FormSettings() }
        let name = f["name"]?.oneLineText() ?? "referral"
        switch f["provider"]?.text() ?? "netlify" {
        case "netlify":
            return FormSettings(provider: .netlify, name: name)
        case "action":
            guard let url = f.required("action", fix: "add `action: https://...` (the address the form posts to)")?.webURL(.endpoint) else { return FormSettings() }
            return FormSettings(provider: .action(url: url), name: name)
        case "mailto":
            guard let email = f.required("email", fix: "add `email: you@example.com` (where the form's mail goes)")?.email() else { return FormSettings() }
            return FormSettings(provider: .mailto(email: email), name: name)
        case let other:
            f["provider"]?.report("unknown form provider \"\(other)\"", fix: "use netlify, action or mailto")
            return FormSettings()
        }
    }

    private static func loadTheme(_ value: YAMLValue?) -> ThemeSettings {
        guard let value, let f = value.fields(["color", "logo"]) else { return ThemeSettings() }
        var theme = ThemeSettings()
        if let color = f["color"], let text = color.text() {
            if isHexColor(text) { theme.color = text.lowercased() } else {
                color.report("`theme.color` \"\(text)\" is not a colour", fix: "write it as #RRGGBB, for example #8a3b12")
            }
        }
        theme.logo = f["logo"]?.nonEmptyText()
        return theme
    }

    static func isHexColor(_ text: String) -> Bool {
        text.count == 7 && text.first == "#" && text.dropFirst().allSatisfy(\.isHexDigit)
    }

    private static func loadCodes(_ value: YAMLValue?) -> CodeSettings {
        guard let value, let f = value.fields(["length", "group"]) else { return CodeSettings() }
        var codes = CodeSettings()
        if let v = f["length"], let n = v.int() {
            if (8...16).contains(n) { codes.length = n } else {
                v.report("`codes.length` must be between 8 and 16 symbols", fix: "8 symbols give 40 bits, enough to be unguessable")
            }
        }
        if let v = f["group"], let n = v.int() {
            if (0...8).contains(n) { codes.group = n } else { v.report("`codes.group` must be between 0 (no groups) and 8") }
        }
        return codes
    }

    private static func loadPrint(_ value: YAMLValue?) -> PrintSettings {
        guard let value, let f = value.fields(["size", "bleed_mm", "marks", "sheet", "cards_per_file", "pdf"]) else { return PrintSettings() }
        var print = PrintSettings()
        if let v = f["size"], let t = v.text() {
            if let size = CardSize(parsing: t) { print.size = size } else {
                v.report("`print.size` \"\(t)\" is not a card size", fix: "use A6, A5, 4x6in, 5x7in or WxHmm such as 99x210mm")
            }
        }
        if let v = f["bleed_mm"], let n = v.double() {
            if (0...10).contains(n) { print.bleedMM = n } else { v.report("`print.bleed_mm` must be between 0 and 10", fix: "print shops usually ask for 3") }
        }
        if let v = f["marks"], let b = v.bool() { print.marks = b }
        if let v = f["sheet"], let t = v.text() {
            if let sheet = SheetSize(rawValue: t.lowercased()) { print.sheet = sheet } else {
                v.report("`print.sheet` \"\(t)\" is not a sheet size", fix: "use A4 or Letter")
            }
        }
        if let v = f["cards_per_file"], let n = v.int() {
            if (1...5000).contains(n) { print.cardsPerFile = n } else { v.report("`print.cards_per_file` must be between 1 and 5000") }
        }
        if let v = f["pdf"], let t = v.text() {
            if let standard = PDFStandard(rawValue: t.lowercased()) { print.pdf = standard } else {
                v.report("`print.pdf` \"\(t)\" is not a PDF kind", fix: "use plain (RGB, as cairo writes it), x4 (PDF/X-4) or x1a (PDF/X-1a), as your print shop asks")
            }
        }
        return print
    }

    private static func loadMail(_ value: YAMLValue?) -> MailSettings {
        guard let value, let f = value.fields(["from", "reply_to", "scenario", "address", "follow_ups"]) else { return MailSettings() }
        var mail = MailSettings()
        mail.from = f["from"].flatMap(mailbox)
        mail.replyTo = f["reply_to"].flatMap(mailbox)
        if let v = f["scenario"], let t = v.nonEmptyText() { mail.scenario = t }
        mail.address = f["address"]?.nonEmptyText()
        if let v = f["follow_ups"] { mail.followUps = loadFollowUps(v) }
        return mail
    }

    /// `mail.follow_ups`: whole numbers of days (or nudges) within `FollowUpCadence.limits`.
    private static func loadFollowUps(_ value: YAMLValue) -> FollowUpCadence {
        var cadence = FollowUpCadence()
        guard let f = value.fields(FollowUpCadence.limits.map(\.key)) else { return cadence }
        for (key, range) in FollowUpCadence.limits {
            guard let v = f[key], let n = v.int() else { continue }
            guard range.contains(n) else {
                v.report("`mail.follow_ups.\(key)` must be between \(range.lowerBound) and \(range.upperBound), not \(n)",
                         fix: "leave it out for the default (nudge_after_days 14, nudge_max 2, friend_after_days 3, deadline_days_before 7)")
                continue
            }
            switch key {
            case "nudge_after_days": cadence.nudgeAfterDays = n
            case "nudge_max": cadence.nudgeMax = n
            case "friend_after_days": cadence.friendAfterDays = n
            default: cadence.deadlineDaysBefore = n
            }
        }
        return cadence
    }

    /// `Name <address>` or a bare address.
    static func mailbox(_ value: YAMLValue) -> Mailbox? {
        guard let text = value.nonEmptyText() else { return nil }
        var name: String?
        var address = text
        if text.hasSuffix(">"), let open = text.lastIndex(of: "<") {
            address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            let n = String(text[..<open]).trimmingWhitespace().trimmingCharacters(in: "\"")
            name = n.isEmpty ? nil : n
        }
        guard EmailCheck.isPlainAddress(address) else {
            value.report("\"\(text)\" is not a mailbox", fix: "write `Name <name@example.com>` or just `name@example.com` (a plain address: no ?cc= or ?bcc=)")
            return nil
        }
        return Mailbox(name: name, address: address)
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
