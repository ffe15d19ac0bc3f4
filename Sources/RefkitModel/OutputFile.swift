import Foundation

/// Which output folder a file belongs to. The site is public; the kit is private and holds
/// everything personal (ledger, drafts, print files).
public enum OutputArea: String, Hashable, Sendable, Codable, CaseIterable {
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
    /// The fingerprint of everything the file was made from, when the renderer knows it: the
    /// next build carries the file over without rendering it when the fingerprint is the same
    /// (see `OutputSink.reuse(inputs:)`).
    public var inputs: String?
    /// A SHA-256 that determines `bytes`, when the renderer already has one (a draft's, made
    /// with its Message-ID, which its record in the mbox needs too): the writer records it
    /// instead of hashing the bytes. Different bytes must never share it; it need not be the
    /// bytes' own SHA-256, as it is only ever compared with what the same renderer gave for
    /// the same path in the last build.
    public var digest: ContentDigest?

    public init(area: OutputArea, path: String, bytes: Data, isPrivate: Bool = false, inputs: String? = nil,
                digest: ContentDigest? = nil) {
        self.area = area
        self.path = path
        self.bytes = bytes
        self.isPrivate = isPrivate
        self.inputs = inputs
        self.digest = digest
    }

    public init(area: OutputArea, path: String, text: String, isPrivate: Bool = false, inputs: String? = nil) {
        self.init(area: area, path: path, bytes: Data(text.utf8), isPrivate: isPrivate, inputs: inputs)
    }
}

/// Where renderers send files as they make them, so that memory stays flat however many
/// referrers there are. The writer implements it; tests collect into an array.
public protocol OutputSink: Sendable {
    /// Takes a whole file.
    func add(_ file: OutputFile) throws
    /// Opens a file that is written in parts, for large files made of many records (an mbox of
    /// 100,000 drafts, a merge CSV): the renderer appends each part and closes it, and never
    /// holds the whole file.
    func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile
    /// Carries over, unrendered, every file the previous build made from exactly these inputs
    /// (files added with this `inputs` fingerprint), when all of them are still as that build
    /// left them. Returns the paths it carried over, or nil when it did not, and the renderer
    /// makes the files.
    func reuse(inputs: String) throws -> [String]?
    /// This sink, marking every file added or opened through it as made from `inputs`.
    func stamped(inputs: String) -> any OutputSink
    /// The bytes of a file `reuse(inputs:)` carried over, for a renderer that needs them for
    /// another output (a draft's record in the mbox); nil when it cannot be read.
    func carriedBytes(area: OutputArea, path: String) -> Data?
    /// The bytes the previous build wrote at `path`, when the file is still as that build left
    /// it; nil otherwise. For a renderer's own private cache (`kit/.refkit/cache/`), which it
    /// adds again on every build: nothing another renderer wrote.
    func previousBytes(area: OutputArea, path: String) -> Data?
}

extension OutputSink {
    /// Sinks with no previous build (memory, tests) never have anything to reuse.
    public func reuse(inputs: String) throws -> [String]? { nil }
    public func stamped(inputs: String) -> any OutputSink { self }
    public func carriedBytes(area: OutputArea, path: String) -> Data? { nil }
    public func previousBytes(area: OutputArea, path: String) -> Data? { nil }
}

/// A file being written in parts; see `OutputSink.open`.
public protocol OutputStreamFile: AnyObject {
    func append(_ bytes: Data) throws
    /// Finishes the file; nothing may be appended afterwards.
    func close() throws
    /// Appends bytes as part of the segment made from `inputs`: consecutive appends with the
    /// same fingerprint make one segment, which the next build can carry over whole
    /// (`carrySegment(inputs:)`) instead of making its parts again.
    func append(_ bytes: Data, inputs: String) throws
    /// The same, for bytes that `digest` determines (see `ContentDigest`): the file takes the
    /// digest for the bytes' part of its own instead of hashing them.
    func append(_ bytes: Data, inputs: String, digest: ContentDigest) throws
    /// The inputs of the previous build's segments of this file that `carrySegment(inputs:)`
    /// can append: the old file is still as that build left it and each one's digest is known.
    var carriableSegments: Set<String> { get }
    /// Appends the previous build's segment made from `inputs` (one of `carriableSegments`),
    /// copied from the old file by the kernel, unread.
    func carrySegment(inputs: String) throws
}

extension OutputStreamFile {
    /// Files without a previous build (memory, tests) have no segments to carry.
    public func append(_ bytes: Data, inputs: String) throws { try append(bytes) }
    public func append(_ bytes: Data, inputs: String, digest: ContentDigest) throws { try append(bytes, inputs: inputs) }
    public var carriableSegments: Set<String> { [] }
    public func carrySegment(inputs: String) throws {
        preconditionFailure("carrySegment(inputs:) for a segment not in carriableSegments")
    }
}

/// A sink that keeps everything in memory: for tests and small outputs.
public final class MemorySink: OutputSink, Sendable {
    // Renderers may add files from several threads.
    private let storage = Locked<[String: OutputFile]>([:])

    public init() {}

    public func add(_ file: OutputFile) throws {
        storage.withLock { $0[file.area.rawValue + ":" + file.path] = file }
    }

    public func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile {
        BufferedOutputFile(sink: self, area: area, path: path, isPrivate: isPrivate)
    }

    /// Every file added, sorted by area and path.
    public var files: [OutputFile] {
        storage.withLock { $0.values.sorted { ($0.area.rawValue, $0.path) < ($1.area.rawValue, $1.path) } }
    }

    public func file(_ area: OutputArea, _ path: String) -> OutputFile? {
        storage.withLock { $0[area.rawValue + ":" + path] }
    }

}

/// A file streamed into memory and handed whole to its sink when closed: for sinks that keep
/// or send whole files (`MemorySink`, a print worker's channel back to the build).
public final class BufferedOutputFile: OutputStreamFile {
    let sink: any OutputSink
    var file: OutputFile

    public init(sink: any OutputSink, area: OutputArea, path: String, isPrivate: Bool) {
        self.sink = sink
        self.file = OutputFile(area: area, path: path, bytes: Data(), isPrivate: isPrivate)
    }

    public func append(_ bytes: Data) throws { file.bytes.append(bytes) }
    public func close() throws { try sink.add(file) }
}
