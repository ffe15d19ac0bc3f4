import Foundation
import RefkitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Interrupted, concurrent and starved builds: the promise is that `public/` and `kit/` are
/// always a complete output (the old one or the new one) and that no issued code is lost.
@Suite("Robustness of builds", .serialized)
struct RobustnessTests {
    /// Every file under a folder with its bytes; the manifest and lock are bookkeeping.
    static func contents(_ folder: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        for (path, _) in CLI.snapshot(folder) where !path.hasPrefix(".refkit/") {
            out[path] = try? Data(contentsOf: folder.appendingPathComponent(path))
        }
        return out
    }

    static func copy(_ from: URL) throws -> URL {
        let to = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: from, to: to)
        return to
    }

    /// The sample with `extra` more referrers, so that a build lasts long enough to interrupt.
    static func largerProject(extra: Int) throws -> URL {
        let project = try CLI.sampleProject()
        let csv = project.appendingPathComponent("content/referrers.csv")
        var text = try String(contentsOf: csv, encoding: .utf8)
        let names = [("Camille Bernard", "fr"), ("佐藤 美咲", "ja"), ("李伟", "zh"), ("Nur Aisyah binti Hassan", "ms"), ("Oliver Brown", "en")]
        for i in 0..<extra {
            let (name, lang) = names[i % names.count]
            text += "person\(i)@example.com,\(name),,\(lang),,\n"
        }
        try text.write(to: csv, atomically: true, encoding: .utf8)
        return project
    }

    @Test("a build killed at any point leaves the old or the new output, loses no ledger row, and the next build succeeds")
    func killedBuilds() throws {
        let base = try Self.largerProject(extra: 120)
        #expect(try CLI.refkit(["build", "--root", base.path, "--now", "2026-11-23", "--quiet"]).status == 0)
        // The change: ten more referrers and a new brand name, so every page changes.
        let csv = base.appendingPathComponent("content/referrers.csv")
        let site = base.appendingPathComponent("content/site.yaml")
        let oldLedger = try Data(contentsOf: base.appendingPathComponent("kit/codes.csv"))
        let old = (site: Self.contents(base.appendingPathComponent("public")), kit: Self.contents(base.appendingPathComponent("kit")))
        func change(_ project: URL) throws {
            var text = try String(contentsOf: project.appendingPathComponent("content/referrers.csv"), encoding: .utf8)
            for i in 0..<10 { text += "late\(i)@example.com,Late Person \(i),,fr,,\n" }
            try text.write(to: project.appendingPathComponent("content/referrers.csv"), atomically: true, encoding: .utf8)
            let yaml = try String(contentsOf: project.appendingPathComponent("content/site.yaml"), encoding: .utf8)
            try yaml.replacingOccurrences(of: "name: Boulangerie Martin", with: "name: Boulangerie Martin & Fils")
                .write(to: project.appendingPathComponent("content/site.yaml"), atomically: true, encoding: .utf8)
        }
        _ = (csv, site)

        // The new output, from an uninterrupted build of the same change.
        let reference = try Self.copy(base)
        try change(reference)
        let start = Date()
        #expect(try CLI.refkit(["build", "--root", reference.path, "--now", "2026-11-23", "--quiet"]).status == 0)
        let duration = Date().timeIntervalSince(start)
        let new = (site: Self.contents(reference.appendingPathComponent("public")), kit: Self.contents(reference.appendingPathComponent("kit")))
        #expect(new.site != old.site)

        var outcomes: Set<String> = []
        for step in 0..<7 {
            let project = try Self.copy(base)
            try change(project)
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["build", "--root", project.path, "--now", "2026-11-23", "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Spread the kills over the whole build, the swap at its end included; the last one
            // comes well after the build ends, so the new output is seen too.
            let share = step == 6 ? 3.0 : Double(step) / 5 * 1.1
            usleep(useconds_t(duration * 1_000_000 * share))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let site = Self.contents(project.appendingPathComponent("public"))
            let kit = Self.contents(project.appendingPathComponent("kit"))
            #expect(site == old.site || site == new.site, "public/ is a mix after a kill at step \(step)")
            #expect(kit == old.kit || kit == new.kit, "kit/ is a mix after a kill at step \(step)")
            let ledger = try Data(contentsOf: project.appendingPathComponent("kit/codes.csv"))
            #expect(ledger.starts(with: oldLedger), "the ledger lost or changed a row at step \(step)")
            outcomes.insert((site == old.site ? "old" : "new") + "/" + (kit == old.kit ? "old" : "new"))

            let next = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "--quiet"])
            #expect(next.status == 0, "\(next.stderr)")
            #expect(Self.contents(project.appendingPathComponent("public")) == new.site)
            #expect(Self.contents(project.appendingPathComponent("kit")) == new.kit)
        }
        // Both ends were reached: kills before the swap and after it.
        #expect(outcomes.contains("old/old") && outcomes.contains("new/new"), "\(outcomes)")
    }

    /// A copy of the binary, so that its print workers are told apart from other tests' by
    /// path, and a build of `project` started with it, returned once both workers draw.
    static func buildUntilPrinting(_ project: URL) throws -> (binary: URL, process: Process, stderr: Pipe) {
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-worker-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: CLI.binary, to: binary)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["build", "--root", project.path, "--now", "2026-11-23", "--verbose"]
        var environment = ProcessInfo.processInfo.environment
        environment["REFKIT_SKELETON"] = CLI.repository.path
        environment["REFKIT_PRINT_WORKERS"] = "2"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        var seen = ""
        while !seen.contains("Render postcards"), process.isRunning {
            seen += String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        }
        let deadline = Date().addingTimeInterval(20)
        while printWorkers(of: binary).count < 2, Date() < deadline { usleep(20_000) }
        #expect(printWorkers(of: binary).count == 2, "\(seen)")
        return (binary, process, err)
    }

    /// The process ids of `binary print-worker` processes.
    static func printWorkers(of binary: URL) -> [Int32] {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
        return pids.filter { pid in
            guard let cmdline = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")) else { return false }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.first == binary.path && arguments.contains("print-worker")
        }
    }

    @Test("a build killed while its print workers draw leaves no worker behind, and the next build succeeds")
    func killedDuringPrint() throws {
        // Fifteen postcard files (five languages, three variants): enough for two workers.
        let project = try Self.largerProject(extra: 1_200)
        let (binary, process, _) = try Self.buildUntilPrinting(project)
        defer { try? FileManager.default.removeItem(at: binary) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        // Each worker finds its socket closed when it next answers, and exits.
        let gone = Date().addingTimeInterval(30)
        while !Self.printWorkers(of: binary).isEmpty, Date() < gone { usleep(50_000) }
        #expect(Self.printWorkers(of: binary).isEmpty, "print workers outlived the build they served")
        let next = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "--quiet"])
        #expect(next.status == 0, "\(next.stderr)")
    }

    @Test("a print worker killed mid-build stops the build with exit 3, the file and the signal, and writes nothing")
    func killedWorker() throws {
        let project = try Self.largerProject(extra: 1_200)
        let (binary, process, err) = try Self.buildUntilPrinting(project)
        defer { try? FileManager.default.removeItem(at: binary) }
        let victim = try #require(Self.printWorkers(of: binary).first)
        kill(victim, SIGKILL)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 3, "\(stderr)")
        #expect(stderr.contains("the print worker (process \(victim)) was stopped by signal 9"), "\(stderr)")
        #expect(stderr.contains("postcards ("), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public").path))
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("kit").path))
        #expect(Self.printWorkers(of: binary).isEmpty)
    }

    @Test("two builds at once: one is refused with a message, the other completes")
    func concurrentBuilds() throws {
        let project = try Self.largerProject(extra: 200)
        let first = Process()
        first.executableURL = CLI.binary
        first.arguments = ["build", "--root", project.path, "--now", "2026-11-23", "--quiet"]
        try first.run()
        usleep(300_000)
        let second = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.status == 3)
        #expect(second.stderr.contains("another refkit build of this project is running"), "\(second.stderr)")
        #expect(try CLI.refkit(["check", "--root", project.path]).status == 0)
    }

    /// A small file system of its own, so that a full disk and a read-only folder are real.
    static func mountTmpfs(size: String) throws -> URL {
        let dir = try TemporaryFolder.create("refkit-fs")
        let r = try CLI.run("mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", dir.path])
        try #require(r.status == 0, "mounting a tmpfs needs root: \(r.stderr)")
        return dir
    }

    @Test("a full disk gives a clear error, exit 3, and leaves the previous output")
    func fullDisk() throws {
        let fs = try Self.mountTmpfs(size: "8m")
        defer { _ = try? CLI.run("umount", [fs.path]) }
        let project = fs.appendingPathComponent("project")
        try FileManager.default.copyItem(at: try CLI.sampleProject(), to: project)
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "--quiet"]).status == 0)
        let before = (Self.contents(project.appendingPathComponent("public")), Self.contents(project.appendingPathComponent("kit")))
        // Fill the disk, then change every page so the next build needs space.
        _ = try CLI.run("sh", ["-c", "dd if=/dev/zero of=\(fs.path)/filler bs=64k 2>/dev/null; true"])
        let yaml = project.appendingPathComponent("content/site.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8).replacingOccurrences(of: "name: Boulangerie Martin", with: "name: Boulangerie Martin & Fils")
        try FileManager.default.removeItem(at: fs.appendingPathComponent("filler"))
        try text.write(to: yaml, atomically: true, encoding: .utf8)
        _ = try CLI.run("sh", ["-c", "dd if=/dev/zero of=\(fs.path)/filler bs=64k 2>/dev/null; true"])
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("disk space"), "\(result.stderr)")
        #expect(Self.contents(project.appendingPathComponent("public")) == before.0)
        #expect(Self.contents(project.appendingPathComponent("kit")) == before.1)
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public.refkit-staging").path))
    }

    @Test("a read-only output folder gives a clear error, exit 3, and leaves the previous output")
    func readOnly() throws {
        let fs = try Self.mountTmpfs(size: "32m")
        defer { _ = try? CLI.run("umount", [fs.path]) }
        let project = try CLI.sampleProject()
        let out = fs.appendingPathComponent("site")
        #expect(try CLI.refkit(["build", "--root", project.path, "--out", out.path, "--now", "2026-11-23", "--quiet"]).status == 0)
        let before = Self.contents(out)
        #expect(try CLI.run("mount", ["-o", "remount,ro", fs.path]).status == 0)
        // With nothing changed there is nothing to write: the build says so and succeeds.
        let idle = try CLI.refkit(["build", "--root", project.path, "--out", out.path, "--now", "2026-11-23"])
        #expect(idle.status == 0 && idle.stdout.contains("Up to date"), "\(idle.stdout)\(idle.stderr)")
        // A change must be written, and cannot be.
        let yaml = project.appendingPathComponent("content/site.yaml")
        try String(contentsOf: yaml, encoding: .utf8).replacingOccurrences(of: "name: Boulangerie Martin", with: "name: Boulangerie Martin & Fils")
            .write(to: yaml, atomically: true, encoding: .utf8)
        let result = try CLI.refkit(["build", "--root", project.path, "--out", out.path, "--now", "2026-11-23"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("staging folder"), "\(result.stderr)")
        #expect(Self.contents(out) == before)
    }
}
