import Foundation
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitWrite

@Suite("The output writer")
struct OutputWriterTests {
    let scratch: TemporaryFolder
    let root: URL
    let folders: OutputFolders

    init() throws {
        scratch = try TemporaryFolder("refkit-write")
        root = scratch.url
        folders = try OutputFolders(root: root, site: root.appendingPathComponent("public"), kit: root.appendingPathComponent("kit"))
    }

    func build(_ files: [OutputFile]) throws -> WriteSummary {
        let writer = try OutputWriter(folders: folders)
        for f in files { try writer.add(f) }
        return try writer.commit()
    }

    func read(_ path: String) throws -> String { try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }
    func mtime(_ path: String) throws -> Date {
        try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)[.modificationDate] as! Date
    }

    @Test("unchanged files keep their modification time; changed ones are rewritten; stale ones go")
    func unchangedKeepMtime() throws {
        _ = try build([OutputFile(area: .site, path: "a.html", text: "A"), OutputFile(area: .site, path: "b/c.html", text: "C"),
                       OutputFile(area: .site, path: "old.html", text: "O")])
        let before = try mtime("public/a.html")
        Thread.sleep(forTimeInterval: 0.05)
        let summary = try build([OutputFile(area: .site, path: "a.html", text: "A"), OutputFile(area: .site, path: "b/c.html", text: "C2")])
        #expect(try mtime("public/a.html") == before)
        #expect(try read("public/b/c.html") == "C2")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("public/old.html").path))
        #expect(summary.site == { var c = WriteSummary.Counts(); c.written = 1; c.unchanged = 1; c.removed = 1; return c }())
    }

    @Test("what earlier builds left aside is deleted in the background; the replaced site and kit are kept as spares")
    func oldOutputDeleted() throws {
        _ = try build([OutputFile(area: .site, path: "r/A/index.html", text: "old"), OutputFile(area: .kit, path: "codes.csv", text: "x", isPrivate: true)])
        // What an `rm` cut short by a reboot left.
        let leftover = root.appendingPathComponent(".public.refkit-staging.old-dead/r/B")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        try Data("left".utf8).write(to: leftover.appendingPathComponent("index.html"))
        _ = try build([OutputFile(area: .site, path: "r/A/index.html", text: "new"), OutputFile(area: .kit, path: "codes.csv", text: "y", isPrivate: true)])
        #expect(try read("public/r/A/index.html") == "new")
        #expect(try read("kit/codes.csv") == "y")
        func aside() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.contains("refkit-staging") }
        }
        let deadline = Date(timeIntervalSinceNow: 30)
        while try !aside().isEmpty, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try aside() == [])
        // The replaced site and kit stay as spares for the next build's staging.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == [".kit.refkit-spare", ".public.refkit-spare", "kit", "public"])
    }

    @Test("an abandoned build leaves the previous output exactly as it was")
    func abandonKeepsOutput() throws {
        _ = try build([OutputFile(area: .site, path: "index.html", text: "old"), OutputFile(area: .kit, path: "codes.csv", text: "ledger", isPrivate: true)])
        let writer = try OutputWriter(folders: folders)
        try writer.add(OutputFile(area: .site, path: "index.html", text: "new"))
        writer.abandon()
        #expect(try read("public/index.html") == "old")
        #expect(try read("kit/codes.csv") == "ledger")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("public.refkit-staging").path))
    }

    @Test("files in kit/ that no build wrote are kept; private files are 0600")
    func foreignKitFilesKept() throws {
        _ = try build([OutputFile(area: .kit, path: "codes.csv", text: "x", isPrivate: true)])
        try FileManager.default.createDirectory(at: root.appendingPathComponent("kit/report"), withIntermediateDirectories: true)
        try "rewards".write(to: root.appendingPathComponent("kit/report/rewards.csv"), atomically: true, encoding: .utf8)
        _ = try build([OutputFile(area: .kit, path: "codes.csv", text: "xy", isPrivate: true)])
        #expect(try read("kit/report/rewards.csv") == "rewards")
        let mode = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("kit/codes.csv").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("the build and the report each replace only what they own")
    func scopes() throws {
        _ = try build([OutputFile(area: .site, path: "index.html", text: "site"), OutputFile(area: .kit, path: "codes.csv", text: "ledger")])
        let report = try OutputWriter(folders: folders, scope: .report)
        try report.add(OutputFile(area: .kit, path: "report/index.html", text: "r1"))
        try report.add(OutputFile(area: .kit, path: "report/old.csv", text: "old"))
        #expect(throws: WriteError.self) { try report.add(OutputFile(area: .kit, path: "codes.csv", text: "x")) }
        #expect(throws: WriteError.self) { try report.add(OutputFile(area: .site, path: "index.html", text: "x")) }
        _ = try report.commit()
        let siteTime = try mtime("public/index.html")
        #expect(try read("kit/codes.csv") == "ledger")

        // A build keeps the report's files; a second report drops its own stale file only.
        _ = try build([OutputFile(area: .site, path: "index.html", text: "site"), OutputFile(area: .kit, path: "codes.csv", text: "ledger2")])
        #expect(try read("kit/report/index.html") == "r1")
        let again = try OutputWriter(folders: folders, scope: .report)
        try again.add(OutputFile(area: .kit, path: "report/index.html", text: "r2"))
        _ = try again.commit()
        #expect(try read("kit/report/index.html") == "r2")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("kit/report/old.csv").path))
        #expect(try read("kit/codes.csv") == "ledger2")
        #expect(try mtime("public/index.html") == siteTime)

        // And the build still knows its own files are unchanged after the report ran.
        let summary = try build([OutputFile(area: .site, path: "index.html", text: "site"), OutputFile(area: .kit, path: "codes.csv", text: "ledger2")])
        #expect(summary.site.unchanged == 1 && summary.kit.unchanged == 1)
        #expect(try read("kit/report/index.html") == "r2")
    }

    @Test("streamed files are hashed like whole ones and keep their time when unchanged")
    func streamed() throws {
        func once() throws {
            let writer = try OutputWriter(folders: folders)
            let file = try writer.open(area: .kit, path: "mail/drafts.mbox", isPrivate: true)
            for i in 0..<3 { try file.append(Data("part \(i)\n".utf8)) }
            try file.close()
            _ = try writer.commit()
        }
        try once()
        let before = try mtime("kit/mail/drafts.mbox")
        Thread.sleep(forTimeInterval: 0.05)
        try once()
        #expect(try mtime("kit/mail/drafts.mbox") == before)
        #expect(try read("kit/mail/drafts.mbox") == "part 0\npart 1\npart 2\n")
    }

    @Test("unsafe paths and two files at one path are refused")
    func unsafePaths() throws {
        let writer = try OutputWriter(folders: folders)
        for path in ["../x", "/etc/passwd", "a/../../b", "", "a//b"] {
            #expect(throws: WriteError.self) { try writer.add(OutputFile(area: .site, path: path, text: "x")) }
        }
        try writer.add(OutputFile(area: .site, path: "same.html", text: "1"))
        #expect(throws: WriteError.self) { try writer.add(OutputFile(area: .site, path: "same.html", text: "2")) }
        writer.abandon()
    }

    @Test("output folders that would hit the project or each other are refused", arguments: [
        (".", "kit"), ("content", "kit"), ("site-templates/x", "kit"), ("public", "public/kit"), ("out", "out"), ("x/public", "x"),
    ])
    func refusedFolders(site: String, kit: String) {
        #expect(throws: OutputFolderError.self) {
            try OutputFolders(root: root, site: root.appendingPathComponent(site), kit: root.appendingPathComponent(kit))
        }
    }
}
