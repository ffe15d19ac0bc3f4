import Foundation
import RefkitModel
import RefkitQR

/// The C objects of one run (one programme, language and variant): the text context, the
/// front recording, the back templates and the office grid, made once and used for every file
/// of the run (`render`) or for the one file pair of a `renderFile` call.
final class PrintJob {
    let settings: PrintSettings
    let layout: PrintLayout
    let run: RunContext
    let geometry: CardGeometry
    let grid: OfficeGrid
    let text: TextContext
    let fitter: TextFitter
    let brand: RGB
    let front: FrontSide
    /// The front's copy, which every card of the run must share.
    let frontCopy: Postcard.Front
    /// The shared part of the backs, per distinct shared copy: one entry in a normal run,
    /// where every card of a programme, language and variant has the same words.
    private var templates: [BackTemplate.Copy: BackTemplate] = [:]

    init(settings: PrintSettings, layout: PrintLayout, first: Postcard, run: RunContext) throws {
        self.settings = settings
        self.layout = layout
        self.run = run
        try LayoutCheck.check(layout, size: settings.size, run: run)
        geometry = CardGeometry(settings: settings, layout: layout)
        guard let grid = OfficeGrid(sheet: settings.sheet, geometry: geometry) else {
            throw run.layoutError("print.size", "a \(settings.size.name) card with \(settings.bleedMM) mm bleed and crop marks does not fit on a \(settings.sheet.rawValue) sheet",
                                  fix: "choose a smaller card or use the print-shop file only")
        }
        self.grid = grid
        guard let (r, g, b) = PrintLayout.Color.parseHex(first.front.brandColor) else {
            throw run.copyError("brand colour", "\"\(first.front.brandColor)\" is not a #RRGGBB colour", fix: "write theme.color as #RRGGBB")
        }
        brand = RGB(r, g, b)
        let pangoLanguage = PangoLanguage.tag(for: first.language.rawValue)
        text = TextContext()
        text.setLanguage(pangoLanguage)
        fitter = TextFitter(context: text, layout: layout, run: run, pangoLanguage: pangoLanguage)
        frontCopy = first.front
        front = try FrontSide(first.front, brand: brand, geometry: geometry, layout: layout, fitter: fitter, run: run,
                              flatten: settings.pdf == .x1a)
    }

    func template(for back: Postcard.Back) throws -> BackTemplate {
        let copy = BackTemplate.Copy(back)
        if let template = templates[copy] { return template }
        // The back's pictures stay vectors even for X-1a: every back is a page Ghostscript
        // converts, and a flattened image there would cost its conversion on every card.
        let template = try BackTemplate(copy, front: frontCopy, brand: brand, geometry: geometry, layout: layout, fitter: fitter, run: run,
                                        flatten: false)
        templates[copy] = template
        return template
    }

    /// The largest print-shop file refkit writes: Lob's upload limit, 5 MB. A file pair whose
    /// print-shop file would be larger is split into parts (`PrintJob+Split.swift`).
    static let maximumFileBytes = 5_000_000

    struct Written {
        var shopPages: Int
        var officePages: Int
        var paths: [String]
        /// The QR masks chosen for cards that came without one, by printed code.
        var qrMasks: [String: QRKnownMask] = [:]

        static func + (a: Written, b: Written) -> Written {
            Written(shopPages: a.shopPages + b.shopPages, officePages: a.officePages + b.officePages, paths: a.paths + b.paths,
                    qrMasks: a.qrMasks.merging(b.qrMasks) { _, new in new })
        }
    }

    /// Writes file `number` of both kinds, one after the other, so at most one finished
    /// PDF (plus the one being drawn) is in memory; split into parts when the print-shop file
    /// would pass `maximumFileBytes`.
    func writeFiles(number: Int, cards: [Postcard], to sink: any OutputSink) throws -> Written {
        // cairo and qpdf failures are rare (out of memory, a library bug); name the run anyway.
        do {
            return try writeSplitting(number: number, cards: cards, to: sink)
        } catch let error as CairoFailure {
            throw run.copyError("pdf", error.description)
        } catch let error as QPDFFailure {
            throw run.copyError("pdf", error.description)
        } catch let error as PDFXPass.Failure {
            throw PrintError(program: run.program, language: run.language, field: "print.pdf",
                             location: SourceLocation(file: "content/site.yaml"), message: error.message, fix: error.fix)
        }
    }

    /// The kit path of a file: `print/SLUG-LANG[-vVARIANT]-KIND-SUFFIX.pdf`.
    func path(_ kind: String, suffix: String) -> String {
        "print/" + PrintFileName.base(program: run.program, language: run.language, variant: run.variant) + "-\(kind)-\(suffix).pdf"
    }

    /// What drawing one file pair gave: the pair, added to the sink, or the size its
    /// print-shop file would have had, with nothing added.
    enum Attempt {
        case written(Written)
        case tooLarge(bytes: Int)
    }

    /// Draws the file pair `suffix` (`001`, or `001-002` for a part) from `cards`. The
    /// print-shop file is finished (and passed through Ghostscript) first: when it is over
    /// `maximumFileBytes`, neither file reaches the sink.
    func drawPair(suffix: String, cards: [Postcard], to sink: any OutputSink) throws -> Attempt {
        let shopPath = path("shop", suffix: suffix)
        let officePath = path("office", suffix: suffix)
        let shop = try ShopFile(geometry: geometry, title: "\(run.program) postcards (\(run.language)), print shop \(suffix)",
                                frontOnce: settings.pdf != .plain)
        let office = try OfficeFile(geometry: geometry, grid: grid, front: front,
                                    title: "\(run.program) postcards (\(run.language)), office \(suffix)",
                                    testPage: TestPage(context: text, families: fitter.families, pangoLanguage: fitter.pangoLanguage,
                                                       words: frontCopy.testPage,
                                                       program: run.program, language: run.language, sheet: settings.sheet,
                                                       cardSize: settings.size, cards: cards.count))
        var qrMasks: [String: QRKnownMask] = [:]
        for card in cards {
            let back = try BackSide(card.back, template: try template(for: card.back), brand: brand, layout: layout, fitter: fitter, run: run)
            try shop.add(front: front, back: back)
            try office.add(back)
            if card.back.qrMask != back.qrKnown { qrMasks[card.back.code] = back.qrKnown }
        }
        let shopPages = shop.pages
        let shopBytes = try shop.finish(description: shopPath, title: shop.title, standard: settings.pdf)
        // Online printers cap uploads (Lob at 5 MB).
        guard shopBytes.count <= Self.maximumFileBytes else { return .tooLarge(bytes: shopBytes.count) }
        try sink.add(OutputFile(area: .kit, path: shopPath, bytes: shopBytes, isPrivate: true))
        let officeBytes = try office.finish(description: officePath)
        try sink.add(OutputFile(area: .kit, path: officePath, bytes: officeBytes, isPrivate: true))
        return .written(Written(shopPages: shopPages, officePages: office.pages, paths: [shopPath, officePath], qrMasks: qrMasks))
    }
}
