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
        for asset in project.theme.staticFiles {
            try sink.add(OutputFile(area: .site, path: assets.themePath(asset.path), bytes: asset.bytes))
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
struct AssetPaths: Sendable {
    let project: Project

    func themePath(_ path: String) -> String { "assets/theme/" + path }

    /// The site path of a content asset, or nil when the name is not one.
    func contentPath(_ name: String?) -> String? {
        guard let name, project.assets.contains(where: { $0.path == name }) else { return nil }
        return "assets/" + Escape.urlPath(name)
    }
}
