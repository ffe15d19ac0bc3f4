import Foundation
import RefkitModel
import RefkitWrite
import Testing
@testable import RefkitMail

/// Drafts carried over from the last build in chunks: the `.eml` files and their parts of the
/// mbox and the merge CSV, with the result always byte for byte what a full render makes.
@Suite("Carrying drafts over in chunks")
struct ChunkReuseTests {
    let root: URL
    let folders: OutputFolders

    init() throws {
        root = try Fixture.temporaryDirectory()
        folders = try OutputFolders(root: root, site: root.appendingPathComponent("public"), kit: root.appendingPathComponent("kit"))
    }

    static func drafts(_ count: Int) -> [Draft] {
        (0..<count).map { Fixture.draft(Fixture.people[$0 % Fixture.people.count], index: $0) }
    }

    /// What a draft is made from, as the build fingerprints it.
    static let key: @Sendable (Draft) -> String? = { draft in
        Fingerprint("test draft", draft.code.rawValue, draft.referrer.name, draft.referrer.firstName, draft.referrer.email).hex
    }

    /// Renders through the real writer and commits; returns the summary.
    func build(_ drafts: [Draft]) throws -> MailSummary {
        let writer = try OutputWriter(folders: folders)
        let summary = try Fixture.renderer().render(drafts, inputs: Self.key, to: writer)
        _ = try writer.commit()
        return summary
    }

    /// The kit's mail files, and what a full render of the same drafts makes.
    func compare(_ drafts: [Draft]) throws {
        let memory = MemorySink()
        try Fixture.renderer().render(drafts, to: memory)
        var onDisk: [String: Data] = [:]
        let mail = root.appendingPathComponent("kit/mail")
        for case let path as String in FileManager.default.enumerator(atPath: mail.path)! where path.contains(".") {
            onDisk["mail/" + path] = try Data(contentsOf: mail.appendingPathComponent(path))
        }
        let expected = Dictionary(uniqueKeysWithValues: memory.files.map { ($0.path, $0.bytes) })
        #expect(onDisk.keys.sorted() == expected.keys.sorted())
        for (path, bytes) in expected where onDisk[path] != bytes {
            Issue.record("\(path) differs from a full render")
        }
    }

    @Test("renaming one referrer composes only their chunk; the rest is carried with its parts of the mbox and CSV")
    func rename() throws {
        var drafts = Self.drafts(600)
        #expect(try build(drafts).carriedOver == 0)
        drafts[300].referrer.firstName = "Renamed"
        let second = try build(drafts)
        #expect(second.drafts == 600)
        #expect(second.carriedOver >= 600 - MailRenderer.batchSize && second.carriedOver < 600)
        try compare(drafts)
        let third = try build(drafts)
        #expect(third.carriedOver == 600)
        try compare(drafts)
    }

    @Test("a referrer added at the top or removed in the middle leaves the other chunks carried")
    func insertAndRemove() throws {
        var drafts = Self.drafts(600)
        _ = try build(drafts)
        drafts.insert(Fixture.draft(Fixture.people[0], index: 9_999), at: 0)
        let added = try build(drafts)
        #expect(added.carriedOver >= 600 - MailRenderer.batchSize, "chunks are cut where the content says, so the others stay")
        try compare(drafts)
        drafts.remove(at: 250)
        let removed = try build(drafts)
        #expect(removed.carriedOver >= 600 - MailRenderer.batchSize)
        try compare(drafts)
    }

    @Test("without the old mbox the carried drafts' bytes make it again; without the old drafts everything is composed")
    func damagedOldOutput() throws {
        let drafts = Self.drafts(300)
        _ = try build(drafts)
        try FileManager.default.removeItem(at: root.appendingPathComponent("kit/mail/drafts.mbox"))
        #expect(try build(drafts).carriedOver == 300)
        try compare(drafts)
        let some = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("kit/mail/drafts").path).sorted().prefix(3)
        for name in some {
            try Data("defaced".utf8).write(to: root.appendingPathComponent("kit/mail/drafts/" + name))
        }
        let after = try build(drafts)
        #expect(after.carriedOver < 300 && after.carriedOver > 0)
        try compare(drafts)
    }
}
