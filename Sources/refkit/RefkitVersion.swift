import CRefkitBuildInfo

/// refkit's version: the one place the number is written. `make dist` reads it back from the
/// binary it packs (`refkit --version`), so the package names always match the program.
enum RefkitVersion {
    static let number = "0.1.0"

    /// The commit `make dist` built from (`git describe --always --dirty`), or "unknown commit"
    /// for a plain `swift build`, which has no way to pass it in.
    static var commit: String {
        guard let text = crefkit_build_commit() else { return "unknown commit" }
        return "commit " + String(cString: text)
    }

    /// What `refkit --version` prints, e.g. "refkit 0.1.0 (commit 3d57980)".
    static var line: String { "refkit \(number) (\(commit))" }
}
