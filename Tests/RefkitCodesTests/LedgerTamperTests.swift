import Foundation
import RefkitTestSupport
import Testing
import RefkitModel
@testable import RefkitCodes

/// Hand edits of `kit/codes.csv`, through `Ledger.load(kitDirectory:keyring:)` on a real kit
/// folder: with the seal the last build wrote, and without it (a ledger from before seals, or
/// a deleted seal), where the rows are checked against the secret alone.
@Suite("A ledger edited by hand is refused at its line")
struct LedgerTamperTests {
    static let testSecretText = "test-secret-0123456789abcdef"

    /// A kit with the sample referrers' ledger (lines 2 to 5: marie, yamada, wang, siti), its
    /// secret, and its seal when `sealed`.
    static func kit(sealed: Bool, referrers: [Referrer] = sampleReferrers) throws -> URL {
        let dir = try TemporaryFolder.create("refkit-tamper")
        let issued = CodeIssuer.issue(referrers: referrers, ledger: Ledger(), secret: testSecret, settings: CodeSettings(), today: day1)
        try issued.ledger.bytes.write(to: dir.appendingPathComponent("codes.csv"))
        if sealed { try issued.sealFile.bytes.write(to: dir.appendingPathComponent("codes.seal")) }
        try Data((testSecretText + "\n").utf8).write(to: dir.appendingPathComponent("secret"))
        return dir
    }

    static func load(_ kit: URL) throws -> Ledger {
        try Ledger.load(kitDirectory: kit, keyring: Keyring.resolve(environment: [:], kitDirectory: kit))
    }

    /// Rewrites the ledger's lines (index 0 is the header).
    static func edit(_ kit: URL, _ change: (inout [String]) -> Void) throws {
        let url = kit.appendingPathComponent("codes.csv")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        change(&lines)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    }

    /// The diagnostics of whatever `body` throws; empty when it throws none.
    static func diagnostics(_ body: () throws -> Void) -> [Diagnostic] {
        do {
            try body()
            return []
        } catch let error as any DiagnosticError {
            return error.diagnostics
        } catch {
            return [Diagnostic(SourceLocation(file: "?"), "\(error)")]
        }
    }

    static func cells(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

    /// One hand edit: what it does to the lines, and for a sealed and an unsealed ledger the
    /// line the error names and a word of its message (nil: accepted).
    struct Edit: CustomStringConvertible, Sendable {
        var description: String
        var change: @Sendable (inout [String]) -> Void
        var sealed: (line: Int, says: String)?
        var unsealed: (line: Int, says: String)?
    }

    static let edits: [Edit] = [
        Edit(description: "two codes swapped", change: { lines in
            var a = cells(lines[1]), b = cells(lines[2])
            (a[1], b[1]) = (b[1], a[1])
            lines[1] = a.joined(separator: ","); lines[2] = b.joined(separator: ",")
        }, sealed: (2, "swapped"), unsealed: (2, "swapped")),
        Edit(description: "an email changed", change: { lines in
            var a = cells(lines[2]); a[2] = "someone.else@example.jp"; lines[2] = a.joined(separator: ",")
        }, sealed: (3, "email"), unsealed: (3, "does not come from")),
        Edit(description: "a programme changed", change: { lines in
            var a = cells(lines[2]); a[0] = "other"; lines[2] = a.joined(separator: ",")
        }, sealed: (3, "programme"), unsealed: (3, "does not come from")),
        Edit(description: "a code changed to another well-formed code (check symbol right)", change: { lines in
            var a = cells(lines[3])
            a[1] = InviteCode(dataValues: [1, 2, 3, 4, 5, 6, 7, 8]).formatted()
            lines[3] = a.joined(separator: ",")
        }, sealed: (4, "the code was"), unsealed: (4, "does not come from")),
        Edit(description: "a row duplicated in the middle", change: { lines in
            lines.insert(lines[2], at: 3)
        }, sealed: (4, "inserted"), unsealed: (4, "repeats line 3")),
        Edit(description: "a row duplicated at the end", change: { lines in
            lines.append(lines[2])
        }, sealed: (6, "repeats line 3"), unsealed: (6, "repeats line 3")),
        Edit(description: "a row deleted from the middle", change: { lines in
            lines.remove(at: 2)
        }, sealed: (3, "missing"), unsealed: nil),
        Edit(description: "the last row deleted", change: { lines in
            lines.removeLast()
        }, sealed: (5, "missing"), unsealed: nil),
        Edit(description: "a row forged with a code made under another secret", change: { lines in
            let code = CodeDeriver(secret: otherSecret, length: 8).code(program: "main", email: "mallory@example.com")
            lines.append("main,\(code.formatted()),mallory@example.com,Mallory,en,2025-03-01,active")
        }, sealed: (6, "does not come from"), unsealed: (6, "does not come from")),
        Edit(description: "a name changed in place", change: { lines in
            var a = cells(lines[1]); a[3] = "Marie Durand"; lines[1] = a.joined(separator: ",")
        }, sealed: (2, "name, language or date"), unsealed: nil),
        Edit(description: "an issue date changed in place", change: { lines in
            var a = cells(lines[4]); a[5] = "2024-01-01"; lines[4] = a.joined(separator: ",")
        }, sealed: (5, "name, language or date"), unsealed: nil),
        Edit(description: "a status switched by hand (allowed)", change: { lines in
            var a = cells(lines[1]); a[6] = "inactive"; lines[1] = a.joined(separator: ",")
        }, sealed: nil, unsealed: nil),
        Edit(description: "an inactive row appended by hand (allowed)", change: { lines in
            var a = cells(lines[2]); a[5] = "2025-05-01"; a[6] = "inactive"; lines.append(a.joined(separator: ","))
        }, sealed: nil, unsealed: nil),
    ]

    @Test("each edit is refused at its line, or accepted when it is allowed", arguments: edits, [true, false])
    func edit(_ edit: Edit, sealed: Bool) throws {
        let kit = try Self.kit(sealed: sealed)
        defer { try? FileManager.default.removeItem(at: kit) }
        _ = try Self.load(kit)
        try Self.edit(kit, edit.change)
        guard let expected = sealed ? edit.sealed : edit.unsealed else {
            _ = try Self.load(kit)
            return
        }
        let e = #expect(throws: LedgerError.self) { try Self.load(kit) }
        #expect(e?.location == SourceLocation(file: "kit/codes.csv", line: expected.line), "\(e?.description ?? "")")
        #expect(e?.description.contains(expected.says) == true, "\(e?.description ?? "")")
        #expect(e?.description.contains("restore kit/codes.csv from a backup") == true)
    }

    @Test("a replaced secret is named as the secret, with or without the seal", arguments: [true, false])
    func replacedSecret(sealed: Bool) throws {
        let kit = try Self.kit(sealed: sealed)
        defer { try? FileManager.default.removeItem(at: kit) }
        try Data("a-completely-different-secret-0123\n".utf8).write(to: kit.appendingPathComponent("secret"))
        let found = Self.diagnostics { _ = try Self.load(kit) }
        #expect(found.first?.location == SourceLocation(file: "kit/secret"), "\(found)")
        #expect(found.first?.description.contains("restore") == true)
    }

    @Test("a deleted secret is refused rather than replaced by a new one")
    func deletedSecret() throws {
        let kit = try Self.kit(sealed: true)
        defer { try? FileManager.default.removeItem(at: kit) }
        try FileManager.default.removeItem(at: kit.appendingPathComponent("secret"))
        let keyring = try Keyring.resolve(environment: [:], kitDirectory: kit, random: { Array(repeating: 7, count: 32) })
        #expect(keyring.isNew)
        let found = Self.diagnostics { _ = try Ledger.load(kitDirectory: kit, keyring: keyring) }
        #expect(found.first?.location == SourceLocation(file: "kit/secret"), "\(found)")
        // Commands that only read the kit have no secret at all.
        #expect(throws: SecretError.self) { try Ledger.load(kitDirectory: kit, environment: [:]) }
    }

    @Test("an edited seal, a cut seal and a deleted ledger are refused")
    func seal() throws {
        let kit = try Self.kit(sealed: true)
        defer { try? FileManager.default.removeItem(at: kit) }
        let url = kit.appendingPathComponent("codes.seal")
        let original = try String(contentsOf: url, encoding: .utf8)
        var lines = original.split(separator: "\n").map(String.init)
        lines.remove(at: 4)
        lines[2] = "rows 3"
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        let e = #expect(throws: LedgerError.self) { try Self.load(kit) }
        #expect(e?.location.file == "kit/codes.seal")
        try Data(original.utf8).write(to: url)
        try FileManager.default.removeItem(at: kit.appendingPathComponent("codes.csv"))
        let gone = #expect(throws: LedgerError.self) { try Self.load(kit) }
        #expect(gone?.location == SourceLocation(file: "kit/codes.csv"))
    }

    @Test("REFKIT_SECRET must be the secret kit/secret holds")
    func environmentMismatch() throws {
        let kit = try Self.kit(sealed: true)
        defer { try? FileManager.default.removeItem(at: kit) }
        let e = #expect(throws: SecretError.self) {
            try Keyring.resolve(environment: ["REFKIT_SECRET": "another-secret-fedcba9876543210"], kitDirectory: kit)
        }
        #expect(e?.location == SourceLocation(file: "REFKIT_SECRET"))
        #expect(try Keyring.resolve(environment: ["REFKIT_SECRET": Self.testSecretText], kitDirectory: kit).current.keyID == testSecret.keyID)
    }

    @Test("rows issued under a retired secret still load, with and without the seal; a row moved between secrets does not")
    func retiredSecret() throws {
        let kit = try Self.kit(sealed: true)
        defer { try? FileManager.default.removeItem(at: kit) }
        // Rotated after the 4 sample rows: the old secret retired, `otherSecret` current.
        let retired = [RetiredSecret(keyID: testSecret.keyID, throughRow: 4, retired: day2, secret: testSecret)]
        try RetiredSecrets.bytes(retired).write(to: kit.appendingPathComponent("retired-secrets"))
        try Data("another-secret-fedcba9876543210\n".utf8).write(to: kit.appendingPathComponent("secret"))
        let keyring = try Keyring.resolve(environment: [:], kitDirectory: kit)
        #expect(keyring.retired.count == 1 && keyring.current.keyID == otherSecret.keyID)
        let before = try Ledger(bytes: Data(contentsOf: kit.appendingPathComponent("codes.csv")))
        let issued = CodeIssuer.issue(referrers: sampleReferrers + [referrer("new@example.com", "New Person")], ledger: before,
                                      secret: keyring.current, settings: CodeSettings(), today: day2)
        #expect(issued.counts.new == 1 && issued.counts.unchanged == 4)
        try issued.ledger.bytes.write(to: kit.appendingPathComponent("codes.csv"))
        try issued.sealFile.bytes.write(to: kit.appendingPathComponent("codes.seal"))
        _ = try Self.load(kit)
        try FileManager.default.removeItem(at: kit.appendingPathComponent("codes.seal"))
        _ = try Self.load(kit)
        // The new row moved up among the old secret's rows.
        try Self.edit(kit) { lines in lines.insert(lines.removeLast(), at: 1) }
        let e = #expect(throws: LedgerError.self) { try Self.load(kit) }
        #expect(e?.location == SourceLocation(file: "kit/codes.csv", line: 2), "\(e?.description ?? "")")
        #expect(e?.description.contains("was issued under secret \(otherSecret.keyID)") == true, "\(e?.description ?? "")")
    }

    @Test("the retired-secrets file is checked: a changed secret or key id is refused at its line")
    func retiredFile() throws {
        let good = RetiredSecrets.bytes([RetiredSecret(keyID: testSecret.keyID, throughRow: 4, retired: day2, secret: testSecret)])
        #expect(try RetiredSecrets.parse(good).first?.secret?.keyID == testSecret.keyID)
        let bad = Data(good.text.replacingOccurrences(of: testSecret.keyID, with: "00000000").utf8)
        let e = #expect(throws: SecretError.self) { try RetiredSecrets.parse(bad) }
        #expect(e?.location.file == "kit/retired-secrets")
        #expect(e?.location.line == 5)
    }

    @Test("a code issued at a later attempt (its first one held by someone else) loads; one that borrows a later attempt does not")
    func attempts() throws {
        let kit = try Self.kit(sealed: true)
        defer { try? FileManager.default.removeItem(at: kit) }
        // Paul holds the code Marie's email derives to first (CodeIssuerTests.collision); the
        // seal vouches for his row, as for a row of a lost secret.
        let taken = try Ledger(bytes: Data("program,code,email,name,language,issued,status\nmain,ZK3M-TA3S-7,paul@example.fr,Paul Martin,fr,2025-01-01,active\n".utf8))
        try LedgerSeal(ledger: taken, secret: testSecret).bytes(secret: testSecret).write(to: kit.appendingPathComponent("codes.seal"))
        let issued = CodeIssuer.issue(referrers: [referrer("paul@example.fr", "Paul Martin"), sampleReferrers[0]], ledger: taken,
                                      secret: testSecret, settings: CodeSettings(), today: day1)
        #expect(issued.assignments[1].code.rawValue == "WY74J01YM")
        try issued.ledger.bytes.write(to: kit.appendingPathComponent("codes.csv"))
        _ = try Self.load(kit)

        // Marie's second-attempt code alone: nobody holds her first, so it is not hers.
        try FileManager.default.removeItem(at: kit.appendingPathComponent("codes.seal"))
        try Self.edit(kit) { lines in lines.remove(at: 1) }
        let e = #expect(throws: LedgerError.self) { try Self.load(kit) }
        #expect(e?.location == SourceLocation(file: "kit/codes.csv", line: 2), "\(e?.description ?? "")")
    }

    @Test("a ledger large enough to be checked on several cores names the one edited line", arguments: [true, false])
    func large(sealed: Bool) throws {
        let many = (0..<5000).map { referrer("person\($0)@example.com", "Person \($0)", line: $0 + 2) }
        let kit = try Self.kit(sealed: sealed, referrers: many)
        defer { try? FileManager.default.removeItem(at: kit) }
        #expect(try Self.load(kit).entries.count == 5000)
        try Self.edit(kit) { lines in
            var a = Self.cells(lines[3001]); a[2] = "intruder@example.com"; lines[3001] = a.joined(separator: ",")
        }
        let e = #expect(throws: LedgerError.self) { try Self.load(kit) }
        #expect(e?.diagnostics.count == 1)
        #expect(e?.location == SourceLocation(file: "kit/codes.csv", line: 3002), "\(e?.description ?? "")")
    }
}
