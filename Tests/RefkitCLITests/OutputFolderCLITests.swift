import Foundation
import RefkitTestSupport
import Testing

/// `--out` and `--kit` through the real binary: folders a build must never replace are refused
/// with a usage error before anything is created or deleted anywhere, and a build whose site
/// cannot be swapped in leaves the kit as it was too.
@Suite("Output folders through the CLI", .serialized)
struct OutputFolderCLITests {
    /// base/project (the sample, built once), base/home (HOME for the runs, with a file),
    /// base/mine (a folder of someone's files), base/link (a link to the project).
    let base: URL
    var project: URL { base.appendingPathComponent("project") }
    var home: URL { base.appendingPathComponent("home") }

    init() throws {
        base = try TemporaryFolder.create("refkit-out")
        try FileManager.default.moveItem(at: try CLI.sampleProject(prefix: "refkit-out-sample"), to: project)
        try FileManager.default.createDirectory(at: home.appendingPathComponent("Documents"), withIntermediateDirectories: true)
        try Data("my notes".utf8).write(to: home.appendingPathComponent("Documents/notes.txt"))
        let mine = base.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: mine.appendingPathComponent("css"), withIntermediateDirectories: true)
        try Data("<h1>my own site</h1>".utf8).write(to: mine.appendingPathComponent("index.html"))
        try Data("body{}".utf8).write(to: mine.appendingPathComponent("css/site.css"))
        try FileManager.default.createSymbolicLink(at: base.appendingPathComponent("link"), withDestinationURL: project)
        #expect(try build([]).status == 0)
    }

    func build(_ arguments: [String], environment: [String: String] = [:]) throws -> CLI.Result {
        try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"] + arguments,
                       environment: ["HOME": home.path].merging(environment) { $1 })
    }

    /// Every entry under `folder`, hidden ones included, links not followed: kind, bytes and
    /// modification time, so that anything created, deleted, rewritten or touched shows.
    static func tree(_ folder: URL) -> [String: String] {
        var out: [String: String] = [:]
        let fm = FileManager.default
        for case let path as String in fm.enumerator(atPath: folder.path) ?? .init() {
            let full = folder.appendingPathComponent(path).path
            let attributes = (try? fm.attributesOfItem(atPath: full)) ?? [:]
            let kind = attributes[.type] as? FileAttributeType
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            switch kind {
            case .typeSymbolicLink?: out[path] = "link " + ((try? fm.destinationOfSymbolicLink(atPath: full)) ?? "?")
            case .typeDirectory?: out[path] = "folder"
            default:
                out[path] = "file \(time) " + (fm.contents(atPath: full) ?? Data()).base64EncodedString()
            }
        }
        return out
    }

    static func rootNames() -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: "/")) ?? []) }

    /// What each placeholder stands for.
    func path(_ name: String) -> String {
        name.replacingOccurrences(of: "BASE", with: base.path).replacingOccurrences(of: "PROJECT", with: project.path)
            .replacingOccurrences(of: "HOME", with: home.path)
    }

    static let refused: [(String, String)] = [
        ("/", "is the root of the file system"),
        ("//", "is the root of the file system"),
        ("/..", "is the root of the file system"),
        ("HOME", "is your home folder"),
        ("BASE", "contains your home folder"),
        ("PROJECT", "is the project folder itself"),
        ("BASE/link", "is the project folder itself"),
        ("PROJECT/content/..", "is the project folder itself"),
        ("PROJECT/content", "is the project's content/ folder"),
        ("PROJECT/content/assets/site", "is inside the project's content/ folder"),
        ("PROJECT/site-templates", "is the project's site-templates/ folder"),
        ("PROJECT/site-templates/static/site", "is inside the project's site-templates/ folder"),
        ("BASE/link/content", "is the project's content/ folder"),
        ("BASE/mine/index.html", "is a file, not a folder"),
    ]

    @Test("--out and --kit refuse /, the home folder, the project, folders above them and its inputs; nothing is created or deleted")
    func refusedEverywhere() throws {
        for (folder, message) in Self.refused {
            try refused(folder: folder, message: message)
        }
    }

    func refused(folder: String, message: String) throws {
        for option in ["--out", "--kit"] {
            let (before, names) = (Self.tree(base), Self.rootNames())
            let result = try build([option, path(folder)])
            #expect(result.status == 2, "\(option) \(folder): \(result.output)")
            let name = option == "--out" ? "the site folder (--out) " : "the kit folder (--kit) "
            #expect(result.stderr.contains(name + message), "\(option) \(folder): \(result.stderr)")
            #expect(result.stderr.contains("choose a new or empty folder for \(option)"), "\(result.stderr)")
            #expect(result.stderr.contains("Nothing was written."))
            #expect(Self.tree(base) == before, "\(option) \(folder) changed files")
            #expect(Self.rootNames() == names, "\(option) \(folder) changed /")
        }
    }

    @Test("a folder of someone else's files is refused as --out and as --kit, and keeps every file")
    func someoneElsesFolder() throws {
        let before = Self.tree(base)
        let site = try build(["--out", base.appendingPathComponent("mine").path])
        #expect(site.status == 2 && site.stderr.contains("is not empty and is not refkit's previous output"), "\(site.stderr)")
        let kit = try build(["--kit", base.appendingPathComponent("mine").path])
        #expect(kit.status == 2 && kit.stderr.contains("is not empty and is not a refkit kit"), "\(kit.stderr)")
        // The home folder's own subfolders too.
        let documents = try build(["--out", home.appendingPathComponent("Documents").path])
        #expect(documents.status == 2, "\(documents.stderr)")
        #expect(Self.tree(base) == before)
    }

    @Test("refkit report refuses the same kit folders as a build, before reading or writing anything")
    func report() throws {
        let submissions = base.appendingPathComponent("submissions.csv")
        try Data("email,code\n".utf8).write(to: submissions)
        let before = (Self.tree(base), Self.rootNames())
        for folder in ["/", "HOME", "BASE", "PROJECT", "PROJECT/content", "BASE/mine"] {
            let result = try CLI.refkit(["report", submissions.path, "--root", project.path, "--kit", path(folder), "--now", "2026-11-23"],
                                        environment: ["HOME": home.path])
            #expect(result.status == 2, "\(folder): \(result.output)")
            #expect(result.stderr.contains("the kit folder (--kit)"), "\(folder): \(result.stderr)")
        }
        #expect(Self.tree(base) == before.0)
        #expect(Self.rootNames() == before.1)
    }

    @Test("one folder for both, or one inside the other, is refused before anything is made")
    func overlapping() throws {
        let before = Self.tree(base)
        for arguments in [["--out", path("BASE/out"), "--kit", path("BASE/out")],
                          ["--out", path("BASE/out"), "--kit", path("BASE/out/kit")],
                          ["--out", path("PROJECT/kit/site")],
                          ["--kit", path("PROJECT/public/kit")]] {
            let result = try build(arguments)
            #expect(result.status == 2, "\(arguments): \(result.output)")
            #expect(Self.tree(base) == before, "\(arguments)")
        }
    }

    @Test("refkit's own output is accepted: a new folder, again, with a file added by hand, a copy, a kit restored as its ledger and secret")
    func ownOutputAccepted() throws {
        let out = base.appendingPathComponent("out")
        #expect(try build(["--out", out.path]).status == 0)
        #expect(try build(["--out", out.path]).status == 0)
        try Data("stray".utf8).write(to: out.appendingPathComponent("stray.html"))
        #expect(try build(["--out", out.path]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("stray.html").path))

        // A copy of the project with new file times (`cp -r`): recognised by the bytes.
        let copy = base.appendingPathComponent("copy")
        #expect(try CLI.run("cp", ["-r", project.path, copy.path]).status == 0)
        let again = try CLI.refkit(["build", "--root", copy.path, "--now", "2026-11-23", "-q"], environment: ["HOME": home.path])
        #expect(again.status == 0, "\(again.stderr)")

        // A kit restored from a backup as its ledger and secret only: the codes stay.
        let kit = project.appendingPathComponent("kit")
        let ledger = try Data(contentsOf: kit.appendingPathComponent("codes.csv"))
        let secret = try Data(contentsOf: kit.appendingPathComponent("secret"))
        try FileManager.default.removeItem(at: kit)
        try FileManager.default.removeItem(at: project.appendingPathComponent("public"))
        try FileManager.default.createDirectory(at: kit, withIntermediateDirectories: true)
        try ledger.write(to: kit.appendingPathComponent("codes.csv"))
        try secret.write(to: kit.appendingPathComponent("secret"))
        #expect(try build([]).status == 0)
        #expect(try Data(contentsOf: kit.appendingPathComponent("codes.csv")) == ledger)
    }

    @Test("a site whose kit lost its manifest is refused, saying to delete it; deleted, it is built again")
    func lostManifest() throws {
        let kit = project.appendingPathComponent("kit")
        try FileManager.default.removeItem(at: kit.appendingPathComponent(".refkit"))
        let site = Self.tree(project.appendingPathComponent("public"))
        let result = try build([])
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.contains("delete it and refkit makes it again"), "\(result.stderr)")
        #expect(Self.tree(project.appendingPathComponent("public")) == site)
        try FileManager.default.removeItem(at: project.appendingPathComponent("public"))
        #expect(try build([]).status == 0)
    }

    @Test("when the site (or the kit) cannot be swapped in, the kit and the site both stay as they were, the ledger included", arguments: ["site", "kit"])
    func bothOrNeither(failing: String) throws {
        // A new referrer: the ledger gains a row and a personal page appears.
        let csv = project.appendingPathComponent("content/referrers.csv")
        try (String(contentsOf: csv, encoding: .utf8) + "late.comer@example.com,Late Comer,,en,,\n").write(to: csv, atomically: true, encoding: .utf8)
        let site = Self.tree(project.appendingPathComponent("public"))
        let kit = Self.tree(project.appendingPathComponent("kit"))
        let failed = try build([], environment: ["REFKIT_TEST_FAIL_SWAP": failing])
        #expect(failed.status == 3, "\(failed.output)")
        #expect(failed.stderr.contains("cannot replace the output folder") && failed.stderr.contains("Nothing was written."), "\(failed.stderr)")
        #expect(Self.tree(project.appendingPathComponent("public")) == site)
        #expect(Self.tree(project.appendingPathComponent("kit")) == kit)
        let names = try FileManager.default.contentsOfDirectory(atPath: project.path)
        #expect(!names.contains { $0.hasSuffix(".refkit-staging") || $0.hasSuffix(".refkit-old") }, "\(names)")

        #expect(try build([]).status == 0)
        #expect(try String(contentsOf: project.appendingPathComponent("kit/codes.csv"), encoding: .utf8).contains("late.comer@example.com"))
    }

    @Test("a first build whose site cannot be swapped in leaves neither a site nor a kit")
    func firstBuildBothOrNeither() throws {
        let out = base.appendingPathComponent("fresh/public"), kit = base.appendingPathComponent("fresh/kit")
        let failed = try build(["--out", out.path, "--kit", kit.path], environment: ["REFKIT_TEST_FAIL_SWAP": "site"])
        #expect(failed.status == 3, "\(failed.output)")
        #expect(!FileManager.default.fileExists(atPath: out.path) && !FileManager.default.fileExists(atPath: kit.path))
    }
}
