import Foundation
import RefkitMail
import RefkitModel
import RefkitPrint
import RefkitSite

extension MailRenderer {
    /// The renderer for a project's drafts (the build's invitations, the report's thank-you
    /// notes): its mail settings, the theme's colour, strings and layout, and the logo as the
    /// published site serves it (its PNG rendering when it is SVG, see `EmailLogo`).
    static func forProject(_ project: Project, layout: TemplateSource) throws -> MailRenderer {
        let logo = EmailLogo(project).map { project.site.url(AssetPaths.assetPath($0.publishedName)) }
        return try MailRenderer(settings: project.site.mail, layout: layout, accentColor: project.site.theme.color,
                                unsafeHTML: project.site.unsafeHTML, strings: project.theme.strings, logoURL: logo)
    }
}

/// The logo in the email layout. Gmail drops SVG images and Outlook's Word engine does not draw
/// them, so an SVG logo is published a second time as a PNG next to it (`logo.svg` gives
/// `assets/logo.email.png`), drawn at twice the 48 px the layout shows for sharp high-density
/// screens. A PNG the project already has under that name is used as it is.
struct EmailLogo {
    /// The layout's `width="48"`, twice.
    static let pixels = 96
    /// The name under `assets/` the email links to.
    let publishedName: String
    /// The SVG to draw into `publishedName`; nil when the logo (or a PNG of it) is used as it is.
    let svg: PostcardImage?

    init?(_ project: Project) {
        guard let name = project.site.theme.logo, let asset = project.assets.first(where: { $0.path == name }) else { return nil }
        let image = PostcardImage(name: asset.path, bytes: asset.bytes)
        guard image.needsRasterForEmail else {
            publishedName = name
            svg = nil
            return
        }
        let stem = (name as NSString).deletingPathExtension
        let png = stem + ".email.png"
        publishedName = png
        svg = project.assets.contains { $0.path == png } ? nil : image
    }

    /// The PNG to publish, when refkit draws it.
    func file() throws -> OutputFile? {
        guard let svg else { return nil }
        return OutputFile(area: .site, path: "assets/" + publishedName,
                          bytes: try svg.pngRendering(pixels: Self.pixels))
    }
}
