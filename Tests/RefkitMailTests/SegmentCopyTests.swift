import Foundation
import RefkitModel
import Testing
@testable import RefkitMail

/// The mbox and merge CSV of a rebuild: unchanged chunks' parts copied from the last build's
/// files by the kernel, with each part's digest from the manifest, and the result always byte
/// for byte what a full render makes. A last build's file that changed since is not trusted.
@Suite("Copying mbox and CSV segments from the last build")
struct SegmentCopyTests {
    let chunks: ChunkReuseTests

    init() throws { chunks = try ChunkReuseTests() }

    var kit: URL { chunks.root.appendingPathComponent("kit") }
    var mbox: URL { kit.appendingPathComponent("mail/drafts.mbox") }

    /// The manifest's segment lines: (length, offset, digest, inputs, path).
    func segments() throws -> [[String]] {
        let text = try String(contentsOf: kit.appendingPathComponent(".refkit/manifest.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { $0.hasPrefix("kit-segment\t") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).dropFirst().map(String.init) }
    }

    func inode(_ url: URL) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int)
    }

    @Test("a rebuild copies the unchanged chunks' parts and makes exactly a full build's bytes; with nothing changed the old files are kept")
    func copiedSegments() throws {
        var drafts = ChunkReuseTests.drafts(600)
        _ = try chunks.build(drafts)
        let first = try segments()
        // Every segment records its digest, and together they cover each file.
        #expect(first.count > 4 && first.allSatisfy { $0[2].utf8.count == 64 && $0[2].allSatisfy(\.isHexDigit) })
        for path in ["mail/drafts.mbox", "mail/merge.csv"] {
            let own = first.filter { $0[4] == path }
            let size = try Data(contentsOf: kit.appendingPathComponent(path)).count
            #expect(own.reduce(0) { $0 + Int($1[0])! } == size, "\(path)")
        }

        drafts[300].referrer.firstName = "Renamed"
        let second = try chunks.build(drafts)
        #expect(second.carriedOver >= 600 - MailRenderer.batchSize && second.carriedOver < 600)
        try chunks.compare(drafts)
        // The carried segments kept their digests; the renamed one's chunk has a new one.
        let before = Set(first.map { $0[2] }), after = try segments()
        // (The renamed draft's fingerprint may end its chunk where the old one did not.)
        let new = after.filter { !before.contains($0[2]) }.count
        #expect(new >= 2 && new <= 6, "the renamed draft's chunk: one new mbox and one new CSV segment, or two of each")

        let linked = try inode(mbox)
        let third = try chunks.build(drafts)
        #expect(third.carriedOver == 600)
        #expect(try inode(mbox) == linked, "an mbox carried whole is the old file, linked, not copied")
        try chunks.compare(drafts)
    }

    @Test("a last build's mbox edited in the middle (same size), cut short or grown is not trusted: its drafts' records are made again", arguments: ["edit", "truncate", "append"])
    func damagedMbox(change: String) throws {
        var drafts = ChunkReuseTests.drafts(300)
        _ = try chunks.build(drafts)
        let recorded = try FileManager.default.attributesOfItem(atPath: mbox.path)[.modificationDate] as? Date
        let original = try Data(contentsOf: mbox)
        // Past the clock's tick, so that the edit gives the file another modification time.
        Thread.sleep(forTimeInterval: 0.02)
        let handle = try FileHandle(forUpdating: mbox)
        switch change {
        case "edit":
            try handle.seek(toOffset: UInt64(original.count / 2))
            try handle.write(contentsOf: Data("X".utf8))
        case "truncate":
            try handle.truncate(atOffset: UInt64(original.count / 2))
        default:
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("From x\n".utf8))
        }
        try handle.close()
        let now = try FileManager.default.attributesOfItem(atPath: mbox.path)[.modificationDate] as? Date
        try #require(now != recorded)
        drafts[0].referrer.firstName = "Renamed"
        let rebuilt = try chunks.build(drafts)
        // The .eml files are still carried; their records come from their bytes.
        #expect(rebuilt.carriedOver > 0)
        try chunks.compare(drafts)
    }

    @Test("a manifest without segment digests (an older refkit's) still carries the drafts, and the mbox is made from their bytes")
    func manifestWithoutDigests() throws {
        let drafts = ChunkReuseTests.drafts(300)
        _ = try chunks.build(drafts)
        let url = kit.appendingPathComponent(".refkit/manifest.tsv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("kit-segment\t") else { return String(line) }
            var columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            columns[3] = ""
            return columns.joined(separator: "\t")
        }
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(try chunks.build(drafts).carriedOver == 300)
        try chunks.compare(drafts)
        #expect(try segments().allSatisfy { $0[2].utf8.count == 64 }, "the next manifest has them again")
    }
}
