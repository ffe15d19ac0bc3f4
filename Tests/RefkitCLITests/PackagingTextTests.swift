import Foundation
import RefkitTestSupport
import Testing

/// What the packaging files say against what the binary needs, without packing anything
/// (`make dist` and the install test are the slow checks): attack on #19/#20, F7 and F8.
@Suite("Packaging texts")
struct PackagingTextTests {
    static func text(_ path: String) throws -> String {
        try String(contentsOf: CLI.repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The Debian packages of the libraries the binary links directly (the C and C++ runtime,
    /// on every system, left out; the Swift runtime, linked in by `make dist`, is no package).
    static func linkedPackages() throws -> Set<String> {
        let needed = try CLI.run("objdump", ["-p", CLI.binary.path])
        #expect(needed.status == 0, "\(needed.output)")
        let libraries = needed.stdout.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.first == "NEEDED" ? words.last.map(String.init) : nil
        }
        let ldd = try CLI.run("ldd", [CLI.binary.path])
        var packages = Set<String>()
        for library in libraries {
            guard let line = ldd.stdout.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(library + " ") }),
                  let path = line.split(separator: " ").first(where: { $0.hasPrefix("/") }) else { continue }
            let real = URL(fileURLWithPath: String(path)).resolvingSymlinksInPath().path
            let owner = try CLI.run("dpkg", ["-S", real])
            guard owner.status == 0, let package = owner.stdout.split(separator: ":").first else { continue }
            packages.insert(String(package))
        }
        return packages.subtracting(["libc6", "libstdc++6", "libgcc-s1"])
    }

    @Test("INSTALL's apt-get line names the package of every library the binary links, librsvg and gdk-pixbuf included, and Ghostscript")
    func installListsLibraries() throws {
        let install = try Self.text("packaging/INSTALL")
        let packages = try Self.linkedPackages()
        #expect(packages.contains("librsvg2-2") && packages.contains("libgdk-pixbuf-2.0-0"), "\(packages)")
        for package in packages {
            #expect(install.contains(" \(package) ") || install.contains(" \(package)\n"), "INSTALL does not name \(package)")
        }
        #expect(install.contains("apt-get install ghostscript"))
    }

    @Test("the package recommends Ghostscript (print.pdf: x4 and x1a run gs) and its copyright file names librsvg's and gdk-pixbuf's licences")
    func controlAndCopyright() throws {
        let control = try Self.text("packaging/debian/control.in")
        let recommends = try #require(control.split(separator: "\n").first { $0.hasPrefix("Recommends:") })
        #expect(recommends.contains("ghostscript"))
        let copyright = try Self.text("packaging/debian/copyright").replacingOccurrences(of: "\n ", with: " ")
        #expect(copyright.contains("librsvg (LGPL-2.1+)"))
        #expect(copyright.contains("gdk-pixbuf (LGPL-2.1+)"))
    }

    @Test("make-dist: bash reads it; md5sums are NUL-separated; the commit ignores tags; hidden files are not packed; sed values are escaped")
    func makeDist() throws {
        let syntax = try CLI.run("bash", ["-n", CLI.repository.appendingPathComponent("packaging/make-dist").path])
        #expect(syntax.status == 0, "\(syntax.output)")
        let script = try Self.text("packaging/make-dist")
        #expect(script.contains("-print0 | LC_ALL=C sort -z | xargs -0 md5sum"))
        #expect(!script.contains("| xargs md5sum"))
        #expect(script.contains("--exclude '*'"))
        #expect(script.contains("-name '.*' -prune -exec rm -rf"))
        #expect(!script.contains("s/@SHLIBS@/$shlibs/"))
        // The escaping function, run on a value with every character sed treats specially.
        let function = try #require(script.split(separator: "\n").first { $0.hasPrefix("sed_value()") })
        let run = try CLI.run("bash", ["-c", "\(function)\nv=$(sed_value 'a/b&c\\d|e'); echo X | sed -e \"s/X/$v/\""])
        #expect(run.stdout == "a/b&c\\d|e\n", "\(run.output)")
    }
}
