import Foundation
import RefkitTestSupport
import Testing

/// Defect class 6 of issue 17, "the ledger trusts hand edits": each edit of `kit/codes.csv` or
/// `kit/secret` goes through the real `refkit build`, `refkit codes` and `refkit report`, which
/// must each refuse it naming the file and line, exit 1 and write nothing.
@Suite("Hand-edited ledgers through the CLI", .serialized)
struct HostileLedgerTests {
    static let now = "2027-01-10"

    /// A built copy of the sample project (20 referrers: ledger lines 2 to 21).
    static func built(environment: [String: String] = [:]) throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-ledger")
        let result = try CLI.refkit(["build", "--root", project.path, "--now", now, "-q"], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        return project
    }

    /// Every regular file under the project's `public/` and `kit/` with its bytes.
    static func outputs(_ project: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        for folder in ["public", "kit"] {
            let base = project.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                out[folder + String(url.path.dropFirst(base.path.count))] = try? Data(contentsOf: url)
            }
        }
        return out
    }

    static func ledgerLines(_ project: URL) throws -> [String] {
        try String(contentsOf: project.appendingPathComponent("kit/codes.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func writeLedger(_ project: URL, _ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: project.appendingPathComponent("kit/codes.csv"))
    }

    static func cells(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

    /// A second build of the sample under another secret, with one more referrer: its codes
    /// are well formed (check symbol right) but were never issued by the first project's secret.
    static let foreign: [String] = (try? foreignLedger()) ?? []

    static func foreignLedger() throws -> [String] {
        let project = try CLI.sampleProject(prefix: "refkit-ledger-foreign")
        defer { try? FileManager.default.removeItem(at: project) }
        let referrers = project.appendingPathComponent("content/referrers.csv")
        try (String(contentsOf: referrers, encoding: .utf8) + "mallory@example.com,Mallory Forger,Mallory,en,,rye\n")
            .write(to: referrers, atomically: true, encoding: .utf8)
        let result = try CLI.refkit(["build", "--root", project.path, "--now", now, "-q"],
                                    environment: ["REFKIT_SECRET": "a-foreign-secret-never-in-that-kit-0123"])
        #expect(result.status == 0, "\(result.stderr)")
        return try ledgerLines(project)
    }

    /// One hostile edit and what every command must say about it.
    struct Tampering: CustomStringConvertible, Sendable {
        var description: String
        /// Changes the built project (its kit), given the foreign ledger's lines.
        var apply: @Sendable (URL, [String]) throws -> Void
        /// What the error names, `kit/codes.csv:LINE` or `kit/secret`, and a word of it.
        var location: String
        var says: String
    }

    static let tamperings: [Tampering] = [
        Tampering(description: "two codes swapped", apply: { project, _ in
            var lines = try ledgerLines(project)
            var a = cells(lines[1]), b = cells(lines[2])
            (a[1], b[1]) = (b[1], a[1])
            (lines[1], lines[2]) = (a.joined(separator: ","), b.joined(separator: ","))
            try writeLedger(project, lines)
        }, location: "kit/codes.csv:2:", says: "swapped"),
        Tampering(description: "an email changed", apply: { project, _ in
            var lines = try ledgerLines(project)
            var a = cells(lines[3]); a[2] = "someone.else@example.fr"; lines[3] = a.joined(separator: ",")
            try writeLedger(project, lines)
        }, location: "kit/codes.csv:4:", says: "email"),
        Tampering(description: "a code changed to another well-formed code", apply: { project, foreign in
            var lines = try ledgerLines(project)
            var a = cells(lines[4]); a[1] = cells(foreign[4])[1]; lines[4] = a.joined(separator: ",")
            try writeLedger(project, lines)
        }, location: "kit/codes.csv:5:", says: "the code was"),
        Tampering(description: "a row duplicated", apply: { project, _ in
            var lines = try ledgerLines(project)
            lines.insert(lines[5], at: 6)
            try writeLedger(project, lines)
        }, location: "kit/codes.csv:7:", says: "copy of line 6"),
        Tampering(description: "a row deleted from the middle", apply: { project, _ in
            var lines = try ledgerLines(project)
            lines.remove(at: 7)
            try writeLedger(project, lines)
        }, location: "kit/codes.csv:8:", says: "missing"),
        Tampering(description: "a row forged with a code made under another secret", apply: { project, foreign in
            var lines = try ledgerLines(project)
            lines.append(foreign.last!)
            try writeLedger(project, lines)
        }, location: "kit/codes.csv:22:", says: "does not come from"),
        Tampering(description: "a name changed in place", apply: { project, _ in
            var lines = try ledgerLines(project)
            var a = cells(lines[9]); a[3] = "Someone Else"; lines[9] = a.joined(separator: ",")
            try writeLedger(project, lines)
        }, location: "kit/codes.csv:10:", says: "name, language or date"),
        Tampering(description: "the secret file replaced", apply: { project, _ in
            try Data("0123456789abcdef0123456789abcdef-replaced\n".utf8).write(to: project.appendingPathComponent("kit/secret"))
        }, location: "kit/secret:", says: "replaced"),
        Tampering(description: "the secret file deleted", apply: { project, _ in
            try FileManager.default.removeItem(at: project.appendingPathComponent("kit/secret"))
        }, location: "kit/secret:", says: "missing"),
        Tampering(description: "the seal edited", apply: { project, _ in
            let url = project.appendingPathComponent("kit/codes.seal")
            var text = try String(contentsOf: url, encoding: .utf8)
            text = text.replacingOccurrences(of: "rows 20", with: "rows 19")
            try text.write(to: url, atomically: true, encoding: .utf8)
        }, location: "kit/codes.seal:", says: "edited"),
    ]

    @Test("build, codes and report refuse the edit, name it and write nothing", arguments: tamperings)
    func refused(_ tampering: Tampering) throws {
        let foreign = Self.foreign
        try #require(foreign.count == 22, "the foreign build made its ledger")
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let code = Self.cells(try Self.ledgerLines(project)[1])[1]
        try Data("date,code,variant,friend_name,friend_email,utm_source\n2027-01-15,\(code),a,Amie,amie@example.org,email\n".utf8)
            .write(to: project.appendingPathComponent("export.csv"))
        try tampering.apply(project, foreign)
        let before = Self.outputs(project)

        for command in [["build", "--root", project.path, "--now", Self.now],
                        ["codes", "--root", project.path],
                        ["codes", "check", code, "--root", project.path],
                        ["report", "export.csv", "--root", project.path, "--now", "2027-02-01"]] {
            let result = try CLI.refkit(command, in: project)
            #expect(result.status == 1, "\(command[0]) exits 1: \(result.status) \(result.output)")
            #expect(result.stderr.contains("error: " + tampering.location), "\(command[0]): \(result.stderr)")
            #expect(result.stderr.contains(tampering.says), "\(command[0]): \(result.stderr)")
            #expect(result.stderr.contains("restore"), "\(command[0]) says what to do: \(result.stderr)")
            #expect(result.stdout.isEmpty || command[0] != "codes", "codes lists nothing: \(result.stdout)")
            #expect(Self.outputs(project) == before, "\(command[0]) wrote nothing")
        }
    }

    @Test("a status switched by hand and an inactive row appended by hand are accepted")
    func statusEdits() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        var lines = try Self.ledgerLines(project)
        var a = Self.cells(lines[1]); a[6] = "inactive"; lines[1] = a.joined(separator: ",")
        var b = Self.cells(lines[2]); b[5] = "2027-01-11"; b[6] = "inactive"; lines.append(b.joined(separator: ","))
        try Self.writeLedger(project, lines)
        let codes = try CLI.refkit(["codes", "--status", "inactive", "--root", project.path])
        #expect(codes.status == 0, "\(codes.stderr)")
        #expect(codes.stdout.split(separator: "\n").count == 2)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2027-01-12", "-q"])
        #expect(build.status == 0, "\(build.stderr)")
        // Both referrers are still in referrers.csv: the build records them active again.
        #expect(try Self.ledgerLines(project).prefix(lines.count) == lines[...])
        #expect(try CLI.refkit(["codes", "check", b[1], "--root", project.path]).status == 0)
    }

    @Test("rotating the secret keeps every issued code valid; new codes come from the new secret")
    func rotation() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let kit = project.appendingPathComponent("kit")
        let oldSecret = try Data(contentsOf: kit.appendingPathComponent("secret"))
        let ledger = try Self.ledgerLines(project)

        let rotate = try CLI.refkit(["codes", "rotate-secret", "--root", project.path, "--now", "2027-02-01"])
        #expect(rotate.status == 0, "\(rotate.stderr)")
        #expect(rotate.stdout.contains("retired to kit/retired-secrets"))
        #expect(try Data(contentsOf: kit.appendingPathComponent("secret")) != oldSecret)
        let retired = try String(contentsOf: kit.appendingPathComponent("retired-secrets"), encoding: .utf8)
        let oldHex = String(decoding: oldSecret, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).utf8
            .map { String(format: "%02x", $0) }.joined()
        #expect(retired.contains(" 20 2027-02-01 \(oldHex)\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: kit.appendingPathComponent("retired-secrets").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try Self.ledgerLines(project) == ledger, "a rotation never touches the ledger")

        // A new referrer after the rotation; every old code is kept and still checks.
        let referrers = project.appendingPathComponent("content/referrers.csv")
        try (String(contentsOf: referrers, encoding: .utf8) + "new.person@example.com,New Person,New,en,,rye\n")
            .write(to: referrers, atomically: true, encoding: .utf8)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2027-02-02", "-q"])
        #expect(build.status == 0, "\(build.stderr)")
        let after = try Self.ledgerLines(project)
        #expect(after.count == 22 && after.prefix(21) == ledger[...])
        for line in [after[1], after[21]] {
            #expect(try CLI.refkit(["codes", "check", Self.cells(line)[1], "--root", project.path]).status == 0)
        }
        // Without the seal, the rows are checked against the secret that issued each.
        try FileManager.default.removeItem(at: kit.appendingPathComponent("codes.seal"))
        let unsealed = try CLI.refkit(["build", "--root", project.path, "--now", "2027-02-02", "-q"])
        #expect(unsealed.status == 0, "\(unsealed.stderr)")
        #expect(FileManager.default.fileExists(atPath: kit.appendingPathComponent("codes.seal").path))
        // Losing the retired secrets loses the check of the old rows: refused, not guessed.
        try FileManager.default.removeItem(at: kit.appendingPathComponent("codes.seal"))
        try FileManager.default.removeItem(at: kit.appendingPathComponent("retired-secrets"))
        let lostOld = try CLI.refkit(["codes", "--root", project.path])
        #expect(lostOld.status == 1)
        #expect(lostOld.stderr.contains("error: kit/codes.csv:2:"), "\(lostOld.stderr)")
    }

    @Test("a lost secret is refused until the ledger is vouched for with rotate-secret --lost; then the seal protects it")
    func lostSecret() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let ledger = try Self.ledgerLines(project)
        try FileManager.default.removeItem(at: project.appendingPathComponent("kit/secret"))
        let refused = try CLI.refkit(["build", "--root", project.path, "--now", Self.now])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("rotate-secret --lost"), "\(refused.stderr)")

        let vouch = try CLI.refkit(["codes", "rotate-secret", "--lost", "--root", project.path, "--now", "2027-02-01"])
        #expect(vouch.status == 0, "\(vouch.stderr)")
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2027-02-02", "-q"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(try Self.ledgerLines(project) == ledger)

        var lines = ledger
        var a = Self.cells(lines[3]); a[2] = "thief@example.com"; lines[3] = a.joined(separator: ",")
        try Self.writeLedger(project, lines)
        let edited = try CLI.refkit(["codes", "--root", project.path])
        #expect(edited.status == 1)
        #expect(edited.stderr.contains("error: kit/codes.csv:4:"), "\(edited.stderr)")
    }

    @Test("REFKIT_SECRET that differs from kit/secret is refused before any code is issued under it")
    func environmentSecret() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let before = Self.outputs(project)
        let result = try CLI.refkit(["build", "--root", project.path, "--now", Self.now],
                                    environment: ["REFKIT_SECRET": "not-the-kit-secret-0123456789abcdef"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: REFKIT_SECRET"), "\(result.stderr)")
        #expect(Self.outputs(project) == before)
    }

    /// `Tests/Fixtures/ledger/`: a kit written by the refkit before seals (commit 41025e2):
    /// the sample built on 2027-01-10, then with one referrer renamed and one removed.
    static let legacy = CLI.repository.appendingPathComponent("Tests/Fixtures/ledger")

    static func legacyProject() throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-ledger-legacy")
        let kit = project.appendingPathComponent("kit")
        try FileManager.default.createDirectory(at: kit, withIntermediateDirectories: true)
        for file in ["codes.csv", "secret"] {
            try FileManager.default.copyItem(at: legacy.appendingPathComponent(file), to: kit.appendingPathComponent(file))
        }
        return project
    }

    @Test("a ledger written by the previous release loads, builds and keeps every code")
    func previousRelease() throws {
        let project = try Self.legacyProject()
        defer { try? FileManager.default.removeItem(at: project) }
        let old = try Data(contentsOf: Self.legacy.appendingPathComponent("codes.csv"))
        let list = try CLI.refkit(["codes", "--root", project.path])
        #expect(list.status == 0, "\(list.stderr)")
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2027-03-01", "-q"])
        #expect(build.status == 0, "\(build.stderr)")
        let ledger = try Data(contentsOf: project.appendingPathComponent("kit/codes.csv"))
        #expect(ledger.prefix(old.count) == old, "issued rows never change")
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("kit/codes.seal").path))
        // Every active code still has its page.
        let active = try CLI.refkit(["codes", "--status", "active", "--root", project.path])
        #expect(active.status == 0, "\(active.stderr)")
        let codes = active.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]).replacingOccurrences(of: "-", with: "") }
        #expect(codes.count == 20)
        for code in codes {
            #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("public/r/\(code)/index.html").path), "\(code)")
        }
        let again = try CLI.refkit(["build", "--root", project.path, "--now", "2027-03-01", "-q"])
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test("a previous release's ledger with two codes swapped is refused at the line, without any seal")
    func previousReleaseSwapped() throws {
        let project = try Self.legacyProject()
        defer { try? FileManager.default.removeItem(at: project) }
        var lines = try Self.ledgerLines(project)
        var a = Self.cells(lines[3]), b = Self.cells(lines[9])
        (a[1], b[1]) = (b[1], a[1])
        (lines[3], lines[9]) = (a.joined(separator: ","), b.joined(separator: ","))
        try Self.writeLedger(project, lines)
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2027-03-01"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: kit/codes.csv:4:"), "\(result.stderr)")
        #expect(result.stderr.contains("swapped"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("public").path))
    }
}
