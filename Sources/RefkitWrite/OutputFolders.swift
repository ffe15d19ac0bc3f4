import Foundation
import RefkitModel

/// Where a build writes: the public site and the private kit, checked before anything is
/// written, because the writer replaces each folder whole (everything in it that the build
/// does not make again is deleted).
///
/// Refused, all reported at once: `/`, the home folder or a folder above it, the project or a
/// folder above it, `content/` and `site-templates/` and anything inside them, a file, one
/// folder for both, one inside the other (the kit inside the site would publish the ledger),
/// and a folder that holds files refkit did not write there (`PreviousOutput`). Paths are
/// compared as resolved components (symbolic links followed as far as the path exists), never
/// as string prefixes: the prefix test `hasPrefix(folder + "/")` took `/` for `//` and let
/// `--out /` through.
public struct OutputFolders: Sendable {
    public let site: URL
    public let kit: URL

    /// - Parameters:
    ///   - areas: the folders this command replaces; only those must be refkit's previous
    ///     output (`refkit report` replaces the kit and only reads where the site is).
    ///   - home: the user's home folder, never an output folder nor one above it.
    public init(root: URL, site: URL, kit: URL, writing areas: Set<OutputArea> = [.site, .kit],
                home: String? = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) throws(OutputFolderError) {
        let root = FolderPath(root), site = FolderPath(site), kit = FolderPath(kit)
        let home = home.flatMap { $0.hasPrefix("/") ? FolderPath(URL(fileURLWithPath: $0, isDirectory: true)) : nil }
        var problems: [Diagnostic] = []
        for (area, folder) in [(OutputArea.site, site), (.kit, kit)] {
            if let message = Self.placeProblem(folder, root: root, home: home) {
                problems.append(Self.problem(area, folder, message))
            }
        }
        if problems.isEmpty {
            if site == kit {
                problems.append(Diagnostic(SourceLocation(file: site.path), "the site folder (--out) and the kit folder (--kit) are the same folder",
                                           fix: "give each a folder of its own, side by side, such as public/ and kit/ in the project"))
            } else if kit.isInside(site) {
                problems.append(Diagnostic(SourceLocation(file: kit.path), "the kit folder (--kit) is inside the site folder (--out), which would publish the ledger and the secret",
                                           fix: "keep the kit beside the site, never inside it, such as public/ and kit/ in the project"))
            } else if site.isInside(kit) {
                problems.append(Diagnostic(SourceLocation(file: site.path), "the site folder (--out) is inside the kit folder (--kit)",
                                           fix: "keep the site beside the kit, such as public/ and kit/ in the project"))
            }
        }
        // What is in the folders matters only where they may be replaced at all.
        if problems.isEmpty {
            if areas.contains(.kit), !PreviousOutput.isKit(kit.path) {
                problems.append(Self.problem(.kit, kit, "is not empty and is not a refkit kit: it has no refkit manifest (.refkit/manifest.tsv) and holds files a kit does not, which a build would replace or move"))
            }
            if areas.contains(.site), !PreviousOutput.isSite(site.path, kit: kit.path) {
                problems.append(Self.problem(.site, site, "is not empty and is not refkit's previous output (the kit's manifest does not describe it), so a build would delete its files",
                                             fix: "choose a new or empty folder for --out, such as public/ in the project; if this is an old copy of the site whose kit or manifest is gone, delete it and refkit makes it again"))
            }
        }
        guard problems.isEmpty else { throw OutputFolderError(problems) }
        self.site = site.url
        self.kit = kit.url
    }

    /// Why `folder` can never be an output folder, whatever it holds; nil when it can be.
    private static func placeProblem(_ folder: FolderPath, root: FolderPath, home: FolderPath?) -> String? {
        if folder.components.isEmpty { return "is the root of the file system" }
        if let home {
            if folder == home { return "is your home folder" }
            if home.isInside(folder) { return "contains your home folder (\(home.path))" }
        }
        if folder == root { return "is the project folder itself" }
        if root.isInside(folder) { return "contains the project folder (\(root.path))" }
        for input in ["content", "site-templates"] {
            let inputFolder = root.appending(input)
            if folder == inputFolder { return "is the project's \(input)/ folder" }
            if folder.isInside(inputFolder) { return "is inside the project's \(input)/ folder" }
        }
        if folder.isExistingNonFolder { return "is a file, not a folder" }
        return nil
    }

    private static func problem(_ area: OutputArea, _ folder: FolderPath, _ message: String, fix: String? = nil) -> Diagnostic {
        let (name, option, example) = area == .site ? ("site", "--out", "public/") : ("kit", "--kit", "kit/")
        return Diagnostic(SourceLocation(file: folder.path), "the \(name) folder (\(option)) \(message)",
                          fix: fix ?? "refkit replaces this folder whole at every build, deleting what it did not write; choose a new or empty folder for \(option), such as \(example) in the project")
    }
}

extension OutputFolders {
    func url(_ area: OutputArea) -> URL { area == .site ? site : kit }
}
