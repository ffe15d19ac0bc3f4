import Foundation
import RefkitModel
import Testing
@testable import RefkitLoad

/// Small files that would cost unbounded time or memory are refused with their file and line
/// (issue 17, class 7). The fixtures are made here, not kept in git: a few lines of YAML
/// aliases, a million-column header, a 50 MB cell. No assertion is on time: each test
/// checks the refusal and its message; a regression shows as a test that never ends.
@Suite("Inputs that would exhaust time or memory")
struct ResourceLimitTests {
    /// "Billion laughs": each level is a list of nine aliases of the level before, so `levels`
    /// lines name 9^levels values. Indented under `key:`.
    static func laughs(levels: Int, under key: String) -> String {
        var text = "\(key):\n  a0: &a0 \"lol\"\n"
        for i in 1...levels {
            text += "  a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        return text
    }

    static let program = "---\nheadline: Bring a friend\nincentive:\n  referrer: A free coffee\n  friend: 10% off\ncta: Join\n"

    /// Every YAML file refkit reads, with the line the hostile part starts on once added.
    @Test("YAML aliases are refused in every YAML file, at the first anchor's line", arguments: [
        ("site-templates/i18n/en.yaml", "language_name: English\nform:\n  submit: Send\n", 5),
        ("content/site.yaml", "name: Café Test\nbase_url: https://example.com/\nlanguage: en\n", 5),
        ("site-templates/print/postcard.yaml", "safe_zone: 4\n", 3),
        ("content/programs/offer.md", ResourceLimitTests.program, 8),
    ])
    func billionLaughs(file: String, start: String, line: Int) throws {
        var text = start + Self.laughs(levels: 9, under: "laughs")
        // A whole aliased tree as a mapping key: Yams hashes keys to find duplicates.
        text += "  ? *a9\n  : 1\n"
        if file.hasSuffix(".md") { text += "---\nBody.\n" }
        let root = try makeProject([file: text])
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        let refusal = error?.diagnostics.first { $0.message.contains("anchors and aliases") }
        #expect(refusal?.location == SourceLocation(file: file, line: line, column: 7), "\(error?.diagnostics ?? [])")
        #expect(refusal?.message.contains("`&a0`") == true)
        #expect(refusal?.fix?.contains("write the value out in full") == true)
        // The refused strings file is not also reported missing ("add en.yaml").
        #expect(!(error?.diagnostics ?? []).contains { $0.message.contains("no interface strings") }, "\(error?.diagnostics ?? [])")
    }

    @Test("a single alias is refused too: refkit has no use for them", arguments: [
        "headline: &h Bring a friend\ncta: *h\n",
        "headline: Bring a friend\n<<: *base\n",
        "steps: [*x]\n",
    ])
    func oneAlias(yaml: String) throws {
        let text = "---\n" + yaml + "incentive:\n  referrer: A\n  friend: B\n---\n"
        let (_, diagnostics) = FileLoader.program(Data(text.utf8), file: "content/programs/offer.md",
                                                  site: FileLoaderTests.site)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.message.contains("anchors and aliases") == true, "\(diagnostics)")
        #expect(diagnostics.first?.location.line != nil)
    }

    @Test("& and * in quoted, plain and block text are text, not aliases")
    func ampersandsAreText() throws {
        let text = Self.program.replacingOccurrences(of: "headline: Bring a friend", with: "headline: \"Fish & chips *for two*\"")
            + "subheadline: Fish & chips, 2 * 3 &more\ndescription: |\n  *star* &amp; &anchor\n  * bullet\n---\nBody.\n"
        let (programs, diagnostics) = FileLoader.program(Data(text.utf8), file: "content/programs/offer.md", site: FileLoaderTests.site)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(programs.first?.defaultEdition.headline == "Fish & chips *for two*")
    }

    @Test("YAML nested thousands of levels deep is refused at the level that goes too deep", arguments: [
        ("[", "]"), ("{a: ", "}"),
    ])
    func deepNesting(open: String, close: String) throws {
        let deep = "deep: " + String(repeating: open, count: 10_000) + String(repeating: close, count: 10_000) + "\n"
        let root = try makeProject(["site-templates/i18n/en.yaml": "language_name: English\n" + deep])
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        let refusal = error?.diagnostics.first { $0.location.file == "site-templates/i18n/en.yaml" }
        #expect(refusal?.message == "the YAML is nested more than 64 levels deep", "\(error?.diagnostics ?? [])")
        #expect(refusal?.location.line == 2)
        // The block style, by indentation, in a programme's front matter.
        var block = "---\n"
        for level in 0..<100 { block += String(repeating: " ", count: level * 2) + "k\(level):\n" }
        let (_, diagnostics) = FileLoader.program(Data((block + "---\n").utf8), file: "content/programs/offer.md", site: FileLoaderTests.site)
        #expect(diagnostics.first?.message == "the YAML is nested more than 64 levels deep", "\(diagnostics)")
        #expect(diagnostics.first?.location.line == 66)
    }

    @Test("a text file over 4 MB (one 50 MB line) is refused unread", arguments: [
        "site-templates/i18n/en.yaml", "content/site.yaml", "content/programs/offer.md", "site-templates/layouts/landing.mustache",
    ])
    func hugeTextFile(file: String) throws {
        let root = try makeProject([file: "big: " + String(repeating: "a", count: 50_000_000) + "\n"])
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        #expect(error?.diagnostics.map(\.description).contains(
            "\(file): the file is 50000006 bytes long; refkit reads text files of up to 4194304 bytes (4 MB); check that it is the right file: settings, programmes, strings and templates are written by hand.") == true,
                "\(error?.diagnostics ?? [])")
        #expect(!(error?.diagnostics ?? []).contains { $0.message.contains("no interface strings") }, "\(error?.diagnostics ?? [])")
    }

    // MARK: - referrers.csv

    static func referrers(_ text: String) -> [Diagnostic] {
        ReferrerLoader.load(Data(text.utf8), file: "content/referrers.csv", defaultLanguage: LanguageTag("en")!,
                            mainProgram: "offer", programLanguages: ["offer": [LanguageTag("en")!]]).diagnostics
    }

    @Test("a header of a million columns is refused at line 1")
    func millionColumns() {
        let header = "email,name," + (0..<1_000_000).map { "c\($0)" }.joined(separator: ",")
        let diagnostics = Self.referrers(header + "\nann@example.com,Ann Lee\n")
        #expect(diagnostics.map(\.description) == [
            "content/referrers.csv:1: the header has 1000002 cells; refkit reads at most 1000 columns; delete the columns you do not need: refkit needs `email` and `name`, and other columns are only for templates and the mail merge.",
        ])
    }

    @Test("a row of millions of cells, one 50 MB line, is refused at its line")
    func longLine() {
        let line = String(repeating: "abcdefghi,", count: 5_000_000)
        let diagnostics = Self.referrers("email,name\nann@example.com,Ann Lee\n\"quoted\nbreak\",x\n" + line + "\n")
        #expect(diagnostics.map(\.location) == [SourceLocation(file: "content/referrers.csv", line: 5)])
        #expect(diagnostics.first?.message == "the row has 5000001 cells; refkit reads at most 1000 columns")
    }

    @Test("a huge cell, quoted or not, is refused at its row's line", arguments: [false, true])
    func hugeCell(quoted: Bool) {
        let big = String(repeating: "x", count: 50_000_000)
        let cell = quoted ? "\"a,\"\"b\n" + big + "\"" : big
        let diagnostics = Self.referrers("email,name,notes\nann@example.com,Ann Lee,short\nbob@example.com,Bob Ray," + cell + "\n")
        #expect(diagnostics.map(\.location) == [SourceLocation(file: "content/referrers.csv", line: 3)])
        #expect(diagnostics.first?.message == "the `notes` cell is longer than 10000 bytes")
        let header = Self.referrers("email,name,\(big)\nann@example.com,Ann Lee,x\n")
        #expect(header.map(\.description) == ["content/referrers.csv:1: cell 3 of the header is longer than 10000 bytes; shorten it: the list holds names and short values, not documents."])
    }

    @Test("the widest and longest accepted rows still load")
    func limitsAreInclusive() {
        let header = "email,name," + (0..<998).map { "c\($0)" }.joined(separator: ",")
        let row = "ann@example.com,Ann Lee," + String(repeating: "é", count: 5_000) + String(repeating: ",", count: 997)
        let loaded = ReferrerLoader.load(Data((header + "\n" + row + "\n").utf8), file: "content/referrers.csv",
                                         defaultLanguage: LanguageTag("en")!, mainProgram: "offer",
                                         programLanguages: ["offer": [LanguageTag("en")!]])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.referrers.first?.extra.count == 998)
    }

    // MARK: - Folders

    @Test("links to `.` and `..` in content/assets/ are refused, not walked")
    func linkCycles() throws {
        let root = try makeProject([:])
        let assets = root.appendingPathComponent("content/assets")
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        for (name, target) in [("a", "."), ("b", "."), ("c", ".."), ("d", "../..")] {
            try FileManager.default.createSymbolicLink(atPath: assets.appendingPathComponent(name).path, withDestinationPath: target)
        }
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        #expect(error?.diagnostics.map(\.location.file) == ["content/assets/a", "content/assets/b", "content/assets/c", "content/assets/d"])
        #expect(error?.diagnostics.allSatisfy { $0.message.hasPrefix("this is a link to the folder") } == true, "\(error?.diagnostics ?? [])")
    }

    @Test("a named pipe in content/assets/ is refused, not read (reading one blocks forever)")
    func namedPipe() throws {
        let root = try makeProject([:])
        let assets = root.appendingPathComponent("content/assets")
        try FileManager.default.createDirectory(at: assets, withIntermediateDirectories: true)
        #expect(mkfifo(assets.appendingPathComponent("pipe.png").path, 0o644) == 0)
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        #expect(error?.diagnostics.map(\.description) == [
            "content/assets/pipe.png: this is a named pipe (FIFO), not a regular file; remove it: refkit reads only regular files.",
        ])
    }
}
