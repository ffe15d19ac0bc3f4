import Foundation
import RefkitTestSupport
import Testing

/// Where `refkit init` finds the sample project: $REFKIT_SKELETON, beside the binary,
/// ../share/refkit from it (the tarball), the repository it was built in, /usr/share/refkit
/// (the package). Each test links the built binary into a layout of its own.
@Suite("refkit init finds its sample project wherever refkit is installed")
struct SkeletonLookupTests {
    /// A temporary folder with the binary at `binary` (a hard link, so /proc/self/exe names
    /// this path, not the build folder's) and a copy of the sample at each of `samples`, each
    /// marked with its own name in content/which.txt.
    func layout(binary: String, samples: [String]) throws -> URL {
        let fm = FileManager.default
        let root = try TemporaryFolder.create("refkit-skeleton")
        let target = root.appendingPathComponent(binary)
        try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        do { try fm.linkItem(at: CLI.binary, to: target) } catch { try fm.copyItem(at: CLI.binary, to: target) }
        for sample in samples {
            let folder = root.appendingPathComponent(sample)
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            for name in ["content", "site-templates"] {
                try fm.copyItem(at: CLI.repository.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
            try sample.write(to: folder.appendingPathComponent("content/which.txt"), atomically: true, encoding: .utf8)
        }
        return root
    }

    /// Runs `refkit init` with the linked binary; returns the result and which sample it copied.
    func initProject(_ root: URL, binary: String, skeleton: String = "") throws -> (CLI.Result, String?) {
        let project = root.appendingPathComponent("project")
        let result = try CLI.run(root.appendingPathComponent(binary).path, ["init", project.path],
                                 environment: ["REFKIT_SKELETON": skeleton])
        let which = try? String(contentsOf: project.appendingPathComponent("content/which.txt"), encoding: .utf8)
        return (result, which)
    }

    @Test("the tarball's layout: bin/refkit finds share/refkit, also through a symbolic link elsewhere")
    func shareBesideBin() throws {
        let root = try layout(binary: "refkit-0.1.0/bin/refkit", samples: ["refkit-0.1.0/share/refkit"])
        defer { try? FileManager.default.removeItem(at: root) }
        let (result, which) = try initProject(root, binary: "refkit-0.1.0/bin/refkit")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(which == "refkit-0.1.0/share/refkit")

        // A link in ~/bin to the unpacked binary: the sample is found from where the link points.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("home/bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("home/bin/refkit").path,
                                                   withDestinationPath: root.appendingPathComponent("refkit-0.1.0/bin/refkit").path)
        try? FileManager.default.removeItem(at: root.appendingPathComponent("project"))
        let (linked, linkedWhich) = try initProject(root, binary: "home/bin/refkit")
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(linkedWhich == "refkit-0.1.0/share/refkit")
    }

    @Test("a sample beside the binary comes before ../share/refkit, and $REFKIT_SKELETON before both")
    func order() throws {
        let root = try layout(binary: "opt/bin/refkit", samples: ["opt/bin", "opt/share/refkit", "elsewhere"])
        defer { try? FileManager.default.removeItem(at: root) }
        let (beside, besideWhich) = try initProject(root, binary: "opt/bin/refkit")
        #expect(beside.status == 0, "\(beside.stderr)")
        #expect(besideWhich == "opt/bin")

        try? FileManager.default.removeItem(at: root.appendingPathComponent("project"))
        let (explicit, explicitWhich) = try initProject(root, binary: "opt/bin/refkit",
                                                        skeleton: root.appendingPathComponent("elsewhere").path)
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(explicitWhich == "elsewhere")
    }

    @Test("$REFKIT_SKELETON without a sample is an error naming it, not a quiet fallback")
    func wrongVariable() throws {
        let root = try layout(binary: "opt/bin/refkit", samples: ["opt/bin"])
        defer { try? FileManager.default.removeItem(at: root) }
        let empty = root.appendingPathComponent("empty \"\u{301}")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let (result, which) = try initProject(root, binary: "opt/bin/refkit", skeleton: empty.path)
        #expect(result.status == 3)
        #expect(which == nil)
        #expect(result.stderr.contains("looked in $REFKIT_SKELETON (\(empty.path))"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("project").path))
    }

    @Test("with no sample anywhere, init says every place it looked and how to fix it")
    func nowhere() throws {
        // /usr/share/refkit is the last place looked; the refkit package must not be installed here.
        #expect(!FileManager.default.fileExists(atPath: "/usr/share/refkit"))
        let root = try layout(binary: "opt/bin/refkit", samples: [])
        defer { try? FileManager.default.removeItem(at: root) }
        let (result, _) = try initProject(root, binary: "opt/bin/refkit")
        #expect(result.status == 3)
        let bin = root.appendingPathComponent("opt/bin").path
        let share = root.appendingPathComponent("opt/share/refkit").path
        #expect(result.stderr.contains("looked in \(bin), \(share), /usr/share/refkit."), "\(result.stderr)")
        #expect(result.stderr.contains("set REFKIT_SKELETON"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("project").path))
    }

    @Test("a refkit built from source says its version and that it does not know its commit")
    func versionFromSource() throws {
        let result = try CLI.refkit(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^refkit [0-9]+\.[0-9]+\.[0-9]+ \(unknown commit\)\n$"#, options: .regularExpression) != nil,
                "\(result.stdout)")
    }
}
