import Foundation
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitWrite

/// The replaced site kept as the next build's staging folder (`SpareSite`): the output must come
/// out exactly as from a fresh staging folder, and the live site must not change before the swap.
@Suite("Reusing the replaced site as staging")
struct SpareSiteTests {
    let scratch: TemporaryFolder
    let root: URL
    let folders: OutputFolders

    init() throws {
        scratch = try TemporaryFolder("refkit-spare")
        root = scratch.url
        folders = try OutputFolders(root: root, site: root.appendingPathComponent("public"), kit: root.appendingPathComponent("kit"))
    }

    var spare: URL { root.appendingPathComponent(".public.refkit-spare") }

    /// Every file under a folder with its text, and every folder.
    func tree(_ folder: URL) -> [String: String] {
        var out: [String: String] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: folder.path) ?? .init() {
            let url = folder.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            out[path] = isDirectory.boolValue ? "/" : (try? String(contentsOf: url, encoding: .utf8)) ?? "?"
        }
        return out
    }

    /// The tree a build of `files` must leave: the files and the folders that hold them.
    func expected(_ files: [String: String]) -> [String: String] {
        var out = files
        for folder in Manifest.folders(of: files.keys) where !folder.isEmpty { out[folder] = "/" }
        return out
    }

    @discardableResult
    func build(_ files: [String: String], inputs: [String: String] = [:]) throws -> OutputWriter {
        let writer = try OutputWriter(folders: folders)
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            if let key = inputs[path], try writer.reuse(inputs: key) == [path] { continue }
            let sink = inputs[path].map { writer.stamped(inputs: $0) } ?? writer
            try sink.add(OutputFile(area: .site, path: path, text: text))
        }
        _ = try writer.commit(buildKey: UUID().uuidString)
        return writer
    }

    @Test("a series of builds adding, changing, moving and removing pages and folders leaves exactly each build's site")
    func series() throws {
        let builds: [[String: String]] = [
            ["index.html": "home", "r/A/index.html": "A", "r/B/index.html": "B", "deep/x/y/z.html": "z"],
            ["index.html": "home", "r/A/index.html": "A", "r/C/index.html": "C", "deep/x/y/z.html": "z2"],
            ["index.html": "home 3", "r/A/index.html": "A", "r/B/index.html": "B3", "r/D/index.html": "D"],
            ["index.html": "home 3", "r/B/index.html": "B3", "other.html": "o"],
            ["index.html": "home 3", "r/B/index.html": "B3", "other.html": "o", "deep/x/y/z.html": "z5"],
        ]
        for (n, files) in builds.enumerated() {
            let inputs = Dictionary(uniqueKeysWithValues: files.map { ($0.key, $0.key + "=" + $0.value) })
            let writer = try build(files, inputs: inputs)
            #expect(writer.adoptedSpare == (n >= 2), "build \(n + 1)")
            #expect(tree(root.appendingPathComponent("public")) == expected(files), "build \(n + 1)")
            #expect(OutputWriter.isUpToDate(folders, buildKey: "x").upToDate == false)
        }
        #expect(FileManager.default.fileExists(atPath: spare.path))
    }

    @Test("writing a page that the spare shares with the live site leaves the live page as it was until the swap")
    func liveSiteUntouched() throws {
        try build(["a.html": "A", "s.html": "S", "r/K/index.html": "K"])
        try build(["a.html": "A", "s.html": "S", "r/K/index.html": "K"])
        let writer = try OutputWriter(folders: folders)
        #expect(writer.adoptedSpare)
        try writer.add(OutputFile(area: .site, path: "a.html", text: "A3"))
        let stream = try writer.open(area: .site, path: "s.html", isPrivate: false)
        try stream.append(Data("S3".utf8))
        try stream.close()
        try writer.add(OutputFile(area: .site, path: "r/K/index.html", text: "K3"))
        let live = root.appendingPathComponent("public")
        #expect(tree(live) == expected(["a.html": "A", "s.html": "S", "r/K/index.html": "K"]))
        _ = try writer.commit()
        #expect(tree(live) == expected(["a.html": "A3", "s.html": "S3", "r/K/index.html": "K3"]))
    }

    @Test("an abandoned build on an adopted spare leaves the live site as it was")
    func abandoned() throws {
        try build(["a.html": "A", "r/K/index.html": "K"])
        try build(["a.html": "A", "r/K/index.html": "K"])
        let writer = try OutputWriter(folders: folders)
        #expect(writer.adoptedSpare)
        try writer.add(OutputFile(area: .site, path: "a.html", text: "changed"))
        writer.abandon()
        #expect(tree(root.appendingPathComponent("public")) == expected(["a.html": "A", "r/K/index.html": "K"]))
        try build(["b.html": "B"])
        #expect(tree(root.appendingPathComponent("public")) == expected(["b.html": "B"]))
    }

    @Test("a spare that changed since its build (a file added, removed or edited in a folder) is not adopted",
          arguments: ["add r/K/stray.html", "add stray.html", "remove r/K/index.html", "folder r/new"])
    func tampered(_ change: String) throws {
        try build(["a.html": "A", "r/K/index.html": "K"])
        try build(["a.html": "A2", "r/K/index.html": "K"])
        let (verb, path) = (change.prefix { $0 != " " }, String(change.drop { $0 != " " }.dropFirst()))
        let target = spare.appendingPathComponent(path)
        switch verb {
        case "add": try Data("stray".utf8).write(to: target)
        case "remove": try FileManager.default.removeItem(at: target)
        default: try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        }
        let writer = try build(["a.html": "A3", "r/K/index.html": "K", "r/L/index.html": "L"])
        #expect(!writer.adoptedSpare)
        #expect(tree(root.appendingPathComponent("public")) == expected(["a.html": "A3", "r/K/index.html": "K", "r/L/index.html": "L"]))
    }

    @Test("a file dropped into the live site is gone after the next build, and the build after does not adopt that tree")
    func strayInLiveSite() throws {
        try build(["a.html": "A", "r/K/index.html": "K"])
        try build(["a.html": "A", "r/K/index.html": "K"])
        try Data("stray".utf8).write(to: root.appendingPathComponent("public/r/K/stray.html"))
        let third = try build(["a.html": "A", "r/K/index.html": "K"])
        #expect(third.adoptedSpare)
        #expect(tree(root.appendingPathComponent("public")) == expected(["a.html": "A", "r/K/index.html": "K"]))
        let fourth = try build(["a.html": "A", "r/K/index.html": "K"])
        #expect(!fourth.adoptedSpare, "the tree with the stray file was changed after its build")
        #expect(tree(root.appendingPathComponent("public")) == expected(["a.html": "A", "r/K/index.html": "K"]))
    }

    // MARK: - The kit's spare

    func buildKit(_ files: [String: String], scope: WriteScope = .build) throws -> OutputWriter {
        let writer = try OutputWriter(folders: folders, scope: scope)
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            try writer.add(OutputFile(area: .kit, path: path, text: text, isPrivate: true))
        }
        _ = try writer.commit(buildKey: UUID().uuidString)
        return writer
    }

    /// The kit's files, without the manifests.
    func kitFiles() -> [String: String] {
        tree(root.appendingPathComponent("kit")).filter { $0.value != "/" && !$0.key.hasPrefix(".refkit/") }
    }

    @Test("builds on the kit's spare keep exactly what they wrote, the report's files and the user's notes, and drop stale files")
    func kitSeries() throws {
        let builds: [[String: String]] = [
            ["codes.csv": "1", "mail/drafts/A.eml": "A", "mail/drafts/B.eml": "B", "print/x-001.pdf": "p"],
            ["codes.csv": "2", "mail/drafts/A.eml": "A", "mail/drafts/C.eml": "C"],
            ["codes.csv": "3", "mail/drafts/A.eml": "A2", "mail/drafts/B.eml": "B", "print/x-001.pdf": "p3"],
            ["codes.csv": "3", "mail/drafts/B.eml": "B"],
        ]
        var foreign: [String: String] = [:]
        for (n, files) in builds.enumerated() {
            let writer = try buildKit(files)
            #expect(writer.adoptedKit == (n >= 1), "build \(n + 1)")
            #expect(kitFiles() == files.merging(foreign) { a, _ in a }, "build \(n + 1)")
            if n == 0 {
                // The user's own note and a report, which builds carry over.
                try Data("mine".utf8).write(to: root.appendingPathComponent("kit/notes.txt"))
                _ = try buildKit(["report/index.html": "r"], scope: .report)
                foreign = ["notes.txt": "mine", "report/index.html": "r"]
                #expect(kitFiles() == files.merging(foreign) { a, _ in a })
            }
        }
        try FileManager.default.removeItem(at: root.appendingPathComponent("kit/notes.txt"))
        _ = try buildKit(builds[3])
        #expect(kitFiles() == builds[3].merging(["report/index.html": "r"]) { a, _ in a }, "a note the user deleted does not come back from the spare")
    }

    @Test("writing a kit file that the spare shares with the live kit leaves the live file as it was until the swap")
    func liveKitUntouched() throws {
        _ = try buildKit(["codes.csv": "1", "mail/drafts/A.eml": "A"])
        _ = try buildKit(["codes.csv": "1", "mail/drafts/A.eml": "A"])
        let writer = try OutputWriter(folders: folders)
        #expect(writer.adoptedKit)
        try writer.add(OutputFile(area: .kit, path: "codes.csv", text: "2", isPrivate: true))
        try writer.add(OutputFile(area: .kit, path: "mail/drafts/A.eml", text: "A3", isPrivate: true))
        #expect(kitFiles() == ["codes.csv": "1", "mail/drafts/A.eml": "A"])
        writer.abandon()
        #expect(kitFiles() == ["codes.csv": "1", "mail/drafts/A.eml": "A"])
        _ = try buildKit(["codes.csv": "4"])
        #expect(kitFiles() == ["codes.csv": "4"])
    }
}
