import Foundation
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitWrite

/// Which folders a build may replace (`OutputFolders`), and the commit that swaps the kit and
/// the site in together or not at all.
@Suite("Output folder rules")
struct OutputFolderRulesTests {
    /// base/users/me (the home folder), base/work/project (the project), base/elsewhere.
    let scratch: TemporaryFolder
    let base: URL
    let home: URL
    let root: URL

    init() throws {
        scratch = try TemporaryFolder("refkit-folders")
        base = scratch.url
        home = base.appendingPathComponent("users/me")
        root = base.appendingPathComponent("work/project")
        for folder in [home, root.appendingPathComponent("content/assets"), root.appendingPathComponent("site-templates/static"),
                       base.appendingPathComponent("elsewhere")] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try Data("notes".utf8).write(to: home.appendingPathComponent("notes.txt"))
    }

    func folders(site: String, kit: String = "work/project/kit") throws(OutputFolderError) -> OutputFolders {
        func url(_ path: String) -> URL { path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path) }
        return try OutputFolders(root: root, site: url(site), kit: url(kit), home: home.path)
    }

    @Test("folders a build must never replace are refused, each with what to do", arguments: [
        ("/", "is the root of the file system"),
        ("//", "is the root of the file system"),
        ("/.", "is the root of the file system"),
        ("users/me", "is your home folder"),
        ("users/me/", "is your home folder"),
        ("users", "contains your home folder"),
        ("work/project", "is the project folder itself"),
        ("work/project/content/..", "is the project folder itself"),
        ("work", "contains the project folder"),
        ("work/project/content", "is the project's content/ folder"),
        ("work/project/content/assets/out", "is inside the project's content/ folder"),
        ("work/project/site-templates", "is the project's site-templates/ folder"),
        ("work/project/site-templates/static", "is inside the project's site-templates/ folder"),
    ])
    func refusedPlaces(site: String, message: String) throws {
        let error = #expect(throws: OutputFolderError.self) { try folders(site: site) }
        #expect(error?.diagnostics.count == 1)
        #expect(error?.diagnostics.first?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.diagnostics.first?.fix?.contains("choose a new or empty folder for --out") == true)
        // The same rules for the kit.
        let kitError = #expect(throws: OutputFolderError.self) { try folders(site: "work/project/public", kit: site) }
        #expect(kitError?.diagnostics.first?.message.contains("the kit folder (--kit) " + message) == true, "\(String(describing: kitError))")
    }

    @Test("a link to the project, its content/ or the home folder is refused as what it points to")
    func links() throws {
        let links = base.appendingPathComponent("elsewhere")
        try FileManager.default.createSymbolicLink(at: links.appendingPathComponent("to-project"), withDestinationURL: root)
        try FileManager.default.createSymbolicLink(at: links.appendingPathComponent("to-content"), withDestinationURL: root.appendingPathComponent("content"))
        try FileManager.default.createSymbolicLink(at: links.appendingPathComponent("to-home"), withDestinationURL: home)
        for (link, message) in [("to-project", "is the project folder itself"), ("to-project/content/x", "inside the project's content/"),
                                ("to-home", "is your home folder"), ("to-content", "is the project's content/ folder")] {
            let error = #expect(throws: OutputFolderError.self) { try folders(site: "elsewhere/" + link) }
            #expect(error?.diagnostics.first?.message.contains(message) == true, "\(link): \(String(describing: error))")
        }
    }

    @Test("one folder for both, or one inside the other, is refused", arguments: [
        ("elsewhere/out", "elsewhere/out", "are the same folder"),
        ("elsewhere/out", "elsewhere/out/kit", "would publish the ledger"),
        ("elsewhere/kit/site", "elsewhere/kit", "is inside the kit folder"),
    ])
    func overlapping(site: String, kit: String, message: String) {
        let error = #expect(throws: OutputFolderError.self) { try folders(site: site, kit: kit) }
        #expect(error?.diagnostics.first?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("a file, and folders holding files refkit did not write, are refused; nothing in them changes")
    func occupied() throws {
        let other = base.appendingPathComponent("elsewhere/site")
        try FileManager.default.createDirectory(at: other.appendingPathComponent("css"), withIntermediateDirectories: true)
        try Data("<h1>mine</h1>".utf8).write(to: other.appendingPathComponent("index.html"))
        try Data("x".utf8).write(to: base.appendingPathComponent("elsewhere/file"))
        let site = #expect(throws: OutputFolderError.self) { try folders(site: "elsewhere/site") }
        #expect(site?.diagnostics.first?.message.contains("is not refkit's previous output") == true)
        let file = #expect(throws: OutputFolderError.self) { try folders(site: "elsewhere/file") }
        #expect(file?.diagnostics.first?.message.contains("is a file, not a folder") == true)
        let kit = #expect(throws: OutputFolderError.self) { try folders(site: "work/project/public", kit: "elsewhere/site") }
        #expect(kit?.diagnostics.first?.message.contains("is not a refkit kit") == true)
        #expect(try String(contentsOf: other.appendingPathComponent("index.html"), encoding: .utf8) == "<h1>mine</h1>")
    }

    @Test("new and empty folders, a kit of only a restored ledger and secret, and refkit's own output are accepted")
    func accepted() throws {
        _ = try folders(site: "elsewhere/new/public", kit: "elsewhere/new/kit")
        try FileManager.default.createDirectory(at: base.appendingPathComponent("elsewhere/empty"), withIntermediateDirectories: true)
        _ = try folders(site: "elsewhere/empty")
        let kit = root.appendingPathComponent("kit")
        try FileManager.default.createDirectory(at: kit, withIntermediateDirectories: true)
        try Data("secret-restored-from-a-backup\n".utf8).write(to: kit.appendingPathComponent("secret"))
        try Data("program,code\n".utf8).write(to: kit.appendingPathComponent("codes.csv"))
        let checked = try folders(site: "work/project/public")

        // A build, then the same folders again: refkit's output, a file added by hand or not.
        let writer = try OutputWriter(folders: checked)
        try writer.add(OutputFile(area: .site, path: "index.html", text: "home"))
        try writer.add(OutputFile(area: .site, path: "r/A/index.html", text: "a"))
        _ = try writer.commit()
        _ = try folders(site: "work/project/public")
        try Data("stray".utf8).write(to: root.appendingPathComponent("public/stray.html"))
        _ = try folders(site: "work/project/public")
        // Every file the manifest knows edited by hand: no longer recognisably refkit's.
        for path in ["index.html", "r/A/index.html"] {
            try Data("edited".utf8).write(to: root.appendingPathComponent("public/" + path))
        }
        #expect(throws: OutputFolderError.self) { try folders(site: "work/project/public") }
    }

    @Test("a site that cannot be swapped in puts the kit back: both or neither", arguments: [OutputArea.site, .kit])
    func rollback(failing: OutputArea) throws {
        let checked = try folders(site: "work/project/public")
        func build(_ text: String, fail: OutputArea? = nil) throws -> WriteSummary {
            let writer = try OutputWriter(folders: checked)
            writer.failSwap = fail
            do {
                try writer.add(OutputFile(area: .site, path: "index.html", text: text))
                try writer.add(OutputFile(area: .kit, path: "codes.csv", text: text, isPrivate: true))
                return try writer.commit()
            } catch {
                writer.abandon()
                throw error
            }
        }
        func read(_ path: String) -> String? { try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

        // No output yet: a failed first build leaves none.
        #expect(throws: WriteError.self) { try build("one", fail: failing) }
        #expect(read("public/index.html") == nil && read("kit/codes.csv") == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() == ["content", "site-templates"])

        _ = try build("one")
        let error = #expect(throws: WriteError.self) { try build("two", fail: failing) }
        #expect(error?.outputChanged == false)
        #expect(read("public/index.html") == "one")
        #expect(read("kit/codes.csv") == "one")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("public.refkit-staging").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("kit.refkit-staging").path))
        _ = try build("three")
        #expect(read("public/index.html") == "three" && read("kit/codes.csv") == "three")
    }
}
