import Foundation
import Testing
import RefkitModel
@testable import RefkitPrint

/// `print.pdf: x4 | x1a`: the print-shop file after the Ghostscript pass, checked with qpdf,
/// poppler, Ghostscript's separations and zbar.
@Suite("PDF/X print-shop files")
struct PDFXTests {
    /// The sample's hero has a group at 85 % opacity (transparency, which X-1a flattens) and
    /// the logo sits on top of it.
    static let hero = PostcardImage(name: "hero.svg", bytes: Data("""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200">
          <rect width="300" height="200" fill="#f7ead8"/><circle cx="220" cy="60" r="50" fill="#efbf80"/>
          <g opacity=".85"><rect x="20" y="120" width="260" height="60" fill="#8a3b12"/></g>
        </svg>
        """.utf8))

    struct Made {
        var dir: URL
        var plain: URL
        var pdfx: URL
    }

    func make(_ standard: PDFStandard, cards: Int = 3) throws -> Made {
        let dir = try Tool.temporaryDirectory()
        let cards = TestImages.cards(hero: Self.hero, logo: TestImages.stripesSVG, count: cards)
        let plain = try TestImages.shopFile(cards, in: dir.appendingPathComponent("plain"))
        let pdfx = try TestImages.shopFile(cards, settings: PrintSettings(pdf: standard), in: dir.appendingPathComponent("x"))
        return Made(dir: dir, plain: plain, pdfx: pdfx)
    }

    @Test("the file passes qpdf --check and has the output intent, its version, fonts embedded and no DeviceRGB",
          arguments: [PDFStandard.x4, .x1a])
    func structure(standard: PDFStandard) throws {
        let made = try make(standard)
        defer { try? FileManager.default.removeItem(at: made.dir) }
        let check = try Tool.run("qpdf", ["--check", made.pdfx.path])
        #expect(check.stdout.contains("No syntax or stream encoding errors"))
        let text = try Tool.run("qpdf", ["--qdf", "--object-streams=disable", made.pdfx.path, "-"]).stdout
        #expect(text.contains("/S /GTS_PDFX"))
        #expect(text.contains("/DestOutputProfile"))
        #expect(text.contains("/OutputConditionIdentifier (CGATS TR 001)"))
        #expect(!text.contains("/DeviceRGB"), "DeviceRGB left in the file")
        if standard == .x4 {
            #expect(text.hasPrefix("%PDF-1.6"))
            #expect(text.contains("/GTS_PDFXVersion (PDF/X-4)"))
            #expect(text.contains("<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>"))
        } else {
            #expect(text.hasPrefix("%PDF-1.3"))
            #expect(text.contains("/GTS_PDFXVersion (PDF/X-1a:2003)"))
            #expect(!text.contains("/SMask") && !text.contains("/Transparency"), "X-1a allows no transparency")
        }
        let fonts = try Tool.run("pdffonts", [made.pdfx.path]).stdout.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for line in fonts {
            let columns = line.split(separator: " ")
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes", "not embedded: \(line)")
        }
    }

    @Test("every page keeps the TrimBox and BleedBox of the RGB file, fronts and backs alternating", arguments: [PDFStandard.x4, .x1a])
    func pageBoxes(standard: PDFStandard) throws {
        let made = try make(standard)
        defer { try? FileManager.default.removeItem(at: made.dir) }
        let before = try Boxes.read(made.plain)
        let after = try Boxes.read(made.pdfx)
        #expect(after.count == 6 && before.count == 6)
        for (a, b) in zip(after, before) {
            #expect(a.trim.count == 4 && a.bleed.count == 4)
            for (x, y) in zip(a.trim + a.bleed + a.media, b.trim + b.bleed + b.media) { #expect(abs(x - y) < 0.05) }
        }
        // Fronts and backs still alternate: the text of page 3 is a front's, of page 4 a back's.
        let front = try Tool.run("pdftotext", ["-f", "3", "-l", "3", made.pdfx.path, "-"]).stdout
        let back = try Tool.run("pdftotext", ["-f", "4", "-l", "4", made.pdfx.path, "-"]).stdout
        #expect(front.contains("Partagez le bon pain") && !front.contains("K7QM"))
        #expect(back.contains("K7QM-0001-X"), "\(back)")
    }

    @Test("the QR code and black text print on the black plate only, while the brand band uses colour plates", arguments: [PDFStandard.x4, .x1a])
    func blackOnly(standard: PDFStandard) throws {
        let made = try make(standard)
        defer { try? FileManager.default.removeItem(at: made.dir) }
        let plates = try Plates.separate(made.pdfx, page: 2, dpi: 150)
        // The QR code: x 11, y 64, 28 mm on the trim, which starts 10 mm into the page.
        let qr = (x: 21.0, y: 74.0, size: 28.0)
        #expect(plates.mostInk("Black", x: qr.x, y: qr.y, width: qr.size, height: qr.size) < 20, "no black modules")
        for ink in ["Cyan", "Magenta", "Yellow"] {
            #expect(plates.mostInk(ink, x: qr.x - 2, y: qr.y - 2, width: qr.size + 4, height: qr.size + 4) == 255, "\(ink) in the QR code")
            // "De :" and the name, black text.
            #expect(plates.mostInk(ink, x: 18, y: 31, width: 40, height: 8) == 255, "\(ink) in the black text")
        }
        // The brand band is brown: magenta and yellow.
        #expect(plates.mostInk("Magenta", x: 40, y: 12, width: 20, height: 6) < 200)
    }

    @Test("after the pass every QR code still decodes at 300 dpi", arguments: [PDFStandard.x4, .x1a])
    func qrDecodes(standard: PDFStandard) throws {
        let made = try make(standard)
        defer { try? FileManager.default.removeItem(at: made.dir) }
        let prefix = made.dir.appendingPathComponent("page").path
        try Tool.run("pdftoppm", ["-r", "300", "-png", made.pdfx.path, prefix])
        var decoded: [String] = []
        for png in try FileManager.default.contentsOfDirectory(atPath: made.dir.path).filter({ $0.hasPrefix("page") }).sorted() {
            let out = try Tool.run("zbarimg", ["--raw", "-q", made.dir.appendingPathComponent(png).path], allowing: [0, 4])
            decoded += out.stdout.split(separator: "\n").map(String.init)
        }
        #expect(decoded.sorted() == (0..<3).map { Fixtures.url(Fixtures.code($0, "fr")) }.sorted())
    }

    @Test("a title with PostScript and XML syntax cannot break out of the prologue or the XMP")
    func hostileTitle() throws {
        #expect(PDFXPass.ps(#"a) (b\ c"# + "\u{202E}é") == #"(a\) \(b\\ c\342\200\256\303\251)"#)
        let made = try make(.x4, cards: 1)
        defer { try? FileManager.default.removeItem(at: made.dir) }
        #expect(try Tool.run("qpdf", ["--check", made.pdfx.path]).status == 0)
    }

    @Test("black as gray rewrites only the operators: strings, hex strings and inline images keep their bytes")
    func blackAsGrayTokens() {
        let input = "0 0 0 rg (0 0 0 rg) Tj <30203020> Tj 0.0 0 0 RG 1 0 0 rg BI /W 1 ID \n0 0 0 rg EI 0 0 0 rg"
        let output = String(decoding: BlackAsGray.rewrite(Array(input.utf8)), as: UTF8.self)
        #expect(output == "0 g (0 0 0 rg) Tj <30203020> Tj 0 G 1 0 0 rg BI /W 1 ID \n0 0 0 rg EI 0 g")
    }
}
