import RefkitModel
import RefkitQR

/// One card's own part of the back, laid out once and drawn on both the print-shop page and
/// the office sheet: the "From:" line with the referrer's name, the code and the QR code. The
/// rest comes from the run's `BackTemplate`.
final class BackSide {
    private let layout: PrintLayout
    private let brand: RGB
    private let template: BackTemplate
    private let from: TextLayout
    private let code: TextLayout
    private let qrSize: Int
    private let qrMask: CairoSurface
    /// The QR code's mask and check, for the renderer's cache.
    let qrKnown: QRKnownMask

    init(_ back: Postcard.Back, template: BackTemplate, brand: RGB, layout: PrintLayout, fitter: TextFitter, run: RunContext) throws {
        self.layout = layout
        self.brand = brand
        self.template = template
        let l = layout.back
        let lang = fitter.pangoLanguage
        let card = "card \(back.code)"
        // A space between label and name, unless the label ends in a full-width colon (CJK).
        let separator = back.fromLabel.hasSuffix("：") || back.fromLabel.isEmpty ? "" : " "
        from = try fitter.fit([TextRun(text: back.fromLabel + separator, language: lang), TextRun(text: back.referrerName, language: lang)],
                              in: l.from, field: "back.from", about: "\(card), referrer \"\(back.referrerName)\"")
        code = try fitter.fit(back.code, in: l.code, field: "back.code", families: layout.codeFont, singleLine: true, about: card)
        let qr: QRMatrix
        do {
            qr = try QRMatrix(encoding: back.qrURL, level: .medium, known: back.qrMask)
        } catch {
            throw run.copyError("back.qr", "\(error)", fix: "use a shorter base URL")
        }
        qrSize = qr.size
        qrKnown = qr.knownMask
        qrMask = try CairoSurface(stencilOf: qr)
    }

    var background: RGB { template.background }

    /// Draws the back with its trim's top left at the current origin. The template carries
    /// the bleed; office sheets clip it to the trim.
    func draw(on cr: CairoContext) {
        let l = layout.back
        template.draw(on: cr)
        cr.show(from, in: l.from, brand: brand)
        cr.show(code, in: l.code, brand: brand, singleLine: true)
        // QR: a white quiet zone of 4 modules, then the dark modules as one stencil mask. The
        // module size follows the symbol's version, so this stays per card.
        let module = l.qr.sizeMM.mm / Double(qrSize)
        let x0 = l.qr.x.mm
        let y0 = l.qr.y.mm
        cr.fillRect(x0 - 4 * module, y0 - 4 * module, Double(qrSize + 8) * module, Double(qrSize + 8) * module, .white)
        cr.mask(qrMask, x: x0, y: y0, pixel: module, color: .black)
    }
}
