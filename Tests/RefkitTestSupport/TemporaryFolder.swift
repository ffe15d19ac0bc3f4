import Foundation

/// A fresh folder under the system's temporary folder, named `PREFIX-UUID`: the one helper the
/// test targets make their scratch folders with.
///
/// Kept in a suite's stored property, it goes with the suite's instance, which Swift Testing
/// makes for one test: `let scratch = try TemporaryFolder("refkit-write")`, then
/// `scratch.url`; in a local, with `defer { scratch.remove() }`. Where a helper hands a folder out and cannot know when it is done with
/// (a copy of the sample project), `TemporaryFolder.create` makes one that stays.
public final class TemporaryFolder: Sendable {
    public let url: URL

    public init(_ prefix: String = "refkit-test") throws {
        url = try Self.create(prefix)
    }

    /// Deletes the folder and everything in it. A test that keeps the folder in a local says
    /// when with `defer { scratch.remove() }`, which also keeps it alive until then.
    public func remove() { try? FileManager.default.removeItem(at: url) }

    deinit { remove() }

    /// Makes a fresh folder and returns it; it is not deleted for the caller.
    public static func create(_ prefix: String = "refkit-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
