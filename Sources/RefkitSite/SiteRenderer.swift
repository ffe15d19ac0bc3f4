import Foundation
import Mustache
import RefkitModel
import RefkitMustache
import RefkitQR

/// Renders the public site: landing, thanks and terms pages per programme and language,
/// personal pages per active referrer, the 404 page, sitemap, robots and assets.
///
/// Model in, files out through an `OutputSink`; it never reads the file system.
public struct SiteRenderer: Sendable {
    public let project: Project
    public let invitations: [Invitation]
    public let today: Day
    let library: MustacheLibrary
    let templates: [String: TemplateSource]
    /// The fingerprint of everything the site is made from apart from the referrers (content,
    /// theme, settings, refkit itself). With it, each personal page is stamped with its inputs
    /// and a page whose inputs did not change is carried over from the last build unrendered.
    public var inputsKey: String?
    /// Fill personal pages in from prototypes; off only in tests that compare with full renders.
    var usesPrototypes = true

    /// The layouts a theme must have, one per page kind.
    public static let layouts = ["landing", "personal", "thanks", "terms", "404", "progress", "leaderboard"]

    public init(project: Project, invitations: [Invitation], today: Day) throws(SiteError) {
        self.project = project
        self.invitations = invitations
        self.today = today
        var library = MustacheLibrary()
        var problems: [Diagnostic] = []
        for (name, source) in project.theme.templates {
            // The loader already parsed every template; a failure here cannot carry more detail.
            guard let template = try? HTMLTemplate.parse(source.text) else { continue }
            library.register(template, named: name)
            if name.hasPrefix("partials/") { library.register(template, named: String(name.dropFirst("partials/".count))) }
        }
        for layout in Self.layouts where project.theme.templates["layouts/" + layout] == nil {
            problems.append(Diagnostic(SourceLocation(file: "site-templates/layouts/\(layout).mustache"), "the theme has no \(layout) layout",
                                       fix: "copy it from a new project made with `refkit init`"))
        }
        guard problems.isEmpty else { throw SiteError(problems) }
        self.library = library
        self.templates = project.theme.templates
    }

    /// What was rendered, for the build summary.
    public struct Summary: Hashable, Sendable {
        public var landingPages = 0
        public var variantPages = 0
        public var personalPages = 0
        /// Personal pages carried over from the last build because nothing they show changed.
        public var reusedPersonalPages = 0
        /// Progress pages (`p/TOKEN/`), and of them those carried over unchanged.
        public var progressPages = 0
        public var reusedProgressPages = 0
        public var leaderboardPages = 0
        public var otherPages = 0
        public var assets = 0
        public init() {}
    }

    public func render(to sink: any OutputSink) throws -> Summary {
        var summary = Summary()
        let assets = AssetPaths(project: project)
        for asset in assets.themeFiles {
            try sink.add(OutputFile(area: .site, path: asset.path, bytes: asset.bytes))
            summary.assets += 1
        }
        for asset in project.assets {
            try sink.add(OutputFile(area: .site, path: "assets/" + asset.path, bytes: asset.bytes))
            summary.assets += 1
        }
        let pages = PageBuilder(project: project, today: today, assets: assets)
        for program in project.programs {
            for edition in program.editions {
                let base = project.path(of: program, language: edition.language)
                try render("landing", pages.landing(program, edition, variant: Variant.controlName), at: base, to: sink)
                // Each variant is a full page of its own; its canonical link names the control.
                for variant in edition.variants {
                    try render("landing", pages.landing(program, edition.applying(variant: variant.name), variant: variant.name),
                               at: base + "v/\(variant.name)/", to: sink)
                    summary.variantPages += 1
                }
                try render("thanks", pages.simple(.thanks, program, edition), at: base + "thanks/", to: sink)
                try render("terms", pages.simple(.terms, program, edition), at: base + "terms/", to: sink)
                summary.landingPages += 1
                summary.otherPages += 2
            }
        }
        let previousMasks = sink.previousBytes(area: .kit, path: Self.qrMaskPath)
        let qrMasks = QRMaskCache(reading: previousMasks)
        let learned = LearnedMasks([:])
        let personal = try renderPersonalPages(pages, qrMasks: qrMasks, learned: learned, to: sink)
        try sink.add(qrMaskFile(pages, previous: qrMasks, previousBytes: previousMasks, learned: learned))
        summary.personalPages = personal.rendered + personal.reused
        summary.reusedPersonalPages = personal.reused
        let progress = try renderProgressPages(pages, to: sink)
        summary.progressPages = progress.rendered + progress.reused
        summary.reusedProgressPages = progress.reused
        summary.leaderboardPages = try renderLeaderboards(pages, to: sink)
        let main = project.mainProgram
        try render("404", pages.simple(.notFound, main, main.defaultEdition), at: "", file: "404.html", to: sink)
        summary.otherPages += 1
        try sink.add(OutputFile(area: .site, path: "sitemap.xml", text: Sitemap(project: project).xml()))
        try sink.add(OutputFile(area: .site, path: "robots.txt", text: """
            User-agent: *
            Disallow: /r/
            Disallow: /p/
            Sitemap: \(project.site.url("sitemap.xml"))

            """))
        return summary
    }

    func render(_ layout: String, _ page: PageBuilder.Page, at folder: String, file: String = "index.html",
                        to sink: any OutputSink) throws {
        try sink.add(OutputFile(area: .site, path: folder + file, text: html(layout, page)))
    }

    /// A page through its layout, with every variable the templates asked for and did not find
    /// reported as an error (file, name, and the closest known name).
    func html(_ layout: String, _ page: PageBuilder.Page) throws -> String {
        let misses = MissLog()
        let root = page.context(misses: misses)
        guard let html = library.render(root, withTemplate: "layouts/" + layout) else {
            throw SiteError([Diagnostic(SourceLocation(file: "site-templates/layouts/\(layout).mustache"), "the layout is missing")])
        }
        let missing = misses.take()
        if !missing.isEmpty {
            let source = templates["layouts/" + layout]?.file ?? "site-templates/layouts/\(layout).mustache"
            throw SiteError(missing.map { miss in
                Diagnostic(SourceLocation(file: source), "the template (or one of its partials) uses `\(miss.name)`, which does not exist",
                           fix: Suggestion.closest(to: miss.name, in: miss.known).map { "did you mean `\($0)`?" }
                               ?? "see the template variables in README.md")
            })
        }
        return html
    }

    // MARK: Personal pages

    /// One page per invitation, on every core. A page whose inputs are unchanged since the last
    /// build is carried over by the sink; the others are filled in from a prototype per
    /// programme edition, variant and shape (see `PagePrototype`), checked once against a full
    /// render, and rendered in full only when the check fails.
    private func renderPersonalPages(_ pages: PageBuilder, qrMasks: QRMaskCache, learned: LearnedMasks,
                                     to sink: any OutputSink) throws -> PageCounts {
        let prototypes = Locked(PagePrototypes())
        let counts = Locked(PageCounts())
        let key = layoutKey("personal")
        try forEachOnEveryCore(invitations.count) { index in
            try renderPersonalPage(invitations[index], pages, prototypes, counts, qrMasks, learned, key: key, to: sink)
        }
        return counts.current
    }

    private func renderPersonalPage(_ invitation: Invitation, _ pages: PageBuilder, _ prototypes: Locked<PagePrototypes>,
                                    _ counts: Locked<PageCounts>, _ qrMasks: QRMaskCache, _ learned: LearnedMasks,
                                    key layoutKey: String?, to sink: any OutputSink) throws {
        guard let program = project.program(invitation.referrer.program) else { return }
        let variant = program.variant(for: invitation.code)
        // The variant's copy is applied only for a page that is rendered: a carried-over page
        // needs the edition's language alone (a variant never changes it).
        let plain = program.edition(for: invitation.referrer.language) ?? program.defaultEdition
        var target = sink
        if let layoutKey {
            // What a personal page shows of its referrer: the first name and the code; the
            // programme, language and variant pick the copy.
            let inputs = Fingerprint("personal page", layoutKey, program.slug, plain.language.rawValue, variant,
                                     invitation.referrer.firstName, invitation.code.rawValue).hex
            if try sink.reuse(inputs: inputs) != nil {
                counts.withLock { $0.reused += 1 }
                return
            }
            target = sink.stamped(inputs: inputs)
        }
        let edition = plain.applying(variant: variant)
        let copyKey = "\(program.slug)\u{0}\(edition.language)\u{0}\(variant)"
        let copy = prototypes.copy(copyKey) { pages.personalCopy(program, edition) }
        let values = pages.personalValues(invitation, copy, qrMasks: qrMasks)
        if let known = values.qrKnown, qrMasks.known(for: pages.qrURL(invitation), level: .medium) != known {
            learned.withLock { $0[invitation.code] = known }
        }
        let bytes = try prototypedPage("personal\u{0}" + copyKey, values.all, prototypes) { all in
            var filled = values
            filled.all = all
            return try html("personal", pages.personal(filled, program, edition, variant: variant))
        }
        try target.add(OutputFile(area: .site, path: invitation.path + "index.html", bytes: Data(bytes)))
        counts.withLock { $0.rendered += 1 }
    }
}

/// Asset locations on the site: theme files under `assets/theme/`, content under `assets/`.
///
/// Theme CSS and JS carry a content hash in their names (`style.3f2a9c1d.css`) so that hosts
/// can cache them forever: a changed file gets a new name. Other theme files (images a
/// stylesheet may point to with `url()`) keep their names, so relative references still work.
public struct AssetPaths: Sendable {
    let project: Project
    /// The theme's files as published: hashed names, and the brand colour added to `style.css`.
    public let themeFiles: [Asset]
    /// Theme path (`split.js`) → site path (`assets/theme/split.1a2b3c4d.js`).
    private let published: [String: String]

    public init(project: Project) {
        self.project = project
        var files: [Asset] = []
        var published: [String: String] = [:]
        for asset in project.theme.staticFiles {
            var bytes = asset.bytes
            // The brand colour lives in the stylesheet, not in an inline <style>, so that a strict
            // Content-Security-Policy (style-src 'self') holds on every page.
            if asset.path == "style.css" {
                bytes.append(Data("\n/* theme.color from content/site.yaml */\n:root { --brand: \(project.site.theme.color); }\n".utf8))
            }
            let path = "assets/theme/" + Self.hashedName(asset.path, bytes)
            files.append(Asset(path: path, bytes: bytes))
            published[asset.path] = path
        }
        self.themeFiles = files
        self.published = published
    }

    /// The site path of a theme file, hashed when it is CSS or JS.
    public func themePath(_ path: String) -> String { published[path] ?? "assets/theme/" + path }

    /// Site paths of the files whose names carry a hash: safe to cache for a year.
    public var immutablePaths: [String] {
        themeFiles.map(\.path).filter { Self.isHashed($0) }.sorted()
    }

    /// `style.css` → `style.3f2a9c1d.css` for CSS and JS; other files keep their names.
    static func hashedName(_ path: String, _ bytes: Data) -> String {
        guard let dot = path.lastIndex(of: "."), ["css", "js"].contains(path[path.index(after: dot)...]) else { return path }
        return path[..<dot] + "." + hash(bytes) + path[dot...]
    }

    /// Whether a site path has the `.XXXXXXXX.css|js` shape `hashedName` gives.
    public static func isHashed(_ path: String) -> Bool {
        let parts = path.split(separator: ".")
        guard parts.count >= 3, ["css", "js"].contains(parts.last!) else { return false }
        let hash = parts[parts.count - 2]
        return hash.count == 8 && hash.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// 32 bits of FNV-1a over the bytes, as 8 hex digits: a cache key, not a security measure.
    static func hash(_ bytes: Data) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let folded = UInt32(truncatingIfNeeded: h ^ (h >> 32))
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The site path of a content asset, or nil when the name is not one.
    func contentPath(_ name: String?) -> String? {
        guard let name, project.assets.contains(where: { $0.path == name }) else { return nil }
        return Self.assetPath(name)
    }

    /// Where the site publishes `content/assets/NAME`, relative to `base_url`. Email drafts
    /// link the logo here, so this is the one place that says it.
    public static func assetPath(_ name: String) -> String {
        "assets/" + Escape.urlPath(name)
    }
}
