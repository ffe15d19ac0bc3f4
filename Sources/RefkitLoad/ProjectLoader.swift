import Foundation
import RefkitModel

/// Loads and validates a project folder: `content/` and `site-templates/` in, a `Project` out.
///
/// Every problem found is collected and thrown together as one `LoadError`, so a marketer
/// fixes a whole batch of typos per build instead of one.
public struct ProjectLoader {
    public let root: URL
    /// The folders a build writes (`--out` and `--kit`), by their names in messages: none may
    /// be inside `content/` or `site-templates/`, or refkit would read its own output.
    public let outputs: [(name: String, url: URL)]

    public init(root: URL, outputs: [(name: String, url: URL)]? = nil) {
        self.root = root
        self.outputs = outputs ?? [("site", root.appendingPathComponent("public")), ("kit", root.appendingPathComponent("kit"))]
    }

    /// The keys every strings file must have: those of the theme's English strings, which ship
    /// complete with the default theme, or else of the site language's file.
    static let referenceLanguages = ["en"]

    public func load() throws(LoadError) -> Project {
        let log = DiagnosticLog()
        let files = ProjectFiles(root: root, log: log)

        guard files.checkInputFolders(outputs: outputs) else { throw LoadError(log.items) }
        guard files.isFolder("content") else {
            throw LoadError([Diagnostic(SourceLocation(file: "content/"), "there is no content folder in \(root.path)",
                                        fix: "run refkit in a project folder, pass --root DIR, or create one with `refkit init DIR`")])
        }
        guard files.exists("content/site.yaml") else {
            throw LoadError([Diagnostic(SourceLocation(file: "content/site.yaml"), "the site settings file is missing",
                                        fix: "create it with at least `name:`, `base_url:` and `language:`")])
        }
        guard let siteText = files.text("content/site.yaml"),
              let site = SiteLoader.load(siteText, file: "content/site.yaml", log: log) else {
            throw LoadError(log.items)
        }

        // Assets first: programmes and the theme refer to them by name.
        var assets: [Asset] = []
        for file in files.list("content/assets", recursive: true) {
            if let data = files.data(file) {
                assets.append(Asset(path: String(file.dropFirst("content/assets/".count)), bytes: data))
            }
        }
        let assetNames = Set(assets.map(\.path))
        if let logo = site.theme.logo, !assetNames.contains(logo) {
            log.add(SourceLocation(file: "content/site.yaml"), "the logo \"\(logo)\" is not in content/assets/",
                    fix: "add the file to content/assets/ or correct `theme.logo`")
        }

        var programFiles: [ProgramLoader.File] = []
        for path in files.list("content/programs") {
            let name = String(path.split(separator: "/").last!)
            guard name.hasSuffix(".md") else { continue }
            guard let parsed = ProgramLoader.parseName(name, path: path, log: log),
                  let text = files.text(path) else { continue }
            programFiles.append(.init(slug: parsed.slug, language: parsed.language, path: path, text: text))
        }
        var programs = ProgramLoader(site: site, log: log, assetExists: assetNames.contains).load(programFiles)
        if programFiles.isEmpty {
            log.add(SourceLocation(file: "content/programs/"), "there is no programme",
                    fix: "add content/programs/NAME.md with a headline, both incentives and a call to action")
        }
        programs = orderMain(programs, site: site, log: log)

        let theme = ThemeLoader(files: files, log: log).load()
        checkStrings(theme, programs: programs, site: site, log: log)
        checkMail(programs, site: site, log: log)

        // Referrers last: their languages and programmes are checked against the programmes.
        var referrers: [Referrer] = []
        if files.exists("content/referrers.csv"), !programs.isEmpty, let data = files.data("content/referrers.csv") {
            let loaded = ReferrerLoader.load(data, file: "content/referrers.csv", site: site, programs: programs)
            referrers = loaded.referrers
            log.add(contentsOf: loaded.diagnostics)
        }

        // The report's private inputs: the coupon bank, checked referrals, more disposable domains.
        var coupons: [Coupon] = [], confirmations: [Confirmation] = [], disposable: [String] = []
        if files.exists(CouponLoader.file), !programs.isEmpty, let data = files.data(CouponLoader.file) {
            coupons = CouponLoader.load(data, programs: programs, log: log)
        }
        if files.exists(ConfirmationLoader.file), let data = files.data(ConfirmationLoader.file) {
            confirmations = ConfirmationLoader.load(data, log: log)
        }
        if files.exists(DisposableDomainLoader.file), let text = files.text(DisposableDomainLoader.file) {
            disposable = DisposableDomainLoader.load(text, log: log)
        }
        var unsubscribed = Unsubscribed()
        if files.exists(Unsubscribed.file), let data = files.data(Unsubscribed.file) {
            let loaded = UnsubscribedLoader.load(data, file: Unsubscribed.file)
            unsubscribed = loaded.0
            log.add(contentsOf: loaded.1)
        }

        guard log.isEmpty, !programs.isEmpty else { throw LoadError(log.items) }
        var project = Project(site: site, programs: programs, referrers: referrers, theme: theme, assets: assets, inputs: files.inputs)
        project.coupons = coupons
        project.confirmations = confirmations
        project.disposableDomains = disposable
        project.unsubscribed = unsubscribed
        project.warnings = Self.nameWarnings(referrers, file: "content/referrers.csv")
            + CouponLoader.unusedBanks(coupons, programs: programs)
        return project
    }

    /// One warning per referrer whose page shows no name: no `first_name`, and a name that does
    /// not say which part is the given name (`Referrer.firstName(fromName:language:)`). The page
    /// then greets the friend without one; a surname is never guessed onto a public page.
    ///
    /// And one per `first_name` that a public list must not show (an address, the family name):
    /// the leaderboard falls back to the given name in `name` (`Referrer.publicName`).
    static func nameWarnings(_ referrers: [Referrer], file: String) -> [Diagnostic] {
        // Comparing each first name with its name's words folds case and accents: at 100,000
        // referrers that is a second of one core, so the rows are split across all of them.
        let chunks = max(1, min(referrers.count / 1_000, 4 * ProcessInfo.processInfo.activeProcessorCount))
        let results = Locked([[Diagnostic]](repeating: [], count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (referrers.count * chunk / chunks)..<(referrers.count * (chunk + 1) / chunks)
            let found = nameWarnings(referrers[range], file: file)
            results.withLock { $0[chunk] = found }
        }
        return results.current.flatMap { $0 }
    }

    private static func nameWarnings(_ referrers: ArraySlice<Referrer>, file: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for r in referrers {
            if r.firstName.isEmpty {
                out.append(Diagnostic(SourceLocation(file: file, line: r.line),
                                      "the name \"\(r.name)\" does not show which part is the given name, so the personal page and postcard show no name",
                                      fix: "add a `first_name` column and fill it in for this row (the name a friend may see, such as 花子 for 山田花子)"))
            } else if let concern = r.firstNameConcern {
                let shown = r.publicName
                out.append(Diagnostic(SourceLocation(file: file, line: r.line),
                                      "first_name \"\(VisibleText.escaped(r.firstName))\" \(concern); personal pages show it as it is, and a leaderboard shows "
                                      + (shown.isEmpty ? "no one in its place" : "\"\(shown)\" instead"),
                                      fix: "put only the given name in first_name (Marie for Marie Dupont, 花子 for 山田 花子)"))
            }
        }
        return out
    }

    /// Puts the main programme first: `main:` in site.yaml, or the only one.
    private func orderMain(_ programs: [Program], site: Site, log: DiagnosticLog) -> [Program] {
        guard !programs.isEmpty else { return programs }
        if let main = site.main {
            guard let index = programs.firstIndex(where: { $0.slug == main }) else {
                log.add(SourceLocation(file: "content/site.yaml"), "`main: \(main)` names no programme",
                        fix: "use one of: " + programs.map(\.slug).joined(separator: ", "))
                return programs
            }
            var ordered = programs
            ordered.insert(ordered.remove(at: index), at: 0)
            return ordered
        }
        if programs.count > 1 {
            log.add(SourceLocation(file: "content/site.yaml"), "there are \(programs.count) programmes and no `main:`",
                    fix: "add `main: \(programs[0].slug)` to say which one is the home page")
        }
        return programs
    }

    /// Every language a page is made in needs complete interface strings.
    private func checkStrings(_ theme: Theme, programs: [Program], site: Site, log: DiagnosticLog) {
        let reference = Self.referenceLanguages.compactMap(LanguageTag.init).compactMap { theme.strings[$0] }.first
            ?? theme.strings[site.language]
        let used = Set(programs.flatMap(\.languages))
        for language in used.sorted() {
            guard let strings = Theme.strings(theme, for: language) else {
                // A strings file that is there but was refused (too big, aliases) has its own
                // error already; "add en.yaml" beside it would send the user the wrong way.
                let candidates = Set([language.rawValue, language.language].map { "site-templates/i18n/\($0).yaml" })
                if log.items.contains(where: { candidates.contains($0.location.file) }) { continue }
                log.add(SourceLocation(file: "site-templates/i18n/"), "there are no interface strings for \(language)",
                        fix: "add site-templates/i18n/\(language.language).yaml (copy en.yaml and translate it)")
                continue
            }
            guard let reference else { continue }
            let missing = Set(reference.values.keys).subtracting(strings.values.keys).sorted()
            if !missing.isEmpty {
                log.add(SourceLocation(file: strings.file), "missing \(missing.count) string(s): " + missing.prefix(8).joined(separator: ", "),
                        fix: "copy them from \(reference.file) and translate them")
            }
        }
    }

    /// The kit's drafts use `mail.scenario`: every edition that has emails must have it.
    private func checkMail(_ programs: [Program], site: Site, log: DiagnosticLog) {
        for edition in programs.flatMap(\.editions) where !edition.email.isEmpty && edition.email[site.mail.scenario] == nil {
            log.add(SourceLocation(file: edition.file), "`email:` has no `\(site.mail.scenario)` message, the scenario site.yaml's `mail.scenario` picks",
                    fix: "add `\(site.mail.scenario):` with a subject and body under `email:`")
        }
    }
}
