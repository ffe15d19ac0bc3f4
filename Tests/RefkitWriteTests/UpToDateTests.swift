import Foundation
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitWrite

/// `OutputWriter.isUpToDate`: knowing that the output is as the last build left it from one
/// `lstat` per file and site folder, without reading or walking it.
@Suite("Knowing the output is up to date")
struct UpToDateTests {
    let scratch: TemporaryFolder
    let root: URL
    let folders: OutputFolders

    init() throws {
        scratch = try TemporaryFolder("refkit-uptodate")
        root = scratch.url
        folders = try OutputFolders(root: root, site: root.appendingPathComponent("public"), kit: root.appendingPathComponent("kit"))
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Paths with spaces, accents, CJK and emoji, at several depths, in both areas.
    static let sitePaths = ["index.html", "r/AAA/index.html", "r/BBB/index.html", "fr/merci/index.html",
                            "assets/style 2.css", "見本/ページ.html", "r/ÉTÉ-😀/index.html"]

    func build(key: String = "key-1") throws {
        let writer = try OutputWriter(folders: folders)
        for path in Self.sitePaths { try writer.add(OutputFile(area: .site, path: path, text: "page " + path)) }
        try writer.add(OutputFile(area: .kit, path: "mail/drafts/A.eml", text: "draft", isPrivate: true))
        _ = try writer.commit(buildKey: key)
    }

    @Test("after a build with a key, the same key is up to date and counts every file; another key is not")
    func sameKey() throws {
        try build()
        let result = OutputWriter.isUpToDate(folders, buildKey: "key-1")
        #expect(result.upToDate)
        #expect(result.files == [.site: Self.sitePaths.count, .kit: 1])
        #expect(!OutputWriter.isUpToDate(folders, buildKey: "key-2").upToDate)
        #expect(!OutputWriter.isUpToDate(folders, buildKey: "").upToDate)
    }

    @Test("a file added anywhere in the site, a touched, removed or resized file, or a new folder, is noticed",
          arguments: ["add r/AAA/stray.html", "add stray.html", "add 見本/stray.html", "add new/folder/stray.html",
                      "touch r/BBB/index.html", "remove r/ÉTÉ-😀/index.html", "resize assets/style 2.css",
                      "touch-kit mail/drafts/A.eml", "folder r/CCC"])
    func changes(_ change: String) throws {
        try build()
        #expect(OutputWriter.isUpToDate(folders, buildKey: "key-1").upToDate)
        let (verb, path) = (change.prefix { $0 != " " }, String(change.drop { $0 != " " }.dropFirst()))
        let site = url("public/" + path)
        switch verb {
        case "add":
            try FileManager.default.createDirectory(at: site.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("stray".utf8).write(to: site)
        case "touch":
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: site.path)
        case "touch-kit":
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: url("kit/" + path).path)
        case "remove":
            try FileManager.default.removeItem(at: site)
        case "resize":
            let handle = try FileHandle(forWritingTo: site)
            try handle.truncate(atOffset: 1)
            try handle.close()
        case "folder":
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        default:
            Issue.record("unknown change \(change)")
        }
        #expect(!OutputWriter.isUpToDate(folders, buildKey: "key-1").upToDate, "\(change)")
    }

    @Test("a manifest of the previous format, without the site's folders, is never up to date but still reuses files")
    func olderFormat() throws {
        try build()
        let manifestURL = url("kit/.refkit/manifest.tsv")
        var text = try String(contentsOf: manifestURL, encoding: .utf8)
        text = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix(Manifest.folderArea + "\t") }
            .joined(separator: "\n").replacingOccurrences(of: "# refkit build manifest 3", with: "# refkit build manifest 2")
        try text.write(to: manifestURL, atomically: true, encoding: .utf8)
        #expect(!OutputWriter.isUpToDate(folders, buildKey: "key-1").upToDate)
        let manifest = Manifest.read(from: manifestURL)
        #expect(manifest.siteFolders == nil)
        #expect(manifest.entries[.site]?.count == Self.sitePaths.count)
    }

    @Test("the manifest reads back what it wrote: entries, folders and the build key")
    func roundTrip() throws {
        var manifest = Manifest()
        manifest.build = "abc123"
        manifest.entries[.site] = ["r/ÉTÉ-😀/index.html": .init(size: 12, mtime: 1_700_000_000_123_456_789, sha256: "ff", inputs: "k1"),
                                   "index.html": .init(size: 0, mtime: -5, sha256: "", inputs: "")]
        manifest.entries[.kit] = ["mail/a b.eml": .init(size: 3, mtime: 7, sha256: "aa", inputs: "")]
        manifest.siteFolders = ["": 1, "r": 2, "r/ÉTÉ-😀": 3]
        let read = Manifest.parse(manifest.bytes())
        #expect(read.build == "abc123")
        #expect(read.entries == manifest.entries)
        #expect(read.siteFolders == manifest.siteFolders)
        #expect(Manifest.folders(of: ["r/A/index.html", "index.html", "x/y/z.css"]) == ["", "r", "r/A", "x", "x/y"])
    }

    @Test("a damaged manifest is read as far as it makes sense and is never up to date")
    func damaged() throws {
        try build()
        let manifestURL = url("kit/.refkit/manifest.tsv")
        let bytes = try Data(contentsOf: manifestURL)
        // Cut anywhere, even between two lines: the manifest ends with a line that says it is whole.
        let lineEnds = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
        for cut in [0, 10, bytes.count / 2, bytes.count - 3] + lineEnds.dropLast() {
            try bytes.prefix(cut).write(to: manifestURL)
            #expect(!OutputWriter.isUpToDate(folders, buildKey: "key-1").upToDate, "cut at \(cut)")
            _ = Manifest.read(from: manifestURL)
        }
        try Data("site\tx\t1\t\t\tindex.html\nsite\t1\n".utf8).write(to: manifestURL)
        #expect(Manifest.read(from: manifestURL).entries.isEmpty)
    }
}
