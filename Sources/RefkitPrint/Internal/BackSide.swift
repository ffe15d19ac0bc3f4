import RefkitModel
import RefkitQR

/// One card's back, laid out once and drawn on both the print-shop page and the office sheet.
final class BackSide {
    private let layout: PrintLayout
    private let brand: RGB
    private let from: TextLayout
    private let to: TextLayout
    private let code: TextLayout
    private let redeem: TextLayout
    private let deadline: TextLayout?
    private let terms: TextLayout?
    private let qr: QRMatrix

    init(_ back: Postcard.Back, brand: RGB, layout: PrintLayout, fitter: TextFitter, run: RunContext) throws {
        self.layout = layout
        self.brand = brand
        let l = layout.back
        let lang = fitter.pangoLanguage
        let card = "card \(back.code)"
        // A space between label and name, unless the label ends in a full-width colon (CJK).
        let separator = back.fromLabel.hasSuffix("：") || back.fromLabel.isEmpty ? "" : " "
        from = try fitter.fit([TextRun(text: back.fromLabel + separator, language: lang), TextRun(text: back.referrerName, language: lang)],
                              in: l.from, field: "back.from", about: "\(card), referrer \"\(back.referrerName)\"")
        to = try fitter.fit(back.toLabel, in: l.to, field: "back.to", singleLine: true)
        code = try fitter.fit(back.code, in: l.code, field: "back.code", families: layout.codeFont, singleLine: true, about: card)
        redeem = try fitter.fit(back.redeem, in: l.redeem, field: "back.redeem")
        deadline = try back.deadline.map { try fitter.fit($0, in: l.deadline, field: "back.deadline") }
        terms = try back.terms.map { try fitter.fit($0, in: l.terms, field: "back.terms") }
        do {
            qr = try QRMatrix(encoding: back.qrURL, level: .medium)
        } catch {
            throw run.copyError("back.qr", "\(error)", fix: "use a shorter base URL")
        }
    }

    var background: RGB { RGB(layout.back.background, brand: brand) }

    /// Draws the back with its trim's top left at the current origin; `bleed` is how far the
    /// background reaches beyond the trim.
    func draw(on cr: CairoContext, geometry g: CardGeometry, bleed: Double) {
        let l = layout.back
        if background != .white {
            cr.fillRect(-bleed, -bleed, g.trimWidth + 2 * bleed, g.trimHeight + 2 * bleed, background)
        }
        func show(_ text: TextLayout, _ block: PrintLayout.TextBlock, singleLine: Bool = false) {
            var x = block.box.x.mm
            if singleLine {
                // Single-line blocks have no Pango width, so align them here.
                let free = block.box.width.mm - text.logicalExtents.width
                switch block.alignment {
                case .left: break
                case .center: x += free / 2
                case .right: x += free
                }
            }
            cr.show(text, x: x, y: block.box.y.mm, color: RGB(block.color, brand: brand))
        }
        show(from, l.from)
        show(to, l.to, singleLine: true)
        // The line to write the friend's name on: from after "To:" to the block's right edge,
        // just under the baseline.
        let lineY = l.to.box.y.mm + to.baseline + 1.5
        let lineStart = l.to.box.x.mm + to.logicalExtents.width + 2.mm
        cr.line(from: (lineStart, lineY), to: (l.to.box.x.mm + l.to.box.width.mm, lineY), widthPt: 0.6, color: RGB(l.to.color, brand: brand))
        show(code, l.code, singleLine: true)
        show(redeem, l.redeem)
        if let deadline { show(deadline, l.deadline) }
        if let terms { show(terms, l.terms) }

        // QR: white quiet zone of 4 modules, then every dark run as one filled path.
        let module = l.qr.sizeMM.mm / Double(qr.size)
        let x0 = l.qr.x.mm
        let y0 = l.qr.y.mm
        cr.fillRect(x0 - 4 * module, y0 - 4 * module, Double(qr.size + 8) * module, Double(qr.size + 8) * module, .white)
        cr.fillRects(qr.runs.map { run in
            (x0 + Double(run.startColumn) * module, y0 + Double(run.row) * module, Double(run.length) * module, module)
        }, .black)
    }
}
