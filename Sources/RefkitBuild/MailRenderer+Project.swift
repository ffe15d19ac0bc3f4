import RefkitMail
import RefkitModel
import RefkitSite

extension MailRenderer {
    /// The renderer for a project's drafts (the build's invitations, the report's thank-you
    /// notes): its mail settings, the theme's colour, strings and layout, and the logo as the
    /// published site serves it.
    static func forProject(_ project: Project, layout: TemplateSource) throws -> MailRenderer {
        let logo = project.site.theme.logo.flatMap { name in
            project.assets.contains { $0.path == name } ? project.site.url(AssetPaths.assetPath(name)) : nil
        }
        return try MailRenderer(settings: project.site.mail, layout: layout, accentColor: project.site.theme.color,
                                unsafeHTML: project.site.unsafeHTML, strings: project.theme.strings, logoURL: logo)
    }
}
