import Foundation
import RefkitModel
import RefkitTestSupport
import Testing

/// Values that used to break out of a CSV cell refkit writes, through the real binary: each
/// file reads back with Python's `csv` and LibreOffice with the same columns and no formula, and
/// refkit reads back every file it wrote (the next build, `refkit codes`, the next report).
@Suite("Hostile CSV cells", .serialized)
struct HostileCSVTests {
    /// Names a referrer can have in referrers.csv (the loader refuses controls and bidi in names).
    static let names = [
        "x\"\u{301},=1+1,y",                           // the issue's example
        "\"\u{301}Quote Mark",
        "=HYPERLINK(\"http://evil.example\",\"x\")",
        "\u{FF1D}1+1 Fullwidth", "\u{FF0B}Plus Wide", "\u{FF0D}Minus Wide", "\u{FF20}At Wide",
        "'Apostrophe First", "''Two", "-1+1", "+1+1", "@SUM(A1)",
        "Zoë \"Z\" O'Neil, Jr.; Esq.",
    ]

    static func project(favourite: [String] = []) throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-csv")
        var text = "email,name,first_name,lang,program,favourite\n"
        for (i, name) in names.enumerated() {
            text += CSVFixture.row(["csv\(i)@example.com", name, "First\(i)", "en", "", i < favourite.count ? favourite[i] : "pain"])
        }
        try text.write(to: project.appendingPathComponent("content/referrers.csv"), atomically: true, encoding: .utf8)
        return project
    }

    /// Every file reads with Python's csv with the header's number of cells in each row, and
    /// LibreOffice imports it with the same columns and no formula.
    static func readsBack(_ files: [URL]) throws -> [URL: [[String]]] {
        var rows: [URL: [[String]]] = [:]
        for file in files {
            let python = try CSVReadBack.python(file)
            let width = python.first?.count ?? 0
            #expect(python.allSatisfy { $0.count == width }, "\(file.lastPathComponent): \(python)")
            rows[file] = python
        }
        let sheets = try CSVReadBack.libreOffice(files)
        for file in files {
            let sheet = try #require(sheets[file])
            #expect(sheet.formulas.isEmpty, "\(file.lastPathComponent): \(sheet.formulas)")
            #expect(sheet.columns == CSVReadBack.columns(rows[file] ?? []), "\(file.lastPathComponent)")
        }
        return rows
    }

    /// A cell as written, without the formula guard's `'` (see `FormulaGuard.unprotect`).
    static func unguarded(_ cell: String) -> String {
        guard cell.hasPrefix("'") else { return cell }
        var rest = cell.unicodeScalars
        rest.removeFirst()
        return String(rest)
    }

    @Test("names with quotes, combining marks, commas and formulas keep the ledger readable by the next build, codes and every tool")
    func ledger() throws {
        let project = try Self.project(favourite: ["\"\u{301},=cmd|' /C calc'!A0", "\u{FF1D}SUM(1)", " =1+1", "a;b"])
        defer { try? FileManager.default.removeItem(at: project) }
        let first = try CLI.refkit(["build", "--root", project.path, "--now", "2027-01-10", "-q"])
        #expect(first.status == 0, "\(first.stderr)")
        let kit = project.appendingPathComponent("kit")
        let ledgerBefore = try Data(contentsOf: kit.appendingPathComponent("codes.csv"))

        // The next build reads the ledger back and changes nothing in it.
        let second = try CLI.refkit(["build", "--root", project.path, "--now", "2027-01-11", "-q"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Data(contentsOf: kit.appendingPathComponent("codes.csv")) == ledgerBefore)
        let codes = try CLI.refkit(["codes", "--root", project.path, "--search", "csv0@example.com"])
        #expect(codes.status == 0, "\(codes.stderr)")
        #expect(codes.stdout.contains("csv0@example.com"), "\(codes.stdout)")

        let files = ["codes.csv", "mail/merge.csv", "variants.csv"].map { kit.appendingPathComponent($0) }
        let rows = try Self.readsBack(files)
        // Every name reads back exactly, once the guard's quote is dropped.
        let ledger = try #require(rows[files[0]])
        #expect(ledger.first == ["program", "code", "email", "name", "language", "issued", "status"])
        var byEmail: [String: String] = [:]
        for row in ledger.dropFirst() where row.count == 7 { byEmail[row[2]] = Self.unguarded(row[3]) }
        for (i, name) in Self.names.enumerated() {
            #expect(byEmail["csv\(i)@example.com"].map { Array($0.unicodeScalars) } == Array(name.unicodeScalars),
                    "\(name.debugDescription) → \(byEmail["csv\(i)@example.com"].debugDescription)")
        }
        // No cell of the merge file starts a formula, also after spaces or in full width.
        let merge = try #require(rows[files[1]])
        for cell in merge.joined() {
            let start = cell.unicodeScalars.first { !$0.properties.isWhitespace }
            #expect(start.map { !"=+-@\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains($0) } ?? true, "\(cell.debugDescription)")
        }
    }

    @Test("a ledger row that an earlier refkit wrote with the quote before a combining mark undoubled reads again")
    func damagedLedger() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let build = ["build", "--root", project.path, "--now", "2027-01-10", "-q"]
        #expect(try CLI.refkit(build).status == 0)
        // What the earlier writer made of the issue's name: the quote of `"` + U+0301 not doubled.
        let ledgerFile = project.appendingPathComponent("kit/codes.csv")
        let now = try Data(contentsOf: ledgerFile)
        let written = Data("\"x\"\"\u{301},=1+1,y\"".utf8), damaged = Data("\"x\"\u{301},=1+1,y\"".utf8)
        let at = try #require(now.range(of: written))
        var old = now
        old.replaceSubrange(at, with: damaged)
        try old.write(to: ledgerFile)

        let again = try CLI.refkit(build)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Data(contentsOf: ledgerFile) == old, "the ledger's bytes are kept as they are")
        let codes = try CLI.refkit(["codes", "--root", project.path, "--search", "csv0@example.com"])
        #expect(codes.status == 0, "\(codes.stderr)")
        // Kept out of `#expect`: the macro re-quotes its argument's source, and Swift 6.3 mis-lexes
        // a `\"` followed by `\u{301}` there.
        let name = Self.names[0]
        #expect(codes.stdout.contains(name), "\(codes.stdout)")
    }

    /// A built copy of the sample project with the given referrers and its codes, in ledger order.
    static func builtWithCodes(count: Int) throws -> (URL, [String]) {
        let project = try CLI.sampleProject(prefix: "refkit-csv-report")
        try CLI.rewardsFromSubmissions(project)
        var text = "email,name,first_name,lang,program,favourite\n"
        for i in 0..<count { text += CSVFixture.row(["ref\(i)@example.com", "Referrer \(i)", "", "fr", "", ""]) }
        try text.write(to: project.appendingPathComponent("content/referrers.csv"), atomically: true, encoding: .utf8)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2027-01-10", "-q"])
        #expect(build.status == 0, "\(build.stderr)")
        let ledger = try CSVReadBack.python(project.appendingPathComponent("kit/codes.csv"))
        return (project, ledger.dropFirst().filter { $0.count == 7 && $0[2].hasPrefix("ref") }.map { $0[1] })
    }

    /// Friend emails anyone can type into the public form.
    static let friends = [
        "eve\"\u{301},x@example.com",
        "\"\u{301}\r\n68SW-R3QS-B,forged@example.com,1,free croissant,2027-01-01\r\n\"@example.com",
        "mallory\r\n@example.com",
        "lone\rcr@example.com",
        "=cmd|' /C calc'!A0@example.com",
        "\u{FF1D}1+1@example.com",
        "  +1@example.com",
        "nul\u{0}byte@example.com",
        "'quoted@example.com",
    ]

    @Test("friend emails with quotes, combining marks, CR LF, NUL and formulas forge no reward row and never stop a later report")
    func rewards() throws {
        let (project, codes) = try Self.builtWithCodes(count: Self.friends.count)
        defer { try? FileManager.default.removeItem(at: project) }
        try #require(codes.count == Self.friends.count)
        var export = "date,code,variant,friend_name,friend_email,utm_source\n"
        for (i, friend) in Self.friends.enumerated() {
            // Each friend is a different referrer's first: each earns the tier-1 reward, naming them.
            export += CSVFixture.row(["2027-01-\(12 + i)", codes[i], "", "Friend \(i)", friend, "email"])
        }
        try Data(export.utf8).write(to: project.appendingPathComponent("export.csv"))

        let report = ["report", "export.csv", "--root", project.path, "--now", "2027-04-10", "-q"]
        let first = try CLI.refkit(report, in: project)
        #expect(first.status == 0, "\(first.stderr)")
        let rewardsFile = project.appendingPathComponent("kit/report/rewards.csv")
        let written = try Data(contentsOf: rewardsFile)

        // Every later report reads the file back, and adds nothing twice.
        for _ in 0..<2 {
            let again = try CLI.refkit(report, in: project)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try Data(contentsOf: rewardsFile) == written)
        }

        let rows = try #require(try Self.readsBack([rewardsFile])[rewardsFile])
        #expect(rows.first == ["code", "friend", "tier", "reward", "date", "coupon", "status"])
        // Each friend with an address earns their referrer tier 1. The forged row inside a
        // quoted cell has spaces in it once unquoted: not an address, so not a friend. Only the
        // friends a welcome draft can go to (one plain ASCII address: `MailAddress.isValid`)
        // also earn their own welcome offer (the sample has a `welcome` message and `friend`
        // coupons): a CR, a NUL, a space, a comma or a full-width letter would spend a coupon
        // on a draft never written.
        let addresses = Self.friends.filter { EmailIdentity.isAddress(EmailIdentity.key($0)) }
        #expect(addresses.count == Self.friends.count - 1)
        #expect(rows.dropFirst().count { $0[2] == "1" } == addresses.count, "\(rows)")
        let welcomed = rows.dropFirst().filter { $0[2] == "friend" }.map { Self.unguarded($0[1]) }
        #expect(welcomed.sorted() == ["'quoted@example.com", "+1@example.com"], "\(rows)")
        #expect(rows.count == 1 + addresses.count + welcomed.count, "\(rows)")
        #expect(first.stderr.components(separatedBy: "the friend's address ").count - 1 == addresses.count - welcomed.count, "\(first.stderr)")
        let recorded = Set(rows.dropFirst().map { Array(Self.unguarded($0[1]).unicodeScalars) })
        let expected = Set(addresses.map { Array($0.trimmingWhitespace().lowercased().unicodeScalars) })
        #expect(recorded == expected)
        #expect(!rows.contains { $0.count > 1 && $0[1] == "forged@example.com" })
    }
}
