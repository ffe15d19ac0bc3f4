import Foundation

/// A file copied to the site as it is: a theme's CSS or a content image.
public struct Asset: Hashable, Sendable {
    /// Path relative to `assets/` on the site, with `/` separators.
    public var path: String
    public var bytes: Data
    public init(path: String, bytes: Data) {
        self.path = path
        self.bytes = bytes
    }
}
