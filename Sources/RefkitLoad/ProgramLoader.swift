import RefkitMarkdown
import RefkitModel

/// `content/programs/NAME.md` and `NAME.LANG.md` → `Program`s.
///
/// Each file is one edition. Translations must carry their own words for the required
/// fields (a page half in another language is worse than an error); fields that are not words
/// (the deadline, the hero image, tier thresholds) come from the default edition.
struct ProgramLoader {
    let site: Site
    let log: DiagnosticLog
    let assetExists: (String) -> Bool

    static let keys = ["headline", "subheadline", "incentive", "cta", "steps", "tiers", "ends", "testimonials",
                       "stats", "faq", "terms", "title", "description", "image", "postcard", "email", "variants", "split", "sections",
                       "reward_rule", "leaderboard"]
    /// What a variant may override.
    static let variantKeys = ["weight", "headline", "subheadline", "cta", "image", "incentive", "testimonials", "sections"]
    /// Slugs that would collide with the site's own folders.
    static let reservedSlugs: Set<String> = ["r", "v", "p", "leaderboard", "assets", "thanks", "terms", "index", "sitemap", "robots", "404"]

    struct File {
        var slug: String
        var language: LanguageTag?
        var path: String
        var text: String
    }

    /// Parses `NAME.md` / `NAME.LANG.md`; reports bad names.
    static func parseName(_ fileName: String, path: String, log: DiagnosticLog) -> (slug: String, language: LanguageTag?)? {
        guard fileName.hasSuffix(".md") else { return nil }
        let parts = fileName.dropLast(3).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let slug = parts[0]
        guard !slug.isEmpty, slug.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }),
              !slug.hasPrefix("-") else {
            log.add(SourceLocation(file: path), "\"\(slug)\" is not a usable programme name",
                    fix: "rename the file using lower-case letters, digits and hyphens, such as programs/spring-offer.md")
            return nil
        }
        if reservedSlugs.contains(slug) || (slug.count == 2 && slug.allSatisfy(\.isLetter)) {
            log.add(SourceLocation(file: path), "the programme name \"\(slug)\" is reserved (the site uses it for its own pages or a language)",
                    fix: "rename the file, for example programs/\(slug)-offer.md")
            return nil
        }
        switch parts.count {
        case 1: return (slug, nil)
        case 2:
            guard let tag = LanguageTag(parts[1]) else {
                log.add(SourceLocation(file: path), "\"\(parts[1])\" in the file name is not a language code",
                        fix: "name translations NAME.LANG.md with a BCP 47 code, such as \(slug).ja.md")
                return nil
            }
            return (slug, tag)
        default:
            log.add(SourceLocation(file: path), "the file name has too many dots", fix: "name it NAME.md or NAME.LANG.md")
            return nil
        }
    }

    func load(_ files: [File]) -> [Program] {
        var bySlug: [String: [File]] = [:]
        for file in files { bySlug[file.slug, default: []].append(file) }
        var programs: [Program] = []
        for slug in bySlug.keys.sorted() {
            let group = bySlug[slug]!
            guard let defaultFile = group.first(where: { $0.language == nil || $0.language == site.language }) else {
                log.add(SourceLocation(file: group[0].path), "programme \"\(slug)\" has translations but no \(slug).md in the site language (\(site.language))",
                        fix: "add content/programs/\(slug).md")
                continue
            }
            if group.filter({ $0.language == nil || $0.language == site.language }).count > 1 {
                log.add(SourceLocation(file: defaultFile.path), "programme \"\(slug)\" has two files in the site language (\(site.language))",
                        fix: "keep \(slug).md and remove \(slug).\(site.language).md")
            }
            guard let base = edition(defaultFile, language: site.language, base: nil) else { continue }
            var editions = [base.edition]
            let translations = group.filter { $0.language != nil && $0.language != site.language }
                .sorted { $0.language! < $1.language! }
            for file in translations {
                if let t = edition(file, language: file.language!, base: base) { editions.append(t.edition) }
            }
            var program = Program(slug: slug, editions: editions, ends: base.ends, controlWeight: base.controlWeight,
                                  splitsClients: base.splits, rewardRule: base.rewardRule)
            program.leaderboard = base.leaderboard
            programs.append(program)
        }
        return programs
    }

    typealias Loaded = (edition: ProgramEdition, ends: Day?, controlWeight: Double, splits: Bool, rewardRule: RewardRule?, leaderboard: Int)

    private func markdown(_ text: String) -> RichText {
        let r = Markdown.render(text, unsafe: site.unsafeHTML)
        return RichText(html: r.html, text: r.text)
    }

    private func edition(_ file: File, language: LanguageTag, base: Loaded?) -> Loaded? {
        guard let fm = FrontMatter.split(file.text) else {
            log.add(SourceLocation(file: file.path, line: 1), "the file does not start with front matter",
                    fix: "begin it with a line `---`, the programme's settings, and another `---` line")
            return nil
        }
        guard let root = YAMLValue.parse(fm.yaml, file: file.path, lineOffset: fm.lineOffset, log: log),
              let f = root.fields(Self.keys) else { return nil }
        let headline = f.required("headline", fix: "add `headline: ...`, the promise of the programme in a few words")?.nonEmptyText()
        let incentive = f.required("incentive", fix: "add `incentive:` with `referrer:` and `friend:` (a programme rewards both)")
            .flatMap { v -> Incentive? in
                guard let i = v.fields(["referrer", "friend"]) else { return nil }
                let referrer = i.required("referrer", fix: "add `referrer: ...`, what the customer who refers gets")?.nonEmptyText()
                let friend = i.required("friend", fix: "add `friend: ...`, what the friend gets")?.nonEmptyText()
                guard let referrer, let friend else { return nil }
                return Incentive(referrer: referrer, friend: friend)
            }
        let cta = f.required("cta", fix: "add `cta: ...`, the text of the main button")?.nonEmptyText()
        let steps = f["steps"].flatMap { $0.items()?.compactMap { $0.nonEmptyText() } }
        let tiers = f["tiers"].flatMap { loadTiers($0, base: base?.edition.tiers) } ?? base?.edition.tiers ?? []
        var ends = base?.ends
        if let v = f["ends"], let day = v.day() {
            if let base, base.ends != day {
                v.report("the deadline differs from the one in the default language (\(base.ends.map(\.description) ?? "none"))",
                         fix: "set `ends:` only in the default language's file")
            } else { ends = day }
        }
        let testimonials = f["testimonials"].flatMap(loadTestimonials) ?? []
        let stats = f["stats"]?.items()?.compactMap { item -> Stat? in
            guard let s = item.fields(["value", "label"]) else { return nil }
            guard let v = s.required("value")?.nonEmptyText(), let l = s.required("label")?.nonEmptyText() else { return nil }
            return Stat(value: v, label: l)
        } ?? []
        let faq = f["faq"]?.items()?.compactMap { item -> FAQEntry? in
            guard let q = item.fields(["q", "a"]) else { return nil }
            guard let question = q.required("q", fix: "add `q: ...`, the question")?.nonEmptyText(),
                  let answer = q.required("a", fix: "add `a: ...`, the answer in Markdown")?.nonEmptyText() else { return nil }
            return FAQEntry(question: question, answer: markdown(answer))
        } ?? []
        let terms = f["terms"]?.nonEmptyText().map(markdown) ?? nil
        let title = f["title"]?.nonEmptyText()
        let description = f["description"]?.nonEmptyText()
        var image = base?.edition.image
        if let v = f["image"], let path = v.nonEmptyText() {
            if assetExists(path) { image = path } else {
                v.report("the image \"\(path)\" is not in content/assets/", fix: "add the file to content/assets/ or correct the name")
            }
        }
        let postcard = f["postcard"].flatMap { v -> PostcardCopy? in
            guard let p = v.fields(["redeem", "terms"]) else { return nil }
            return PostcardCopy(redeem: p["redeem"]?.nonEmptyText(), terms: p["terms"]?.nonEmptyText())
        } ?? PostcardCopy()
        let email = f["email"].map(loadEmail) ?? [:]
        let sections = f["sections"].flatMap(loadSections) ?? base?.edition.sections ?? LandingSection.allCases
        var splits = base?.splits ?? false
        if let v = f["split"], let text = v.text() {
            if base != nil {
                v.report("`split` is set in the default language's file only")
            } else if text == "client" || text == "none" {
                splits = text == "client"
            } else {
                v.report("`split` \"\(text)\" is not a split", fix: "use `client` (the browser picks a variant) or leave it out")
            }
        }
        var rewardRule = base?.rewardRule
        if let v = f["reward_rule"], let text = v.text() {
            if base != nil {
                v.report("`reward_rule` is set in the default language's file only", fix: "remove it here")
            } else if let rule = RewardRule(rawValue: text) {
                rewardRule = rule
            } else {
                v.report("`reward_rule` \"\(text)\" is not a reward rule",
                         fix: "use `per_referral` (incentive.referrer for every friend), `tiers` (each tier once) or `both` (per referral, plus each tier as a bonus)")
            }
        }
        var (variants, controlWeight) = ([Variant](), base?.controlWeight ?? 1.0)
        if let v = f["variants"] {
            (variants, controlWeight) = loadVariants(v, base: base)
        } else if let base, !base.edition.variants.isEmpty {
            // Falling back to the default language's words would put French on a Japanese page.
            f.owner.report("the default language has variants " + base.edition.variants.map { "`\($0.name)`" }.joined(separator: ", ")
                           + " but this translation has none", fix: "add `variants:` with the same names and their copy in this language")
        }
        guard let headline, let incentive, let cta else { return nil }
        let edition = ProgramEdition(
            language: language, file: file.path, headline: headline, subheadline: f["subheadline"]?.nonEmptyText(),
            incentive: incentive, cta: cta, steps: steps, tiers: tiers, testimonials: testimonials, stats: stats,
            faq: faq, terms: terms, title: title, description: description, image: image,
            body: markdown(fm.body), email: email, postcard: postcard, variants: variants, sections: sections)
        if base == nil, rewardRule != nil, rewardRule != .perReferral, tiers.isEmpty, let v = f["reward_rule"] {
            v.report("`reward_rule: \(rewardRule!.rawValue)` needs tiers, and the programme has none",
                     fix: "add `tiers:` or use `reward_rule: per_referral`")
        }
        // `leaderboard: N`: how many referrers the programme's leaderboard shows; set once, in
        // the default language's file, as `ends` is.
        var leaderboard = base?.leaderboard ?? 0
        if let v = f["leaderboard"], let n = v.int() {
            if base != nil {
                v.report("`leaderboard` is set in the default language's file only", fix: "remove it from this translation")
            } else if !(1...100).contains(n) {
                v.report("`leaderboard` must be between 1 and 100 referrers, not \(n)", fix: "leave it out for no leaderboard, or use 10")
            } else {
                leaderboard = n
            }
        }
        return (edition, ends, controlWeight, splits, rewardRule, leaderboard)
    }

    private func loadTestimonials(_ value: YAMLValue) -> [Testimonial]? {
        value.items()?.compactMap { item -> Testimonial? in
            guard let t = item.fields(["quote", "author"]) else { return nil }
            guard let q = t.required("quote")?.nonEmptyText(), let a = t.required("author")?.nonEmptyText() else { return nil }
            return Testimonial(quote: q, author: a)
        }
    }

    private func loadSections(_ value: YAMLValue) -> [LandingSection]? {
        guard let items = value.items() else { return nil }
        var sections: [LandingSection] = []
        let names = LandingSection.allCases.map(\.rawValue)
        for item in items {
            guard let name = item.text() else { continue }
            guard let section = LandingSection(rawValue: name) else {
                item.report("unknown section `\(name)`", fix: Suggestion.fix(for: name, among: names))
                continue
            }
            if sections.contains(section) { item.report("the section `\(name)` is listed twice"); continue }
            sections.append(section)
        }
        return sections
    }

    /// `variants:` maps a short name to overrides of landing fields and a weight. In a
    /// translation the names must be the default language's, with no weights.
    private func loadVariants(_ value: YAMLValue, base: Loaded?) -> ([Variant], Double) {
        guard case let .mapping(mapping) = value.node else {
            value.report("`variants` should map variant names to their changes", fix: "write `variants:` then `b:` with `headline: ...` indented under it")
            return ([], base?.controlWeight ?? 1)
        }
        let names = Array(mapping.keys.compactMap(\.scalar?.string))
        guard let entries = value.fields(names) else { return ([], 1) }
        var controlWeight = base?.controlWeight ?? 1
        var variants: [Variant] = []
        // Looked up once per variant: dictionaries, so that many variants stay linear.
        let baseWeights = Dictionary(base?.edition.variants.map { ($0.name, $0.weight) } ?? [], uniquingKeysWith: { first, _ in first })
        for name in names {
            guard let v = entries.entries[name] else { continue }
            guard !name.isEmpty, name.allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }) else {
                v.report("the variant name \"\(name)\" is not usable in an address", fix: "use lower-case letters, digits and hyphens, such as `b` or `urgency`")
                continue
            }
            guard let f = v.fields(Self.variantKeys) else { continue }
            var weight = baseWeights[name] ?? 1
            if let w = f["weight"] {
                if base != nil {
                    w.report("weights are set in the default language's file only", fix: "remove `weight` here")
                } else if let n = w.double() {
                    if n > 0 { weight = n } else { w.report("the weight of variant `\(name)` must be more than 0", fix: "give it a positive share such as 1, or remove the variant") }
                }
            }
            if name == Variant.controlName {
                if f.entries.keys.contains(where: { $0 != "weight" }) {
                    v.report("variant `a` is the control, the page as written", fix: "only give it a `weight`; put changed copy in another variant such as `b`")
                }
                controlWeight = weight
                continue
            }
            if base != nil, baseWeights[name] == nil {
                v.report("the variant `\(name)` is not in the default language's file", fix: "add it there first, with its weight")
                continue
            }
            var o = VariantOverrides()
            o.headline = f["headline"]?.nonEmptyText()
            o.subheadline = f["subheadline"]?.nonEmptyText()
            o.cta = f["cta"]?.nonEmptyText()
            if let i = f["image"], let path = i.nonEmptyText() {
                if assetExists(path) { o.image = path } else { i.report("the image \"\(path)\" is not in content/assets/", fix: "add the file to content/assets/ or correct the name") }
            }
            if let inc = f["incentive"], let i = inc.fields(["referrer", "friend"]) {
                o.referrerIncentive = i["referrer"]?.nonEmptyText()
                o.friendIncentive = i["friend"]?.nonEmptyText()
            }
            o.testimonials = f["testimonials"].flatMap(loadTestimonials)
            o.sections = f["sections"].flatMap(loadSections)
            if o.isEmpty {
                v.report("variant `\(name)` changes nothing", fix: "override at least one of headline, subheadline, cta, image, incentive, testimonials or sections")
                continue
            }
            variants.append(Variant(name: name, weight: weight, overrides: o))
        }
        if let base {
            let here = Set(names)
            for missing in base.edition.variants where !here.contains(missing.name) {
                value.report("variant `\(missing.name)` of the default language is missing here", fix: "add `\(missing.name):` with its copy in this language")
            }
        }
        return (variants, controlWeight)
    }

    private func loadTiers(_ value: YAMLValue, base: [Tier]?) -> [Tier]? {
        guard let items = value.items() else { return nil }
        var tiers: [Tier] = []
        for item in items {
            guard let t = item.fields(["referrals", "reward"]) else { continue }
            guard let nValue = t.required("referrals", fix: "add `referrals: N`, how many friends unlock it"),
                  let n = nValue.int(), let reward = t.required("reward")?.nonEmptyText() else { continue }
            if n < 1 { nValue.report("`referrals` must be at least 1"); continue }
            if let last = tiers.last, n <= last.referrals {
                nValue.report("tiers must go up: \(n) comes after \(last.referrals)", fix: "list tiers from the fewest referrals to the most")
            }
            tiers.append(Tier(referrals: n, reward: reward))
        }
        if let base, tiers.map(\.referrals) != base.map(\.referrals) {
            value.report("the tiers' referral counts differ from the default language's (\(base.map { String($0.referrals) }.joined(separator: ", ")))",
                         fix: "translate the rewards but keep the same counts in the same order")
        }
        return tiers
    }

    private func loadEmail(_ value: YAMLValue) -> [String: EmailMessage] {
        guard case .mapping = value.node, let names = value.node.mapping.map({ Array($0.keys.compactMap(\.scalar?.string)) }),
              let f = value.fields(names) else {
            value.report("`email` should list messages by name (invite, promo, reminder, thanks)")
            return [:]
        }
        var messages: [String: EmailMessage] = [:]
        for name in names {
            guard let v = f[name], let m = v.fields(["subject", "body"]) else { continue }
            guard let subject = m.required("subject")?.nonEmptyText(), let body = m.required("body")?.nonEmptyText() else { continue }
            if subject.contains("\n") {
                m["subject"]?.report("the subject has a line break", fix: "write the subject on one line")
                continue
            }
            messages[name] = EmailMessage(subject: subject, body: body, location: v.location)
        }
        return messages
    }
}
