import Foundation
import Testing
import RefkitModel
import RefkitPrint
@testable import RefkitPrint

@Suite("Postcard print files")
struct PostcardRendererTests {
    let mm = 72.0 / 25.4

    /// 0.1 mm in points.
    var tolerance: Double { 0.1 * mm }

    func render(_ copy: Fixtures.Copy, count: Int, settings: PrintSettings = .init(), image: Data? = nil) throws -> (PrintSummary, MemorySink) {
        let sink = MemorySink()
        let summary = try PostcardRenderer(settings: settings).render(Fixtures.postcards(copy, count: count, image: image), to: sink)
        return (summary, sink)
    }

    func expectBox(_ box: [Double], _ expected: [Double], _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(box.count == 4, "\(what) missing", sourceLocation: sourceLocation)
        guard box.count == 4 else { return }
        for (a, b) in zip(box, expected) {
            #expect(abs(a - b) <= tolerance, "\(what) is \(box), expected \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test("every QR code in the print-shop and office files decodes to its card's URL", arguments: Fixtures.copies.map(\.language))
    func qrCodesDecode(language: String) throws {
        let copy = Fixtures.copies.first { $0.language == language }!
        let (summary, sink) = try render(copy, count: 3, image: Fixtures.png)
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Fixtures.write(sink, to: dir)
        let expected = (0..<3).map { Fixtures.url(Fixtures.code($0, language)) }.sorted()
        #expect(summary.cards == 3)

        for kind in ["shop", "office"] {
            let path = "print/bread-club-\(copy.language)-\(kind)-001.pdf"
            let pdf = try #require(files[path], "no \(path) in \(files.keys.sorted())")
            let prefix = dir.appendingPathComponent("\(kind)-page").path
            try Tool.run("pdftoppm", ["-r", "300", "-png", pdf.path, prefix])
            let pngs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("\(kind)-page") }.sorted()
            #expect(!pngs.isEmpty)
            // Exit status 4 means "no code on this page", true of fronts and test pages.
            var decoded: [String] = []
            for png in pngs {
                let out = try Tool.run("zbarimg", ["--raw", "-q", dir.appendingPathComponent(png).path], allowing: [0, 4])
                decoded += out.stdout.split(separator: "\n").map(String.init)
            }
            #expect(decoded.sorted() == expected, "\(kind) file")
        }
    }

    @Test("fonts are embedded, qpdf --check passes, and CJK text gets its own language's face")
    func fontsEmbeddedAndFilesValid() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let expectedFace = ["ja": "CJKjp", "zh-Hans": "CJKsc"]
        for copy in Fixtures.copies {
            let (_, sink) = try render(copy, count: 2)
            for (path, url) in try Fixtures.write(sink, to: dir) where path.contains("-\(copy.language)-") {
                try Tool.run("qpdf", ["--check", url.path])
                let fonts = try Tool.run("pdffonts", [url.path]).stdout.split(separator: "\n").dropFirst(2)
                #expect(!fonts.isEmpty, "\(path) has no fonts")
                for line in fonts {
                    // name type encoding emb sub uni object ID: "emb" is the fourth column
                    // from the right of the "yes/no" triple.
                    let columns = line.split(separator: " ")
                    let flags = columns.suffix(5).prefix(3)
                    #expect(flags.first == "yes", "\(path): font not embedded: \(line)")
                }
                if let face = expectedFace[copy.language] {
                    #expect(fonts.contains { $0.contains(face) }, "\(path) does not use Noto Sans \(face): \(fonts)")
                }
                if copy.language == "ja" {
                    #expect(!fonts.contains { $0.contains("CJKsc") }, "Japanese cards use the Chinese face")
                }
            }
        }
    }

    @Test("names and copy in Japanese, Chinese, Malay and French have no unknown glyphs", arguments: Fixtures.copies.map(\.language))
    func noUnknownGlyphs(language: String) throws {
        let copy = Fixtures.copies.first { $0.language == language }!
        let context = TextContext()
        let tag = PangoLanguage.tag(for: language)
        let families = PrintLayout().fontFamilies(forPangoLanguage: tag)
        for text in [copy.headline, copy.incentive, copy.from, copy.to, copy.redeem, copy.deadline!, copy.terms!] + copy.names {
            let layout = TextLayout(context: context, runs: [TextRun(text: text, language: tag)], families: families,
                                    sizePt: 12, bold: false, widthPt: 200)
            #expect(layout.unknownGlyphs == 0, "\(text)")
        }
        // The check itself works: a private-use character has no glyph anywhere.
        let box = TextLayout(context: context, runs: [TextRun(text: "\u{F8FF}\u{10FFFD}", language: tag)], families: families,
                             sizePt: 12, bold: false, widthPt: 200)
        #expect(box.unknownGlyphs > 0)
        // And rendering does not pass such a card silently.
        var cards = Fixtures.postcards(copy, count: 1)
        cards[0].back.referrerName = "\u{10FFFD}"
        let error = #expect(throws: PrintError.self) { try PostcardRenderer(settings: .init()).render(cards, to: MemorySink()) }
        #expect(error?.field == "back.from")
    }

    @Test("Chinese tags map to Pango's region tags")
    func pangoLanguageTags() {
        #expect(PangoLanguage.tag(for: "zh") == "zh-cn")
        #expect(PangoLanguage.tag(for: "zh-Hans") == "zh-cn")
        #expect(PangoLanguage.tag(for: "zh-Hant") == "zh-tw")
        #expect(PangoLanguage.tag(for: "zh-Hant-HK") == "zh-hk")
        #expect(PangoLanguage.tag(for: "ja") == "ja")
        #expect(PangoLanguage.tag(for: "pt-BR") == "pt-br")
    }

    @Test("print-shop pages are trim + bleed + slug, with TrimBox and BleedBox exact to 0.1 mm",
          arguments: [("A6", 105.0, 148.0), ("120x170mm", 120.0, 170.0)])
    func pageBoxes(size: String, width: Double, height: Double) throws {
        let settings = PrintSettings(size: try #require(CardSize(parsing: size)), bleedMM: 3, marks: true)
        let (summary, sink) = try render(Fixtures.copies[3], count: 2, settings: settings)
        #expect(summary.shop.pages == 4)
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Fixtures.write(sink, to: dir)
        let pages = try Boxes.read(try #require(files["print/bread-club-fr-shop-001.pdf"]))
        #expect(pages.count == 4)
        let slug: Double = PrintLayout().marks.slugMM * mm
        let bleed: Double = 3 * mm
        let pageW: Double = width * mm + 2 * (bleed + slug)
        let pageH: Double = height * mm + 2 * (bleed + slug)
        let inset: Double = slug + bleed
        for boxes in pages {
            expectBox(boxes.media, [0, 0, pageW, pageH], "MediaBox")
            expectBox(boxes.bleed, [slug, slug, pageW - slug, pageH - slug], "BleedBox")
            expectBox(boxes.trim, [inset, inset, pageW - inset, pageH - inset], "TrimBox")
            if boxes.trim.count == 4 {
                #expect(abs((boxes.trim[2] - boxes.trim[0]) - width * mm) <= tolerance)
                #expect(abs((boxes.trim[3] - boxes.trim[1]) - height * mm) <= tolerance)
            }
        }
    }

    @Test("marks: false gives pages of trim + bleed only")
    func noMarks() throws {
        let settings = PrintSettings(size: .a6, bleedMM: 3, marks: false)
        let (_, sink) = try render(Fixtures.copies[2], count: 1, settings: settings)
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Fixtures.write(sink, to: dir)
        let pages = try Boxes.read(try #require(files["print/bread-club-ms-shop-001.pdf"]))
        #expect(pages.count == 2)
        for boxes in pages {
            expectBox(boxes.media, [0, 0, 111 * mm, 154 * mm], "MediaBox")
            expectBox(boxes.bleed, [0, 0, 111 * mm, 154 * mm], "BleedBox")
            expectBox(boxes.trim, [3 * mm, 3 * mm, 108 * mm, 151 * mm], "TrimBox")
        }
    }

    @Test("text too long for its block throws a PrintError naming programme, language and field")
    func textTooLong() throws {
        var cards = Fixtures.postcards(Fixtures.copies[3], count: 2, program: "bread-club")
        cards[1].back.redeem = String(repeating: "Présentez cette carte en boutique pour recevoir votre cadeau. ", count: 12)
        let error = #expect(throws: PrintError.self) { try PostcardRenderer(settings: .init()).render(cards, to: MemorySink()) }
        #expect(error?.program == "bread-club")
        #expect(error?.language == LanguageTag("fr"))
        #expect(error?.field == "back.redeem")
        #expect(error?.location.file == "content/programs/bread-club.fr.md")
        #expect(error?.description.contains("70 %") == true)

        // The front is checked too, and so is a headline a little too long: shrunk, not refused.
        var front = Fixtures.postcards(Fixtures.copies[0], count: 1)
        front[0].front.headline = String(repeating: "焼きたてのパンをお友だちに", count: 6)
        let frontError = #expect(throws: PrintError.self) { try PostcardRenderer(settings: .init()).render(front, to: MemorySink()) }
        #expect(frontError?.field == "front.headline")
        #expect(frontError?.language == LanguageTag("ja"))
        var longish = Fixtures.postcards(Fixtures.copies[3], count: 1)
        longish[0].front.headline = "Partagez le bon pain de la boulangerie avec tous vos amis et voisins"
        #expect(throws: Never.self) { try PostcardRenderer(settings: .init()).render(longish, to: MemorySink()) }
    }

    @Test("a layout block outside the safe zone is refused, naming the block")
    func layoutOutsideSafeZone() throws {
        var layout = PrintLayout()
        layout.back.terms.box.y = 140
        let error = #expect(throws: PrintError.self) {
            try PostcardRenderer(settings: .init(), layout: layout).render(Fixtures.postcards(Fixtures.copies[3], count: 1), to: MemorySink())
        }
        #expect(error?.field == "back.terms")
        #expect(error?.location.file == "site-templates/print/postcard.yaml")
        layout = PrintLayout()
        layout.back.qr.sizeMM = 18
        let small = #expect(throws: PrintError.self) {
            try PostcardRenderer(settings: .init(), layout: layout).render(Fixtures.postcards(Fixtures.copies[3], count: 1), to: MemorySink())
        }
        #expect(small?.field == "back.qr")
    }

    @Test("cardsPerFile splits both kinds of file, and the summary counts them")
    func splitsFiles() throws {
        let settings = PrintSettings(cardsPerFile: 2)
        let (summary, sink) = try render(Fixtures.copies[3], count: 5, settings: settings)
        let paths = sink.files.map(\.path)
        #expect(paths == [
            "print/bread-club-fr-office-001.pdf", "print/bread-club-fr-office-002.pdf", "print/bread-club-fr-office-003.pdf",
            "print/bread-club-fr-shop-001.pdf", "print/bread-club-fr-shop-002.pdf", "print/bread-club-fr-shop-003.pdf",
        ])
        #expect(sink.files.allSatisfy { $0.area == .kit && $0.isPrivate })
        #expect(summary.cards == 5)
        #expect(summary.shop == .init(files: 3, pages: 10))
        // A6 on A4: two cards per sheet (turned), so each file is a test sheet and one sheet.
        #expect(summary.cardsPerSheet == 2)
        #expect(summary.office == .init(files: 3, pages: 3 * 4))
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Fixtures.write(sink, to: dir)
        let info = try Tool.run("pdfinfo", [files["print/bread-club-fr-shop-003.pdf"]!.path]).stdout
        #expect(info.contains("Pages:           2"))
        let office = try Boxes.read(files["print/bread-club-fr-office-001.pdf"]!)
        #expect(office.count == 4)
        for boxes in office { expectBox(boxes.media, [0, 0, 210 * mm, 297 * mm], "A4 MediaBox") }
    }

    @Test("office sheets on Letter paper decode every card")
    func letterSheets() throws {
        let settings = PrintSettings(size: .fourBySix, sheet: .letter)
        let (summary, sink) = try render(Fixtures.copies[1], count: 3, settings: settings)
        #expect(summary.office.pages == 2 + 2 * ((3 + summary.cardsPerSheet - 1) / summary.cardsPerSheet))
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Fixtures.write(sink, to: dir)
        let pdf = try #require(files["print/bread-club-zh-Hans-office-001.pdf"])
        let boxes = try Boxes.read(pdf)
        expectBox(boxes[0].media, [0, 0, 215.9 * mm, 279.4 * mm], "Letter MediaBox")
        try Tool.run("pdftoppm", ["-r", "300", "-png", pdf.path, dir.appendingPathComponent("sheet").path])
        var decoded: [String] = []
        for png in try FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasPrefix("sheet") }) {
            decoded += try Tool.run("zbarimg", ["--raw", "-q", dir.appendingPathComponent(png).path], allowing: [0, 4]).stdout.split(separator: "\n").map(String.init)
        }
        #expect(decoded.sorted() == (0..<3).map { Fixtures.url(Fixtures.code($0, "zh-Hans")) }.sorted())
    }

    @Test("the same cards give the same bytes")
    func deterministic() throws {
        let (_, a) = try render(Fixtures.copies[0], count: 2)
        let (_, b) = try render(Fixtures.copies[0], count: 2)
        #expect(a.files == b.files)
    }

    @Test("an empty run writes nothing")
    func emptyRun() throws {
        let sink = MemorySink()
        let summary = try PostcardRenderer(settings: .init()).render([Postcard](), to: sink)
        #expect(summary == PrintSummary())
        #expect(sink.files.isEmpty)
    }

    @Test("renderFile writes one numbered file pair, byte for byte what render writes for those cards")
    func renderFileMatchesRender() throws {
        let settings = PrintSettings(cardsPerFile: 2)
        let cards = Fixtures.postcards(Fixtures.copies[3], count: 3)
        let whole = MemorySink()
        _ = try PostcardRenderer(settings: settings).render(cards, to: whole)
        let one = MemorySink()
        let summary = try PostcardRenderer(settings: settings).renderFile(number: 2, cards: Array(cards[2...]), to: one)
        // The summary lists the pair in writing order; the sink keeps its files sorted.
        #expect(summary.paths == ["print/bread-club-fr-shop-002.pdf", "print/bread-club-fr-office-002.pdf"])
        #expect(one.files.map(\.path).sorted() == summary.paths.sorted())
        #expect(summary.cards == 1)
        #expect(summary.shop == .init(files: 1, pages: 2))
        #expect(summary.office == .init(files: 1, pages: 4))
        for file in one.files {
            #expect(whole.files.first { $0.path == file.path }?.bytes == file.bytes, "\(file.path) differs from render's")
        }
        #expect(try PostcardRenderer(settings: settings).renderFile(number: 1, cards: [], to: one) == PrintSummary())
    }

    @Test("renderFile refuses a card of another programme, naming the field")
    func renderFileMixedRun() throws {
        var cards = Fixtures.postcards(Fixtures.copies[3], count: 2)
        cards[1].program = "other-club"
        let error = #expect(throws: PrintError.self) {
            try PostcardRenderer(settings: .init()).renderFile(number: 1, cards: cards, to: MemorySink())
        }
        #expect(error?.field == "program")
    }

    @Test("cards of one run whose shared back copy differs each print their own words")
    func differentSharedBackCopy() throws {
        var cards = Fixtures.postcards(Fixtures.copies[3], count: 2)
        cards[1].back.redeem = "Montrez cette carte au comptoir."
        cards[1].back.terms = nil
        let sink = MemorySink()
        _ = try PostcardRenderer(settings: .init()).render(cards, to: sink)
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Fixtures.write(sink, to: dir)
        let shop = try #require(files["print/bread-club-fr-shop-001.pdf"])
        func page(_ n: Int) throws -> String {
            try Tool.run("pdftotext", ["-f", "\(n)", "-l", "\(n)", shop.path, "-"]).stdout.replacingOccurrences(of: "\n", with: " ")
        }
        let first = try page(2), second = try page(4)
        #expect(first.contains("Présentez cette carte"))
        #expect(first.contains("Une carte par nouveau client"))
        #expect(second.contains("Montrez cette carte au comptoir."))
        #expect(!second.contains("Présentez cette carte"))
        #expect(!second.contains("Une carte par nouveau client"))
    }

    @Test("each further card adds little to a file: the shared back and the front are stored once, the QR code as a one-bit mask")
    func bytesPerCard() throws {
        for copy in Fixtures.copies {
            let (_, one) = try render(copy, count: 1)
            let (_, many) = try render(copy, count: 21)
            for kind in ["shop", "office"] {
                func size(_ sink: MemorySink) -> Int { sink.files.first { $0.path.contains("-\(kind)-") }?.bytes.count ?? 0 }
                let perCard = (size(many) - size(one)) / 20
                // About 2,300 bytes in a shop file before fonts grow; drawn as paths, a QR code
                // alone was about 9,000.
                #expect(perCard > 0 && perCard < 4_000, "\(copy.language) \(kind): \(perCard) bytes per card")
            }
        }
    }
}
