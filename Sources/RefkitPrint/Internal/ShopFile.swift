import Foundation
import RefkitModel

/// A print-shop file: one card per page, front then back, for duplex; crop marks in the
/// slug when marks are on; TrimBox and BleedBox added by the qpdf pass.
final class ShopFile {
    private let buffer = PDFBuffer()
    private let surface: CairoSurface
    private let cr: CairoContext
    private let g: CardGeometry
    private(set) var pages = 0

    let title: String
    /// PDF/X: draw the front on the first page only; `PDFXPass` repeats it after Ghostscript.
    private let frontOnce: Bool

    init(geometry: CardGeometry, title: String, frontOnce: Bool = false) throws {
        g = geometry
        self.title = title
        self.frontOnce = frontOnce
        surface = try CairoSurface(pdfInto: buffer, widthPt: g.shopPageWidth, heightPt: g.shopPageHeight)
        surface.setMetadata(title: title)
        cr = try CairoContext(surface)
    }

    func add(front: FrontSide, back: BackSide) throws {
        if !frontOnce || pages == 0 {
            cr.save()
            cr.translate(g.trimOrigin, g.trimOrigin)
            front.draw(on: cr)
            cr.restore()
            drawMarks()
            cr.showPage()
        }

        cr.save()
        cr.translate(g.trimOrigin, g.trimOrigin)
        back.draw(on: cr)
        cr.restore()
        drawMarks()
        cr.showPage()
        pages += 2
        try cr.check("drawing a print-shop page")
    }

    /// Two marks at each corner of the trim, in the slug: they start `offset` outside the
    /// bleed so that no mark prints on the card if the cut is slightly off.
    private func drawMarks() {
        guard g.hasMarks else { return }
        let t = g.trimOrigin
        let xs = [t, t + g.trimWidth]
        let ys = [t, t + g.trimHeight]
        let inner = g.bleed + g.marks.offsetMM.mm
        let outer = inner + g.marks.lengthMM.mm
        let w = g.marks.lineWidthPt
        for x in xs {
            cr.line(from: (x, t - inner), to: (x, t - outer), widthPt: w, color: .black)
            cr.line(from: (x, t + g.trimHeight + inner), to: (x, t + g.trimHeight + outer), widthPt: w, color: .black)
        }
        for y in ys {
            cr.line(from: (t - inner, y), to: (t - outer, y), widthPt: w, color: .black)
            cr.line(from: (t + g.trimWidth + inner, y), to: (t + g.trimWidth + outer, y), widthPt: w, color: .black)
        }
    }

    /// Finishes the PDF and adds the page boxes: MediaBox ⊇ BleedBox ⊇ TrimBox; then, for
    /// `print.pdf: x4 | x1a`, makes it PDF/X in CMYK (`PDFXPass`).
    func finish(description: String, title: String, standard: PDFStandard) throws -> Data {
        let pdf = try surface.finishPDF()
        let doc = try QPDFDocument(pdf, description: description)
        let bleedBox = PageBox(width: g.shopPageWidth, height: g.shopPageHeight, inset: g.slug)
        let trimBox = PageBox(width: g.shopPageWidth, height: g.shopPageHeight, inset: g.slug + g.bleed)
        try doc.setBoxes(trim: trimBox, bleed: bleedBox)
        doc.removeDates()
        let plain = try doc.write()
        guard standard != .plain else { return plain }
        // PDF/X wants a creation date; the day (UTC midnight) keeps a day's rebuilds identical.
        let now = Date().timeIntervalSince1970
        let day = Date(timeIntervalSince1970: now - now.truncatingRemainder(dividingBy: 86_400))
        return try PDFXPass(standard: standard).convert(plain, title: title, trim: trimBox, bleed: bleedBox, date: day)
    }
}
