import Foundation
import RefkitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Links and special files placed in `content/` and `site-templates/` to publish what must stay
/// private (issue 17, class 1), through the real binary on a project that has been built once,
/// so that its kit holds a secret, a ledger and a merge file to steal. Each is refused with
/// its file and a fix, exit 1, and `public/` and `kit/` stay byte for byte as they were.
@Suite("Hostile links and files in the input folders", .serialized)
struct HostileFileTests {
    static let now = ["--now", "2026-11-23"]

    /// The sample, built once.
    static func builtProject(_ extra: [String] = []) throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-hostile")
        let first = try CLI.refkit(["build", "--root", project.path, "--quiet"] + now + extra)
        try #require(first.status == 0, "\(first.stderr)")
        return project
    }

    static func link(_ project: URL, _ path: String, to target: String) throws {
        let url = project.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// Every file under the folders, with its bytes.
    static func contents(_ folders: [URL]) -> [String: Data] {
        var out: [String: Data] = [:]
        for folder in folders {
            for (path, _) in CLI.snapshot(folder) {
                out[folder.lastPathComponent + "/" + path] = try? Data(contentsOf: folder.appendingPathComponent(path))
            }
        }
        return out
    }

    /// Builds again and checks the refusal: exit 1, each expected `file: message` fragment on
    /// stderr, nothing written, and nothing private in the site.
    static func expectRefused(_ project: URL, _ expected: [String], arguments: [String] = [],
                              site: URL? = nil, kit: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let site = site ?? project.appendingPathComponent("public"), kit = kit ?? project.appendingPathComponent("kit")
        let before = contents([site, kit])
        let result = try CLI.refkit(["build", "--root", project.path] + now + arguments)
        #expect(result.status == 1, "\(result.output)", sourceLocation: sourceLocation)
        for fragment in expected {
            #expect(result.stderr.contains(fragment), "no `\(fragment)` in:\n\(result.stderr)", sourceLocation: sourceLocation)
        }
        #expect(result.stderr.lowercased().contains("nothing was written"), "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(contents([site, kit]) == before, "the failed build changed the output", sourceLocation: sourceLocation)
        try PrivacyScan(project: project, kit: kit).check(site)
    }

    @Test("a link out of its folder, to the ledger, the secret, the merge file, referrers.csv or /etc is refused", arguments: [
        ("content/assets/secret.txt", "../../kit/secret", "this is a link to `../../kit/secret`, outside content/; copy the file into content/ instead of linking to it"),
        ("content/assets/codes.csv", "../../kit/codes.csv", "outside content/"),
        ("content/assets/merge.csv", "../../kit/mail/merge.csv", "outside content/"),
        ("content/assets/deep/er/codes.csv", "../../../../kit/codes.csv", "outside content/"),
        ("content/assets/friends.csv", "../referrers.csv", "this is a link to content/referrers.csv, which is private and never published"),
        ("content/assets/passwd.txt", "/etc/passwd", "this is a link to `/etc/passwd`, outside content/"),
        ("content/assets/kit", "../../kit", "this is a link to the folder `../../kit`"),
        ("content/assets/tmp", "/tmp", "this is a link to the folder `/tmp`"),
        ("content/assets/here", ".", "this is a link to the folder `.`"),
        ("content/assets/up", "..", "this is a link to the folder `..`"),
        ("content/assets/loop.png", "loop.png", "this is a link to `loop.png` that leads back to itself"),
        ("content/assets/gone.png", "../../kit/deleted.png", "which does not exist"),
        ("site-templates/static/secret.txt", "../../kit/secret", "this is a link to `../../kit/secret`, outside site-templates/"),
        ("site-templates/static/codes.txt", "../../content/referrers.csv", "outside site-templates/"),
        ("site-templates/static/logo.svg", "../../content/assets/logo.svg", "outside site-templates/"),
        ("site-templates/i18n/de.yaml", "../../kit/secret", "outside site-templates/"),
        ("content/programs/ledger.md", "../../kit/codes.csv", "outside content/"),
    ])
    func linkOut(path: String, target: String, expected: String) throws {
        let project = try Self.builtProject()
        try Self.link(project, path, to: target)
        try Self.expectRefused(project, ["error: \(path): this is a link to ", expected])
    }

    @Test("a chain of links is judged by where it ends, and each link is named")
    func chain() throws {
        let project = try Self.builtProject()
        // Innocent-looking names, each one step, ending in the kit.
        try Self.link(project, "content/assets/photo.jpg", to: "img/photo-large.jpg")
        try Self.link(project, "content/assets/img/photo-large.jpg", to: "../../programs/.cache")
        try Self.link(project, "content/programs/.cache", to: "../../kit/secret")
        try Self.expectRefused(project, [
            "error: content/assets/photo.jpg: this is a link to `img/photo-large.jpg` (which leads to `kit/secret`), outside content/",
            "error: content/assets/img/photo-large.jpg: this is a link to `../../programs/.cache` (which leads to `kit/secret`), outside content/",
        ])
    }

    @Test("a hidden file is never published, even through a link from a visible name")
    func hidden() throws {
        let project = try Self.builtProject()
        try "API_KEY=hunter2\n".write(to: project.appendingPathComponent("content/.env"), atomically: true, encoding: .utf8)
        try Self.link(project, "content/assets/env.txt", to: "../.env")
        try Self.expectRefused(project, ["error: content/assets/env.txt: this is a link to the hidden file `content/.env`"])
    }

    @Test("an input folder, or a folder inside one, that is a link is refused", arguments: [
        ("content/assets", "../kit", "error: content/assets: this is a link to the folder `../kit`"),
        ("site-templates/static", "../kit/mail", "error: site-templates/static: this is a link to the folder `../kit/mail`"),
        ("site-templates/print", "../kit", "error: site-templates/print: this is a link to the folder `../kit`"),
    ])
    func folderLink(path: String, target: String, expected: String) throws {
        let project = try Self.builtProject()
        try FileManager.default.removeItem(at: project.appendingPathComponent(path))
        try Self.link(project, path, to: target)
        try Self.expectRefused(project, [expected])
    }

    @Test("content/ itself may not be a link")
    func contentLink() throws {
        let project = try Self.builtProject()
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-elsewhere-\(UUID().uuidString)")
        try FileManager.default.moveItem(at: project.appendingPathComponent("content"), to: elsewhere)
        try Self.link(project, "content", to: elsewhere.path)
        try Self.expectRefused(project, ["error: content/: this is a link to `\(elsewhere.path)`; replace the link with the folder itself"])
    }

    @Test("a named pipe is refused instead of blocking the build forever")
    func namedPipe() throws {
        let project = try Self.builtProject()
        #expect(mkfifo(project.appendingPathComponent("site-templates/static/app.js").path, 0o644) == 0)
        try Self.expectRefused(project, ["error: site-templates/static/app.js: this is a named pipe (FIFO), not a regular file; remove it"])
    }

    @Test("with --kit and --out elsewhere, links to them are refused and the scan uses them")
    func customFolders() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-outside-\(UUID().uuidString)")
        let kit = outside.appendingPathComponent("private-kit"), site = outside.appendingPathComponent("site")
        let folders = ["--kit", kit.path, "--out", site.path]
        let project = try Self.builtProject(folders)
        try Self.link(project, "content/assets/a.txt", to: kit.appendingPathComponent("secret").path)
        try Self.link(project, "site-templates/static/b.csv", to: kit.appendingPathComponent("codes.csv").path)
        try Self.link(project, "content/assets/c.html", to: site.appendingPathComponent("index.html").path)
        try Self.expectRefused(project, [
            "error: content/assets/a.txt: this is a link to `\(kit.path)/secret`, outside content/",
            "error: site-templates/static/b.csv: this is a link to `\(kit.path)/codes.csv`, outside site-templates/",
            "error: content/assets/c.html:",
        ], arguments: folders, site: site, kit: kit)
    }

    @Test("an output folder inside content/ or site-templates/ is refused before anything is read", arguments: [
        ["--out", "content/assets/site"], ["--kit", "content/assets/kit"], ["--kit", "site-templates/static/kit"], ["--out", "content"],
    ])
    func outputInsideInput(arguments: [String]) throws {
        let project = try CLI.sampleProject(prefix: "refkit-hostile")
        let folder = project.appendingPathComponent(arguments[1])
        let input = arguments[1].hasPrefix("content") ? "content" : "site-templates"
        let result = try CLI.refkit(["build", "--root", project.path] + Self.now + [arguments[0], folder.path])
        // The output-folder rules refuse it first, as a usage error, before the loader runs.
        #expect(result.status == 2, "\(result.output)")
        #expect(result.stderr.contains("the project's \(input)/ folder"), "\(result.stderr)")
        #expect(result.stderr.contains("choose a new or empty folder for \(arguments[0])"), "\(result.stderr)")
        #expect(arguments[1] == "content" || !FileManager.default.fileExists(atPath: folder.path))
        for folder in ["kit", "public"] {
            #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent(folder).path), "\(folder) was made")
        }
    }

    @Test("a link to a file in the same folder is followed and published")
    func linkInside() throws {
        let project = try Self.builtProject()
        try Self.link(project, "content/assets/brand/logo-copy.svg", to: "../logo.svg")
        try Self.link(project, "site-templates/static/main.css", to: "style.css")
        let result = try CLI.refkit(["build", "--root", project.path] + Self.now)
        #expect(result.status == 0, "\(result.stderr)")
        let logo = try Data(contentsOf: project.appendingPathComponent("content/assets/logo.svg"))
        let published = CLI.snapshot(project.appendingPathComponent("public")).keys
        let copy = try #require(published.first { $0.contains("logo-copy") })
        #expect(try Data(contentsOf: project.appendingPathComponent("public/" + copy)) == logo)
        #expect(published.contains { $0.contains("main") && $0.hasSuffix(".css") }, "\(published.sorted())")
    }

    /// The build's fingerprint used to walk both folders on its own, reading every file the
    /// loader skips: a hidden link to the kit went into the fingerprint, and any file added to
    /// the folders, read or not, made the next build render everything again.
    @Test("the build reads only what the loader read: hidden files and links are not touched")
    func fingerprintsWhatWasLoaded() throws {
        let project = try Self.builtProject()
        let cache = project.appendingPathComponent("content/.cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        #expect(mkfifo(cache.appendingPathComponent("pipe").path, 0o644) == 0)
        try Self.link(project, "site-templates/.git/HEAD", to: "../../kit/secret")
        // `timeout`, so that a regression fails (exit 124) rather than hangs the suite.
        let result = try CLI.run("timeout", ["120", CLI.binary.path, "build", "--root", project.path] + Self.now)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("Nothing was rendered or written"), "\(result.stdout)")
        try CLI.scanBuild(arguments: ["build", "--root", project.path], in: nil)

        // A file the loader does not read changes no output, so nothing is rendered again.
        try "notes to self\n".write(to: project.appendingPathComponent("content/notes.txt"), atomically: true, encoding: .utf8)
        try "theme notes\n".write(to: project.appendingPathComponent("site-templates/README.md"), atomically: true, encoding: .utf8)
        let again = try CLI.refkit(["build", "--root", project.path] + Self.now)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("Nothing was rendered or written"), "\(again.stdout)")

        // One that it reads does.
        try "body { color: red }\n".write(to: project.appendingPathComponent("site-templates/static/style.css"), atomically: true, encoding: .utf8)
        let changed = try CLI.refkit(["build", "--root", project.path] + Self.now)
        #expect(changed.status == 0 && !changed.stdout.contains("Nothing was rendered"), "\(changed.stdout)")
    }
}
