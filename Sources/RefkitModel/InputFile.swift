/// A file the loader read, by project path and the fingerprint of the bytes it read: what a
/// build's outputs are made from. The build fingerprints these rather than walking the folders
/// again, so that it sees exactly what was loaded: a second walk would read files the loader
/// refuses (hidden ones, links out of the project) and could see a file edited in between.
public struct InputFile: Hashable, Sendable {
    /// `content/site.yaml`, `site-templates/static/style.css`.
    public var path: String
    /// `Fingerprint` of the bytes, 32 hex digits.
    public var fingerprint: String

    public init(path: String, fingerprint: String) {
        self.path = path
        self.fingerprint = fingerprint
    }
}
