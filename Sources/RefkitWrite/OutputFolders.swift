import Foundation

/// Where a build writes: the public site and the private kit, checked so that a mistyped
/// `--out` can never make refkit replace the project itself.
public struct OutputFolders: Sendable {
    public let site: URL
    public let kit: URL

    /// Refuses folders that are the project root or contain it, that are inside `content/`
    /// or `site-templates/`, that are the same folder, or that nest in each other (the kit
    /// inside the site would publish the ledger).
    public init(root: URL, site: URL, kit: URL) throws(WriteError) {
        let root = root.standardizedFileURL.resolvingSymlinksInPath()
        let site = site.standardizedFileURL.resolvingSymlinksInPath()
        let kit = kit.standardizedFileURL.resolvingSymlinksInPath()
        func inside(_ a: URL, _ b: URL) -> Bool { a.path == b.path || a.path.hasPrefix(b.path + "/") }
        for (name, folder) in [("site", site), ("kit", kit)] {
            if inside(root, folder) {
                throw WriteError(folder.path, "the \(name) output folder would contain the project itself",
                                 fix: "choose a folder inside the project, such as \(name == "site" ? "public" : "kit")")
            }
            for input in ["content", "site-templates"] where inside(folder, root.appendingPathComponent(input)) {
                throw WriteError(folder.path, "the \(name) output folder is inside \(input)/", fix: "choose a folder outside \(input)/")
            }
        }
        if inside(kit, site) || inside(site, kit) {
            throw WriteError(kit.path, "the kit and the site output folders overlap",
                             fix: "keep the private kit beside the site, never inside it (for example public/ and kit/)")
        }
        self.site = site
        self.kit = kit
    }
}
