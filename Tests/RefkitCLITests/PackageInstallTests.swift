import Foundation
import RefkitTestSupport
import Testing

/// `make dist`'s package, installed where users install it: packaging/install-test builds it
/// with the same script, installs it with apt into a fresh Debian 12 root that has no Swift
/// toolchain, and there runs refkit --version, init, build, man and the completion scripts, then
/// removes and purges it and checks that nothing is left behind (see that script). Here the
/// package's contents and the project it built are checked with the host's tools.
///
/// Needs root and Debian's package registry. The first run makes the Debian root (several
/// minutes) in a cache outside the clone; later runs reuse it.
@Suite("the Debian package installs, works and uninstalls cleanly on a fresh Debian 12", .serialized)
struct PackageInstallTests {
    static let dist = CLI.repository.appendingPathComponent("dist")
    static let project = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-installed-\(UUID().uuidString)")

    /// One run of packaging/install-test (which makes dist/ first) for all the tests here,
    /// whatever order they run in.
    /// nil when the script could not be started at all.
    static let install: CLI.Result? = try? CLI.run(CLI.repository.appendingPathComponent("packaging/install-test").path,
                                                   ["--project-out", project.path], combined: true)

    func distFile(_ prefix: String, _ suffix: String) throws -> URL {
        _ = try #require(Self.install, "packaging/install-test did not start")
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.dist.path)
            .filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }
        #expect(names.count == 1, "dist/ holds \(names)")
        return Self.dist.appendingPathComponent(try #require(names.first))
    }

    @Test("installed with apt into a fresh root: version, init, build, man, completions, then removed without a trace")
    func installTest() throws {
        let result = try #require(Self.install, "packaging/install-test did not start")
        let project = Self.project
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(result.status == 0, "\(result.stdout.suffix(6000))")
        let output = result.stdout
        #expect(output.range(of: #"\nrefkit [0-9]+\.[0-9]+\.[0-9]+ \(commit [0-9a-f]{7,}(-dirty)?\)\n"#, options: .regularExpression) != nil,
                "\(output.suffix(3000))")
        #expect(output.contains("bash, zsh and fish scripts parse"))
        #expect(output.contains("nothing left behind"))

        // The project the installed refkit built: nothing private in its public/, and postcards
        // that poppler reads as PDFs with pages.
        try CLI.scanBuild(arguments: ["build", "--root", project.path], in: nil)
        let prints = try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("kit/print").path)
        let shop = try #require(prints.first { $0.contains("-shop-") })
        let info = try CLI.run("pdfinfo", [project.appendingPathComponent("kit/print/" + shop).path])
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.range(of: #"Pages: +[1-9]"#, options: .regularExpression) != nil)
    }

    @Test("dpkg -c lists the binary, the sample, a man page per command and the three completions")
    func packageContents() throws {
        let deb = try distFile("refkit_", "_amd64.deb")
        let listing = try CLI.run("dpkg-deb", ["-c", deb.path])
        #expect(listing.status == 0, "\(listing.stderr)")
        let paths = Set(listing.stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map { String($0.dropFirst()) } })
        for path in ["/usr/bin/refkit", "/usr/share/refkit/content/site.yaml", "/usr/share/refkit/site-templates/layouts/landing.mustache",
                     "/usr/share/man/man1/refkit.1.gz", "/usr/share/man/man1/refkit-build.1.gz", "/usr/share/man/man1/refkit-init.1.gz",
                     "/usr/share/man/man1/refkit-serve.1.gz", "/usr/share/man/man1/refkit-codes-check.1.gz",
                     "/usr/share/bash-completion/completions/refkit", "/usr/share/zsh/vendor-completions/_refkit",
                     "/usr/share/fish/vendor_completions.d/refkit.fish",
                     "/usr/share/doc/refkit/copyright", "/usr/share/doc/refkit/changelog.Debian.gz"] {
            #expect(paths.contains(path), "\(path) is not in the package")
        }
        // The print worker is refkit's own child process: hidden from help, and from man.
        #expect(!paths.contains { $0.contains("print-worker") })
        let extracted = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-deb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: extracted) }
        #expect(try CLI.run("dpkg-deb", ["-x", deb.path, extracted.path]).status == 0)
        let rootPage = try CLI.run("man", ["-l", extracted.appendingPathComponent("usr/share/man/man1/refkit.1.gz").path],
                                   environment: ["MANWIDTH": "100", "MAN_KEEP_FORMATTING": ""])
        #expect(rootPage.stdout.contains("refkit-build(1)"), "\(rootPage.stdout)")
        #expect(!rootPage.stdout.contains("print-worker") && !rootPage.stdout.contains("refkit-help"), "\(rootPage.stdout)")
        #expect(listing.stdout.contains("root/root"))

        let depends = try CLI.run("dpkg-deb", ["-f", deb.path, "Depends"]).stdout
        for package in ["fonts-noto-core", "fonts-noto-cjk", "libpango-1.0-0", "libcairo2", "libqrencode4", "libcmark"] {
            #expect(depends.contains(package), "Depends: \(depends)")
        }
    }

    @Test("the tarball holds the same tree under refkit-VERSION/, with README and INSTALL")
    func tarball() throws {
        let tarball = try distFile("refkit-", "-linux-x86_64.tar.gz")
        let version = String(tarball.lastPathComponent.dropFirst("refkit-".count).dropLast("-linux-x86_64.tar.gz".count))
        let listing = try CLI.run("tar", ["-tzvf", tarball.path])
        #expect(listing.status == 0, "\(listing.stderr)")
        for path in ["bin/refkit", "share/refkit/content/site.yaml", "share/man/man1/refkit-build.1.gz",
                     "share/bash-completion/completions/refkit", "share/zsh/vendor-completions/_refkit",
                     "share/fish/vendor_completions.d/refkit.fish", "README.md", "INSTALL", "COPYRIGHT"] {
            #expect(listing.stdout.contains(" refkit-\(version)/\(path)\n"), "\(path) is not in the tarball")
        }
        #expect(!listing.stdout.contains(".git"))
    }
}
