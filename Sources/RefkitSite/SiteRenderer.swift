import Foundation
import Mustache
import RefkitModel
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

    /// The layouts a theme must have, one per page kind.
    public static let layouts = ["landing", "personal", "thanks", "terms", "404"]

    public init(project: Project, invitations: [Invitation], today: Day) throws(SiteError) {
        self.project = project
        self.invitations = invitations
        self.today = today
        var library = MustacheLibrary()
        var problems: [Diagnostic] = []
        for (name, source) in project.theme.templates {
            // The loader already parsed every template; a failure here cannot carry more detail.
            guard let template = try? MustacheTemplate(string: source.text) else { continue }
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
        for invitation in invitations {
            guard let program = project.program(invitation.referrer.program) else { continue }
            let variant = program.variant(for: invitation.code)
            let edition = (program.edition(for: invitation.referrer.language) ?? program.defaultEdition).applying(variant: variant)
            try render("personal", pages.personal(invitation, program, edition, variant: variant), at: invitation.path, to: sink)
            summary.personalPages += 1
        }
        let main = project.mainProgram
        try render("404", pages.simple(.notFound, main, main.defaultEdition), at: "", file: "404.html", to: sink)
        summary.otherPages += 1
        try sink.add(OutputFile(area: .site, path: "sitemap.xml", text: Sitemap(project: project).xml()))
        try sink.add(OutputFile(area: .site, path: "robots.txt", text: """
            User-agent: *
            Disallow: /r/
            Sitemap: \(project.site.url("sitemap.xml"))

            """))
        return summary
    }

    private func render(_ layout: String, _ page: PageBuilder.Page, at folder: String, file: String = "index.html",
                        to sink: any OutputSink) throws {
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
        try sink.add(OutputFile(area: .site, path: folder + file, text: html))
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
        return "assets/" + Escape.urlPath(name)
    }
}
