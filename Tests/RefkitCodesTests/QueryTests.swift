import Foundation
import Testing
import RefkitModel
@testable import RefkitCodes

@Suite("Ledger queries")
struct QueryTests {
    let ledger: Ledger = {
        var everyone = sampleReferrers
        everyone.append(referrer("jl@example.fr", "  Jean-Luc  Picard ", program: "bread-club"))
        let first = CodeIssuer.issue(referrers: everyone, ledger: Ledger(), secret: testSecret, settings: CodeSettings(), today: day1)
        // Siti leaves.
        everyone.remove(at: 3)
        return CodeIssuer.issue(referrers: everyone, ledger: first.ledger, secret: testSecret, settings: CodeSettings(), today: day2).ledger
    }()

    @Test("records fold each code's rows into its current state")
    func records() {
        let all = ledger.records
        #expect(all.count == 5)
        let siti = all.first { $0.email == "siti@example.my" }
        #expect(siti?.status == .inactive && siti?.issued == day1 && siti?.changed == day2)
        #expect(all.first { $0.email == "jl@example.fr" }?.firstName == "Jean-Luc")
        // 山田花子 has no space: no given name can be told apart, so none is shown (never the surname).
        #expect(all.first { $0.email == "yamada@example.jp" }?.firstName == "")
    }

    @Test("filters by programme, status and search text", arguments: [
        (String?.none, LedgerEntry.Status?.none, String?.none, 5),
        ("main", nil, nil, 4),
        (nil, .inactive, nil, 1),
        ("main", .active, nil, 3),
        (nil, nil, "dupont", 1),
        (nil, nil, "MARIE@", 1),
        (nil, nil, "zk3m-ta3s", 1),
        (nil, nil, "zk3m ta3s 7", 1),
        (nil, nil, "山田", 1),
        (nil, nil, "picard", 1),
        (nil, nil, "nobody", 0),
    ])
    func filter(program: String?, status: LedgerEntry.Status?, search: String?, count: Int) {
        #expect(ledger.records(program: program, status: status, matching: search).count == count)
    }

    @Test("check: an active code exits 0 and says whose it is")
    func active() {
        let result = ledger.check("zk3m-ta3s-7")
        #expect(result.verdict == .active && result.exitCode == 0)
        #expect(result.record?.program == "main" && result.record?.firstName == "Marie")
        #expect(result.description == "ZK3M-TA3S-7 is active: programme main, Marie, issued 2025-03-01.")
    }

    @Test("check: an inactive code exits 1")
    func inactive() throws {
        let siti = try #require(ledger.code(program: "main", email: "siti@example.my"))
        let result = ledger.check(siti.rawValue)
        #expect(result.verdict == .inactive && result.exitCode == 1)
        #expect(result.description.contains("inactive since 2025-04-15"))
    }

    @Test("check: a typo suggests the intended code", arguments: ["ZK3M-TA3S-8", "KZ3M-TA3S-7", "ZK3M-TA3S", "ZK3M-TU3S-7"])
    func typo(input: String) {
        let result = ledger.check(input)
        #expect(result.verdict == .invalid && result.exitCode == 1)
        #expect(result.suggestions.map(\.code.rawValue) == ["ZK3MTA3S7"])
        #expect(result.description.contains("Did you mean ZK3M-TA3S-7 (main, Marie, active)?"))
    }

    @Test("check: a well-formed code no one has exits 1")
    func notIssued() {
        let result = ledger.check("WY74-J01Y-M")
        #expect(result.verdict == .notIssued && result.exitCode == 1)
    }

    @Test("first names from full names", arguments: [
        ("Marie Dupont", "Marie"), ("山田花子", ""), ("山田 花子", "花子"), ("王小明", ""),
        ("Siti Nurhaliza binti Ahmad", "Siti"), ("  Jean-Luc  Picard ", "Jean-Luc"), ("김민준", ""), ("Cher", "Cher"),
        ("Dupont, Jean-Luc", "Jean-Luc"), ("Martin Luther King, Jr.", "Martin"),
    ])
    func firstNames(name: String, expected: String) {
        #expect(Referrer.firstName(fromName: name) == expected)
    }
}
