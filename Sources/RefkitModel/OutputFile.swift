import Foundation

/// Which output folder a file belongs to. The site is public; the kit is private and holds
/// everything personal (ledger, drafts, print files).
public enum OutputArea: String, Hashable, Sendable, CaseIterable {
    case site
    case kit
}

/// One file a renderer produced, not yet written.
public struct OutputFile: Hashable, Sendable {
    public var area: OutputArea
    /// Relative path with `/` separators; never absolute, never `..`.
    public var path: String
    public var bytes: Data
    /// Readable by the owner only (0600): the secret, the ledger, anything with emails.
    public var isPrivate: Bool

    public init(area: OutputArea, path: String, bytes: Data, isPrivate: Bool = false) {
        self.area = area
        self.path = path
        self.bytes = bytes
        self.isPrivate = isPrivate
    }

    public init(area: OutputArea, path: String, text: String, isPrivate: Bool = false) {
        self.init(area: area, path: path, bytes: Data(text.utf8), isPrivate: isPrivate)
    }
}

/// Where renderers send files as they make them, so that memory stays flat however many
/// referrers there are. The writer implements it; tests collect into an array.
public protocol OutputSink: Sendable {
    func add(_ file: OutputFile) throws
}
