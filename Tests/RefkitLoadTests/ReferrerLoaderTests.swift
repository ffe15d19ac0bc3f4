import Foundation
import Testing
import RefkitModel
@testable import RefkitLoad

/// `Tests/Fixtures/referrers/`, found from this file so tests run from any directory.
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/referrers")

private let programLanguages: [String: Set<LanguageTag>] = [
    "main": [LanguageTag("fr")!, LanguageTag("en")!, LanguageTag("ja")!, LanguageTag("zh-Hans")!],
    "bread-club": [LanguageTag("fr")!],
]

private func load(_ data: Data) -> (referrers: [Referrer], diagnostics: [Diagnostic]) {
    ReferrerLoader.load(data, file: "content/referrers.csv", defaultLanguage: LanguageTag("fr")!, mainProgram: "main",
                        programLanguages: programLanguages)
}

private func load(fixture name: String) throws -> (referrers: [Referrer], diagnostics: [Diagnostic]) {
    load(try Data(contentsOf: fixtures.appendingPathComponent(name)))
}

private func load(_ text: String) -> (referrers: [Referrer], diagnostics: [Diagnostic]) {
    load(Data(text.utf8))
}

@Suite("referrers.csv")
struct ReferrerLoaderTests {
    @Test("what spreadsheets export reads the same", arguments: [
        "bom-crlf.csv", "semicolon.csv", "tab.csv", "utf16le.csv", "utf16be.csv",
    ])
    func exports(file: String) throws {
        let (referrers, diagnostics) = try load(fixture: file)
        #expect(diagnostics.isEmpty)
        #expect(referrers.map(\.email) == ["marie@example.fr", "yamada@example.jp", "jl@example.fr"])
        #expect(referrers.map(\.name) == ["Marie Dupont", "山田 花子", "Dupont, Jean-Luc"])
        #expect(referrers.map(\.firstName) == ["Marie", "花子", "Jean-Luc"])
        #expect(referrers.map(\.language.rawValue) == ["fr", "ja", "fr"])
        #expect(referrers.map(\.program) == ["main", "main", "bread-club"])
        #expect(referrers.map(\.line) == [2, 3, 4])
        #expect(referrers[1].extra == [Referrer.Field(name: "city", value: "東京")])
    }

    @Test("legacy code pages are refused, naming the likely encoding and how to save as UTF-8", arguments: [
        ("windows-1252.csv", "Windows-1252", 3),
        ("shift-jis.csv", "Shift-JIS", 2),
        ("gbk.csv", "GBK", 2),
    ])
    func legacy(file: String, encoding: String, line: Int) throws {
        let (referrers, diagnostics) = try load(fixture: file)
        #expect(referrers.isEmpty)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location == SourceLocation(file: "content/referrers.csv", line: line))
        #expect(diagnostics.first?.message.contains("not UTF-8; it looks like \(encoding)") == true)
        #expect(diagnostics.first?.fix?.contains("In Excel: File › Save As › CSV UTF-8") == true)
    }

    @Test("line numbers are those of the physical line a row starts on, counting breaks in quoted cells")
    func quotedNewlines() throws {
        let (referrers, diagnostics) = try load(fixture: "quoted-newlines.csv")
        #expect(referrers.map(\.line) == [2, 5])
        #expect(referrers[0].extra == [Referrer.Field(name: "note", value: "Likes:\n- baguettes\n- croissants")])
        #expect(diagnostics.map(\.location.line) == [6, 6, 8])
        #expect(diagnostics[0].message == "\"bad-email\" is not an email address")
        // A line break inside a name cannot go into a page title or a mail header.
        #expect(diagnostics[1].message == "the `name` cell contains the invisible character U+D")
        #expect(diagnostics[2].message == "the name is empty")
    }

    @Test("every problem is reported, each at its row's line")
    func problems() throws {
        let (referrers, diagnostics) = try load(fixture: "problems.csv")
        #expect(referrers.map(\.email) == ["marie@example.fr"])
        let byLine = diagnostics.map { ($0.location.line ?? 0, $0.message) }
        #expect(byLine.map(\.0) == [3, 4, 5, 6, 7, 8, 9, 11])
        #expect(byLine[0].1 == "\"not-an-email\" is not an email address")
        #expect(byLine[1].1 == "Marie@Example.FR is listed twice, on line 2 and on line 4")
        #expect(byLine[2].1 == "the name is empty")
        #expect(byLine[3].1 == "the language de is unknown: programme main has no edition in de")
        #expect(byLine[4].1 == "there is no programme \"tea-club\"")
        #expect(byLine[5].1 == "the email is empty")
        #expect(byLine[6].1 == "\"en-GB-x-y-z\" is not a language tag")
        #expect(byLine[7].1 == "the language ja is unknown: programme bread-club has no edition in ja")
        #expect(diagnostics[3].fix == "use one of: en, fr, ja, zh-Hans, or add the translation")
    }

    @Test("missing required columns are reported on line 1 with the likely rename")
    func missingColumns() throws {
        let (referrers, diagnostics) = try load(fixture: "missing-columns.csv")
        #expect(referrers.isEmpty)
        #expect(diagnostics.map(\.location.line) == [1, 1])
        #expect(diagnostics[0].message == "the required column `email` is missing")
        #expect(diagnostics[0].fix == "rename the column `e-mail` to `email`")
        #expect(diagnostics[1].message == "the required column `name` is missing")
    }

    @Test("a quote that is never closed is reported where it opens")
    func unclosed() throws {
        let (_, diagnostics) = try load(fixture: "unclosed-quote.csv")
        #expect(diagnostics.map(\.location.line) == [3])
    }

    @Test("first names: the first word of Latin names, the given name of spaced CJK names, none for unspaced ones, a first_name column wins")
    func firstNamesFixture() throws {
        let (referrers, diagnostics) = try load(fixture: "first-names.csv")
        #expect(diagnostics.isEmpty)
        #expect(referrers.map(\.firstName) == ["Marie", "", "", "Siti", "Jean-Luc", "An"])
        #expect(referrers.allSatisfy { $0.extra.isEmpty })
    }

    @Test("first names derived from full names", arguments: [
        ("Marie Dupont", "Marie"), ("山田花子", ""), ("山田 花子", "花子"), ("王小明", ""),
        ("Siti Nurhaliza binti Ahmad", "Siti"), ("  Jean-Luc  Picard ", "Jean-Luc"), ("김민준", ""),
        ("Cher", "Cher"), ("ヤマダ　ハナコ", "ハナコ"),
        ("Dupont, Jean-Luc", "Jean-Luc"), ("Martin Luther King, Jr.", "Martin"),
    ])
    func firstNames(name: String, expected: String) {
        #expect(Referrer.firstName(fromName: name) == expected)
    }

    @Test("emails compare ignoring case and surrounding spaces")
    func duplicates() {
        let (referrers, diagnostics) = load("email,name\nA@x.com,A\n a@X.COM ,B\n")
        #expect(referrers.count == 1)
        #expect(diagnostics.first?.location.line == 3)
        #expect(diagnostics.first?.message.contains("line 2 and on line 3") == true)
    }

    @Test("a programme without the site language gives rows without lang its own default")
    func programmeDefault() {
        let (referrers, diagnostics) = ReferrerLoader.load(
            Data("email,name,program\nken@example.jp,Ken,tokyo\n".utf8), file: "content/referrers.csv",
            defaultLanguage: LanguageTag("fr")!, mainProgram: "main",
            programLanguages: ["main": [LanguageTag("fr")!], "tokyo": [LanguageTag("ja")!]],
            programDefaultLanguages: ["tokyo": LanguageTag("ja")!])
        #expect(diagnostics.isEmpty)
        #expect(referrers.first?.language == LanguageTag("ja"))
    }

    @Test("extra cells beyond the header are reported")
    func extraCells() {
        let (_, diagnostics) = load("email,name\nmarie@example.fr,Dupont, Marie\n")
        #expect(diagnostics.first?.location.line == 2)
        #expect(diagnostics.first?.fix?.contains("double quotes") == true)
    }

    @Test("an empty file says how to start")
    func empty() {
        #expect(load("").diagnostics.first?.message == "the file is empty")
        #expect(load("\u{FEFF}").diagnostics.first?.message == "the file is empty")
    }

    @Test("the fast email check agrees with the loaders' shared one", arguments: [
        "marie@example.fr", "a@b.c", "not-an-email", "@example.fr", "marie@", "marie@example", "marie@.example.fr",
        "marie@example.fr.", "ma rie@example.fr", "a@b@c.fr", "marie<@example.fr", "marie@exa;mple.fr", "marie@例え.jp",
        "名前@example.jp", "marie@example.fr\u{7F}", "x@y..z", "",
    ])
    func emailCheck(address: String) {
        #expect(ReferrerLoader.isValidEmail(address) == EmailCheck.isValid(address))
    }

    @Test("100,000 rows load with the right line numbers")
    func scale() {
        var text = "email,name,lang,city\r\n"
        for i in 0..<100_000 { text += "person\(i)@example.com,\"Person \(i), Jr\",fr,Lyon\r\n" }
        let data = Data(text.utf8)
        let clock = ContinuousClock()
        var result: (referrers: [Referrer], diagnostics: [Diagnostic])?
        let elapsed = clock.measure { result = load(data) }
        #expect(result?.referrers.count == 100_000)
        #expect(result?.referrers.last?.line == 100_001)
        print("load 100,000 referrers: \(elapsed)")
        // No timing assertion: machines vary; the benchmark command owns speed figures.
    }
}
