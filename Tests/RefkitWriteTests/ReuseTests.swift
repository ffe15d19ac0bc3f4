import Foundation
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitWrite

/// `reuse(inputs:)`: carrying over, unrendered, the files the last build made from the same inputs.
@Suite("Reusing outputs whose inputs did not change")
struct ReuseTests {
    let scratch: TemporaryFolder
    let root: URL
    let folders: OutputFolders

    init() throws {
        scratch = try TemporaryFolder("refkit-reuse")
        root = scratch.url
        folders = try OutputFolders(root: root, site: root.appendingPathComponent("public"), kit: root.appendingPathComponent("kit"))
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }
    func read(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }
    func inode(_ path: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: url(path).path)[.systemFileNumber] as! Int }

    /// A first build: a personal page and a postcard pair, each stamped with its inputs.
    func firstBuild() throws {
        let writer = try OutputWriter(folders: folders)
        try writer.stamped(inputs: "page-1").add(OutputFile(area: .site, path: "r/AAA/index.html", text: "page A"))
        let cards = writer.stamped(inputs: "cards-1")
        try cards.add(OutputFile(area: .kit, path: "print/x-shop-001.pdf", text: "shop", isPrivate: true))
        let office = try cards.open(area: .kit, path: "print/x-office-001.pdf", isPrivate: true)
        try office.append(Data("office".utf8))
        try office.close()
        try writer.add(OutputFile(area: .site, path: "index.html", text: "home"))
        _ = try writer.commit()
    }

    @Test("files with the same inputs are linked over, unread and unwritten, and keep their inputs for the build after")
    func carriesOver() throws {
        try firstBuild()
        let before = try inode("kit/print/x-office-001.pdf")
        for _ in 0..<2 {
            let writer = try OutputWriter(folders: folders)
            #expect(try writer.reuse(inputs: "page-1") == ["r/AAA/index.html"])
            #expect(try writer.reuse(inputs: "cards-1") == ["print/x-office-001.pdf", "print/x-shop-001.pdf"])
            #expect(try writer.reuse(inputs: "never-seen") == nil)
            try writer.add(OutputFile(area: .site, path: "index.html", text: "home"))
            let summary = try writer.commit()
            #expect(summary.site.written == 0 && summary.site.unchanged == 2)
            #expect(summary.kit.written == 0 && summary.kit.unchanged == 2)
        }
        #expect(try read("public/r/AAA/index.html") == "page A")
        #expect(try read("kit/print/x-office-001.pdf") == "office")
        #expect(try inode("kit/print/x-office-001.pdf") == before, "the same file, linked, not a copy")
    }

    @Test("a file touched since the last build is not reused: all or nothing")
    func touchedFileIsRendered() throws {
        try firstBuild()
        try "edited by hand".write(to: url("kit/print/x-shop-001.pdf"), atomically: false, encoding: .utf8)
        let writer = try OutputWriter(folders: folders)
        #expect(try writer.reuse(inputs: "cards-1") == nil)
        // Nothing was reserved: the renderer can write both files.
        try writer.add(OutputFile(area: .kit, path: "print/x-shop-001.pdf", text: "shop", isPrivate: true))
        try writer.add(OutputFile(area: .kit, path: "print/x-office-001.pdf", text: "office", isPrivate: true))
        _ = try writer.commit()
        #expect(try read("kit/print/x-shop-001.pdf") == "shop")
    }

    @Test("a path this build already wrote is not reused over it, and the attempt leaves nothing behind")
    func conflictRollsBack() throws {
        try firstBuild()
        let writer = try OutputWriter(folders: folders)
        try writer.add(OutputFile(area: .kit, path: "print/x-shop-001.pdf", text: "new shop", isPrivate: true))
        #expect(try writer.reuse(inputs: "cards-1") == nil)
        // The office file was linked before the shop file's conflict showed: it must be free again.
        try writer.add(OutputFile(area: .kit, path: "print/x-office-001.pdf", text: "new office", isPrivate: true))
        _ = try writer.commit()
        #expect(try read("kit/print/x-shop-001.pdf") == "new shop")
        #expect(try read("kit/print/x-office-001.pdf") == "new office")
    }

    @Test("a manifest of the first format (no inputs column) is read, and reuses nothing")
    func oldManifest() throws {
        try FileManager.default.createDirectory(at: url("kit/.refkit"), withIntermediateDirectories: true)
        try "# refkit build manifest: area, size, mtime (ns), sha256, path. Do not edit.\nsite\t4\t1\tabc\tindex.html\n"
            .write(to: url("kit/.refkit/manifest.tsv"), atomically: true, encoding: .utf8)
        let manifest = Manifest.read(from: url("kit/.refkit/manifest.tsv"))
        #expect(manifest.entries[.site]?["index.html"] == Manifest.Entry(size: 4, mtime: 1, sha256: "abc", inputs: ""))
        let writer = try OutputWriter(folders: folders)
        #expect(try writer.reuse(inputs: "") == nil)
        writer.abandon()
    }
}
