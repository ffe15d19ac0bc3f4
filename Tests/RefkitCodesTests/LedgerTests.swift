import Foundation
import Testing
import RefkitModel
@testable import RefkitCodes

@Suite("Ledger file")
struct LedgerTests {
    static let header = "program,code,email,name,language,issued,status\n"

    func ledger(_ rows: String...) throws -> Ledger {
        try Ledger(bytes: Data((Self.header + rows.joined()).utf8))
    }

    @Test("a well-formed ledger loads, the latest row of each code giving its status")
    func loads() throws {
        let l = try ledger(
            "main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-03-01,active\n",
            "main,S1KP-36GR-B,yamada@example.jp,山田花子,ja,2025-03-01,active\n",
            "main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-04-15,inactive\n")
        #expect(l.entries.count == 3)
        #expect(l.latest(InviteCode(uncheckedRawValue: "ZK3MTA3S7"))?.status == .inactive)
        #expect(l.latest(InviteCode(uncheckedRawValue: "S1KP36GRB"))?.line == 3)
        #expect(l.code(program: "main", email: "MARIE@example.fr") == InviteCode(uncheckedRawValue: "ZK3MTA3S7"))
        #expect(l.codes.map(\.rawValue) == ["ZK3MTA3S7", "S1KP36GRB"])
    }

    @Test("a damaged ledger stops with the file and line of the problem", arguments: [
        ("main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-03-01\n", 2, "cells"),
        ("main,ZK3M-TA3S-8,marie@example.fr,Marie Dupont,fr,2025-03-01,active\n", 2, "not a valid invite code"),
        ("main,ZK3M-TA3S-U,marie@example.fr,Marie Dupont,fr,2025-03-01,active\n", 2, "not a valid invite code"),
        ("main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-03-01,paused\n", 2, "neither"),
        ("main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,2025-02-30,active\n", 2, "not a date"),
        ("main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,fr,01/03/2025,active\n", 2, "not a date"),
        ("main,ZK3M-TA3S-7,marie@example.fr,Marie Dupont,french!,2025-03-01,active\n", 2, "not a language tag"),
        ("main,ZK3M-TA3S-7,,Marie Dupont,fr,2025-03-01,active\n", 2, "email is empty"),
        ("main,ZK3M-TA3S-7,marie@example.fr,\"Marie Dupont,fr,2025-03-01,active\n", 2, "never closed"),
    ])
    func damaged(row: String, line: Int, words: String) {
        let e = #expect(throws: LedgerError.self) { try ledger(row) }
        #expect(e?.location == SourceLocation(file: "kit/codes.csv", line: line))
        #expect(e?.description.contains(words) == true)
        #expect(e?.description.contains("restore kit/codes.csv from a backup") == true)
    }

    @Test("a code owned by two emails names both lines")
    func codeTwoOwners() {
        let e = #expect(throws: LedgerError.self) {
            try ledger("main,ZK3M-TA3S-7,marie@example.fr,Marie,fr,2025-03-01,active\n",
                       "main,S1KP-36GR-B,yamada@example.jp,山田花子,ja,2025-03-01,active\n",
                       "main,ZK3M-TA3S-7,paul@example.fr,Paul,fr,2025-03-02,active\n")
        }
        #expect(e?.location.line == 4)
        #expect(e?.description.contains("line 2") == true)
        #expect(e?.description.contains("line 4") == true)
    }

    @Test("an email with two codes in one programme names both lines")
    func emailTwoCodes() {
        let e = #expect(throws: LedgerError.self) {
            try ledger("main,ZK3M-TA3S-7,marie@example.fr,Marie,fr,2025-03-01,active\n",
                       "main,S1KP-36GR-B,Marie@Example.fr,Marie,fr,2025-03-02,active\n")
        }
        #expect(e?.location.line == 3)
        #expect(e?.description.contains("on line 2 and") == true)
    }

    @Test("every problem is reported, not only the first")
    func all() {
        let e = #expect(throws: LedgerError.self) {
            try ledger("main,ZK3M-TA3S-8,marie@example.fr,Marie,fr,2025-03-01,active\n",
                       "main,S1KP-36GR-B,yamada@example.jp,山田花子,ja,2025-13-01,active\n")
        }
        #expect(e?.diagnostics.map(\.location.line) == [2, 3])
    }

    @Test("a wrong header is refused at line 1")
    func header() {
        let e = #expect(throws: LedgerError.self) { try Ledger(bytes: Data("code,email\n".utf8)) }
        #expect(e?.location.line == 1)
    }

    @Test("line numbers count line breaks inside quoted names")
    func quotedLines() {
        let e = #expect(throws: LedgerError.self) {
            try ledger("main,ZK3M-TA3S-7,marie@example.fr,\"Marie\nDupont\",fr,2025-03-01,active\n",
                       "main,S1KP-36GR-B,yamada@example.jp,山田花子,ja,2025-03-01,bogus\n")
        }
        #expect(e?.location.line == 4)
    }

    @Test("cells round-trip exactly through quoting and formula neutralising", arguments: [
        "Marie Dupont", "Dupont, Marie", "Marie \"Mimi\" Dupont", "=HYPERLINK(\"http://evil\")", "+33 6 12", "-5",
        "@SUM(A1)", "\tTab", "\rCR", "'quoted", "''twice", "Line\nbreak", "Line\r\nbreak", "O'Brien", "", "山田花子",
    ])
    func roundTrip(name: String) throws {
        var l = Ledger()
        let code = InviteCode(uncheckedRawValue: "ZK3MTA3S7")
        l.append(program: "main", code: code, email: "x@example.fr", name: name, language: LanguageTag("fr")!,
                 day: day1, status: .active, group: 4)
        let reloaded = try Ledger(bytes: l.bytes)
        #expect(reloaded.latest(code)?.name == name)
        #expect(reloaded.entries == l.entries)
        // Nothing a spreadsheet would evaluate starts a cell.
        for cellStart in ["=", "+", "-", "@", "\t"] {
            #expect(!l.bytes.text.contains("," + cellStart))
            #expect(!l.bytes.text.contains(",\"" + cellStart))
        }
    }

    @Test("a ledger re-saved with CRLF and a byte order mark still loads")
    func crlf() throws {
        let text = "\u{FEFF}program,code,email,name,language,issued,status\r\nmain,ZK3M-TA3S-7,marie@example.fr,\"Marie\r\nDupont\",fr,2025-03-01,active\r\n"
        let l = try Ledger(bytes: Data(text.utf8))
        #expect(l.entries.first?.name == "Marie\r\nDupont")
    }

    @Test("a missing ledger file is an empty ledger")
    func missing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-ledger-\(UUID())")
        let l = try Ledger.load(kitDirectory: dir)
        #expect(l.isEmpty && l.bytes.isEmpty)
    }
}
