import Foundation
import RefkitTestSupport
import Testing
@testable import RefkitWrite

@Suite("Walking and deleting output trees")
struct FileTreeTests {
    let scratch: TemporaryFolder
    let root: URL

    init() throws {
        scratch = try TemporaryFolder("refkit-tree")
        root = scratch.url.appendingPathComponent("tree")
    }

    func make(_ paths: [String]) throws {
        for path in paths {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(path.utf8).write(to: url)
        }
    }

    @Test("lists regular files and links at every depth, relative to the root, and not what links point to")
    func lists() throws {
        try make(["a.txt", "r/K7/index.html", "mail/drafts/X.eml", ".refkit/manifest.tsv"])
        let outside = scratch.url.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("link"), withDestinationURL: outside)
        #expect(FileTree.files(under: root.path).sorted() == [".refkit/manifest.tsv", "a.txt", "link", "mail/drafts/X.eml", "r/K7/index.html"])

        FileTree.remove(root.path)
        #expect(!FileManager.default.fileExists(atPath: root.path))
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("secret.txt").path), "a link is removed, not followed")
    }
}
