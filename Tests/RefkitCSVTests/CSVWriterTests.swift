import Foundation
import RefkitCSV
import RefkitTestSupport
import Testing

/// The one CSV writer: every hostile cell stays one cell, reads back exactly with refkit's
/// reader and Python's `csv`, and never runs as a formula in LibreOffice.
@Suite("CSV writer")
struct CSVWriterTests {
    /// Values that broke out of their cell or ran as formulas before there was one writer.
    static let hostile: [String] = [
        "x\"\u{301},=1+1,y",                 // a quote and a combining mark are one Character
        "\"\u{301}",
        "a\r\nb",                            // CR LF is one Character
        "\r\n",
        "\"\r\n2027-01-01,forged,1,x,2027-01-01",
        "lone\rcr", "lone\nlf", "nul\u{0}byte", "\u{0}", "tab\there", "\u{1B}]0;title\u{7}",
        "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
        "   =1+1", " \u{3000}=1", "\u{200B}=1", "\u{FEFF}+1", "\u{202E}=1",
        "\u{FF1D}1+1", "\u{FF0B}1", "\u{FF0D}1", "\u{FF20}SUM(A1)", " \u{FF1D}1", "\u{FE66}1", "\u{2212}1",
        "'", "''", "'=1", "'x", "' =1", "'\u{301}", "=\u{301}",
        "a,b", "a;b", "\"", "\"\"", "", " ", "trailing ", "\u{2028}ls", "nel\u{85}",
        "\u{FEFF}", "\u{FEFF}bom", "\u{FB29}1", "Émilie 👩‍🍳 Cafe\u{301}", "e\u{301}", "é", "मराठी", "Ἀθηνᾶ",
    ]

    @Test("every hostile value reads back as the same cell with refkit's reader", arguments: hostile)
    func roundTrip(value: String) {
        let text = CSVWriter(lineEnd: .lf).line(["before", value, "after"])
        let read = CSVRecords.read(Array(text.utf8))
        #expect(read.errors.isEmpty)
        #expect(read.records.count == 1)
        let cells = read.records.first?.fields.map(FormulaGuard.unprotect) ?? []
        #expect(CSVReadBack.same([cells], [["before", value, "after"]]), "\(cells.map(\.debugDescription))")
    }

    @Test("a quote is doubled by byte, whatever combining mark follows it")
    func quoteBeforeCombiningMark() {
        #expect(CSVWriter.cell("x\"\u{301},=1+1,y") == "\"x\"\"\u{301},=1+1,y\"")
        #expect(CSVWriter.cell("a\r\nb") == "\"a\r\nb\"")
    }

    @Test("formula signs are guarded with a leading quote, also in full width and after spaces", arguments: [
        ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\t1", "\"'\t1\""), ("\r1", "\"'\r1\""),
        ("  =1", "'  =1"), ("\u{FF1D}1", "'\u{FF1D}1"), ("\u{3000}\u{FF0B}1", "'\u{3000}\u{FF0B}1"), ("\u{FEFF}x", "\"\u{FEFF}x\""),
        ("\u{200B}@x", "'\u{200B}@x"), ("'x", "''x"), ("x=1", "x=1"), ("Marie", "Marie"), ("1-2", "1-2"),
        ("e-mail@x", "e-mail@x"), ("", ""),
    ])
    func guarded(value: String, cell: String) {
        #expect(Array(CSVWriter.cell(value).unicodeScalars) == Array(cell.unicodeScalars))
    }

    @Test("quoted exactly when a reader could split, trim or drop something", arguments: [
        ("a,b", true), ("a;b", true), ("a\"b", true), ("a\u{0}b", true), ("a\u{7F}b", true), ("nel\u{85}", true),
        ("ls\u{2028}x", true), ("ps\u{2029}x", true), (" lead", true), ("trail ", true), ("\u{3000}wide", true),
        ("wide\u{3000}", true), ("\u{FEFF}bom", true),
        ("plain", false), ("Maëlle Lefèvre", false), ("diaeresis \u{A8}", false), ("\u{2018}quoted\u{2019}", false),
        ("mid\u{FEFF}dle", false), ("日本語", false), ("Cafe\u{301}", false),
    ])
    func quoting(value: String, quoted: Bool) {
        #expect(CSVWriter.cell(value).hasPrefix("\"") == quoted, "\(CSVWriter.cell(value).debugDescription)")
    }

    @Test("a quote left undoubled before a combining mark by the writers before this one reads back as that quote", arguments: [
        ("a,\"x\"\u{301},=1+1,y\",b\n", ["a", "x\"\u{301},=1+1,y", "b"]),
        ("\"\"\u{301}\"\n", ["\"\u{301}"]),
        ("\"a\"\u{200D}b\",c\n", ["a\"\u{200D}b", "c"]),
    ])
    func undoubledQuote(file: String, cells: [String]) {
        let read = CSVRecords.read(Array(file.utf8))
        #expect(read.errors.isEmpty)
        #expect(CSVReadBack.same(read.records.map(\.fields), [cells]))
    }

    @Test("any other text after a closing quote is still an error on its line")
    func textAfterQuote() {
        let read = CSVRecords.read(Array("a,b\n\"x\"y,z\n\"é\"é\n".utf8))
        #expect(read.errors == [.textAfterQuote(line: 2), .textAfterQuote(line: 3)])
    }

    @Test("a cell written by an older refkit that starts with ' and needs no guard reads as it is")
    func olderCells() {
        #expect(FormulaGuard.unprotect("'x") == "'x")
        #expect(FormulaGuard.unprotect("''x") == "'x")
        #expect(FormulaGuard.unprotect("'=1") == "=1")
        #expect(FormulaGuard.unprotect("=1") == "=1")
    }

    @Test("the formula signs are every scalar whose NFKC form is = + - or @")
    func signsAreComplete() {
        var found: Set<Unicode.Scalar> = []
        for value in 0..<0x10000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let nfkc = String(scalar).precomposedStringWithCompatibilityMapping
            if ["=", "+", "-", "@"].contains(nfkc) { found.insert(scalar) }
        }
        #expect(found.isSubset(of: FormulaGuard.signs), "\(found.subtracting(FormulaGuard.signs).map { String($0.value, radix: 16) })")
    }

    @Test("a file of hostile rows reads back with Python's csv and LibreOffice: same rows, same columns, no formula")
    func pythonAndLibreOffice() throws {
        let rows = Self.hostile.map { ["id", $0, "tail"] } + [Self.hostile] + [[""], ["only"]]
        let scratch = try TemporaryFolder("refkit-csv")
        defer { scratch.remove() }
        var files: [URL] = []
        for lineEnd in [CSVWriter.LineEnd.lf, .crlf] {
            let writer = CSVWriter(lineEnd: lineEnd)
            let file = scratch.url.appendingPathComponent("\(lineEnd).csv")
            try Data(rows.map(writer.line).joined().utf8).write(to: file)
            files.append(file)

            let python = try CSVReadBack.python(file).map { $0.map(FormulaGuard.unprotect) }
            #expect(CSVReadBack.same(python, rows), "\(python)")
        }
        // Both files in one LibreOffice run: starting soffice is most of its time.
        let sheets = try CSVReadBack.libreOffice(files)
        for file in files {
            let sheet = try #require(sheets[file], "\(file.lastPathComponent)")
            #expect(sheet.formulas.isEmpty, "\(file.lastPathComponent): \(sheet.formulas)")
            // LibreOffice drops NUL and shows the guard's quote; what matters is that no cell
            // spills into the next one and no row splits.
            #expect(sheet.columns == CSVReadBack.columns(rows.map { $0.map(CSVWriter.cell) }), "\(file.lastPathComponent)")
        }
    }
}
