import Foundation

/// The sample project and default theme that `refkit init` copies: the repository's own
/// `content/` and `site-templates/`, bundled as resources so the two can never drift apart.
public enum Skeleton {
    /// The bundled folders, or nil when the binary was copied away from its resource bundle.
    public static var content: URL? { Bundle.module.url(forResource: "content", withExtension: nil) }
    public static var siteTemplates: URL? { Bundle.module.url(forResource: "site-templates", withExtension: nil) }
}
