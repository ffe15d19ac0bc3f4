import Foundation

/// The sample project and default theme that `refkit init` and `refkit bench` copy: the
/// repository's own top-level `content/` and `site-templates/`, so the two never drift apart.
///
/// They are found on disk rather than bundled as SwiftPM resources: a resource target would
/// need the repository root as its path, which makes SwiftPM scan `public/`, `kit/` and every
/// build folder on each build. `refkit` is built inside its repository (`make`), so the folders
/// are found by walking up from the binary; `REFKIT_SKELETON` points elsewhere.
public enum Skeleton {
    /// The folder holding `content/` and `site-templates/`, or nil when none is found.
    public static var root: URL? {
        if let explicit = ProcessInfo.processInfo.environment["REFKIT_SKELETON"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit, isDirectory: true)
            return isSkeleton(url) ? url : nil
        }
        // /proc/self/exe is the binary itself, whatever the working folder and however it was called.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" {
            if isSkeleton(folder) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    public static var content: URL? { root?.appendingPathComponent("content", isDirectory: true) }
    public static var siteTemplates: URL? { root?.appendingPathComponent("site-templates", isDirectory: true) }

    static func isSkeleton(_ folder: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: folder.appendingPathComponent("content/site.yaml").path)
            && fm.fileExists(atPath: folder.appendingPathComponent("site-templates/layouts/landing.mustache").path)
    }
}
