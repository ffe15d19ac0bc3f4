import Testing
import RefkitModel
@testable import RefkitLoad

/// Every size and length in `print/postcard.yaml` has a range: 1e300 once crashed the print
/// worker, and 0.001 pt made the headline vanish from every card (attack on #19, F2 and F3).
@Suite("Postcard layout: sizes and lengths in range")
struct PostcardLayoutRangeTests {
    @Test("an absurd value is a diagnostic at its line and column naming the field, the range and what to do",
          arguments: [
            ("front:\n  headline: { size: 1e300 }\n", 2, "`front.headline.size` must be from 4 to 200 pt"),
            ("front:\n  headline: { size: 0.001 }\n", 2, "`front.headline.size` must be from 4 to 200 pt"),
            ("back:\n  terms: { size: 1e-300 }\n", 2, "`back.terms.size` must be from 4 to 200 pt"),
            ("marks:\n  line_width: 1e200\n", 2, "`marks.line_width` must be from 0.05 to 2 pt"),
            ("marks:\n  line_width: 0.0001\n", 2, "`marks.line_width` must be from 0.05 to 2 pt"),
            ("marks:\n  offset: 5000\n", 2, "`marks.offset` must be from 0 to 20 mm"),
            ("marks:\n  length: -1\n", 2, "`marks.length` must be from 2 to 30 mm"),
            ("safe_zone: 1e300\n", 1, "`safe_zone` must be from 0 to 30 mm"),
            ("front:\n  headline: { x: 1e300 }\n", 2, "`front.headline.x` must be from 0 to 1000 mm"),
            ("front:\n  image: { x: 0, y: 0, width: 1e308, height: 10 }\n", 2, "`front.image.width` must be from 0 to 1000 mm"),
            ("back:\n  qr: { size: 1e300 }\n", 2, "`back.qr.size` must be from 20 to 1000 mm"),
          ])
    func outOfRange(yaml: String, line: Int, words: String) throws {
        let (layout, problems) = PrintLayoutLoader.parse(yaml)
        let problem = try #require(problems.first, "no diagnostic for \(yaml)")
        #expect(problems.count == 1, "\(problems)")
        #expect(problem.location.file == "site-templates/print/postcard.yaml")
        #expect(problem.location.line == line)
        #expect(problem.location.column != nil)
        #expect(problem.description.contains(words), "\(problem)")
        #expect(problem.fix?.contains("use") == true, "\(problem)")
        // The refused value is not used: the default stays.
        #expect(layout.front.headline.sizePt == PrintLayout().front.headline.sizePt)
        #expect(layout.marks == PrintLayout().marks)
    }

    @Test("the edges of each range are accepted")
    func edgesAccepted() {
        let (layout, problems) = PrintLayoutLoader.parse("marks: { line_width: 0.05, offset: 0, length: 30 }\nfront:\n  headline: { size: 4 }\n  incentive: { size: 200 }\n")
        #expect(problems.isEmpty, "\(problems)")
        #expect(layout.marks.lineWidthPt == 0.05)
        #expect(layout.front.headline.sizePt == 4)
        #expect(layout.front.incentive.sizePt == 200)
    }
}

/// The office test page's summary for a file of one sheet may count a single card: its
/// wording must not need a plural (the attack found "Ce fichier : 1 cartes A6").
@Suite("Test page wording")
struct TestPageWordingTests {
    @Test("summary_one reads right with one card in English and French", arguments: [("en", "1 A6 cards"), ("fr", "1 cartes")])
    func oneCard(language: String, wrong: String) throws {
        let path = #filePath.replacingOccurrences(of: "Tests/RefkitLoadTests/PostcardLayoutRangeTests.swift", with: "site-templates/i18n/\(language).yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("summary_one:") })
        let filled = line.replacingOccurrences(of: "{cards}", with: "1").replacingOccurrences(of: "{size}", with: "A6")
        #expect(!filled.contains(wrong), "\(filled)")
    }
}
