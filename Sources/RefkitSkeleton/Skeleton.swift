import Foundation

/// The sample project and default theme that `refkit init` and `refkit bench` copy: a folder
/// holding `content/` and `site-templates/`. In the repository these are its own top-level
/// folders, so the sample and the theme never drift apart; `make dist` copies them into
/// `share/refkit/` of the package and the tarball.
///
/// They are found on disk rather than bundled as SwiftPM resources: a resource target would
/// need the repository root as its path, which makes SwiftPM scan `public/`, `kit/` and every
/// build folder on each build.
public enum Skeleton {
    /// The places looked in, in order, and the first that holds a skeleton.
    public struct Search: Sendable {
        public let found: URL?
        /// Every place looked in, as the user would recognise it, e.g. "/usr/share/refkit".
        public let looked: [String]

        /// The error `refkit init` and `refkit bench` print when nothing was found.
        public var notFoundMessage: String {
            "no sample project (content/ and site-templates/) found; looked in "
                + looked.joined(separator: ", ")
                + ". Reinstall refkit (the package puts it in /usr/share/refkit, the tarball in share/refkit beside bin/), or set REFKIT_SKELETON to a folder with content/ and site-templates/."
        }
    }

    /// Looks in `$REFKIT_SKELETON` when it is set (and nowhere else, so a wrong setting is
    /// reported rather than quietly passed over); otherwise beside the binary, in
    /// `../share/refkit` from the binary (the tarball and any `--prefix` layout), in the
    /// repository the binary was built in (a folder above it with Package.swift), then in
    /// `/usr/share/refkit` (the Debian package). The repository comes before /usr/share so that a
    /// refkit built from source uses its own sample even where the package is installed.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL? = Skeleton.executable,
        system: URL = URL(fileURLWithPath: "/usr/share/refkit", isDirectory: true)
    ) -> Search {
        if let explicit = environment["REFKIT_SKELETON"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit, isDirectory: true)
            return Search(found: isSkeleton(url) ? url : nil, looked: ["$REFKIT_SKELETON (\(url.path))"])
        }
        var candidates: [URL] = []
        if let binFolder = executable?.deletingLastPathComponent() {
            candidates.append(binFolder)
            candidates.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/refkit", isDirectory: true))
            if let repository = repository(above: binFolder) { candidates.append(repository) }
        }
        candidates.append(system)
        var looked: [String] = []
        for candidate in candidates {
            looked.append(candidate.path)
            if isSkeleton(candidate) { return Search(found: candidate, looked: looked) }
        }
        return Search(found: nil, looked: looked)
    }

    /// This binary with symbolic links resolved: /proc/self/exe is the binary itself, whatever
    /// the working folder and however it was called (a bare name on the PATH, a link in ~/bin).
    public static var executable: URL? {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
        return path.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath() }
    }

    /// The nearest folder above `folder` that is a Swift package, where `swift build` put the binary.
    static func repository(above folder: URL) -> URL? {
        var folder = folder
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    static func isSkeleton(_ folder: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: folder.appendingPathComponent("content/site.yaml").path)
            && fm.fileExists(atPath: folder.appendingPathComponent("site-templates/layouts/landing.mustache").path)
    }
}
