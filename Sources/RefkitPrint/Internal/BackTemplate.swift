import RefkitModel

/// What every back of a run shares, drawn once into a recording surface: the background,
/// the brand's band with the logo and name, the "To:" label and the line to write on, the redeem text, the deadline and the terms.
///
/// Replayed on every back, it reaches the PDF once per file as a form XObject (as the front
/// does), so neither Pango nor cairo's PDF writer handles these blocks again per card; only
/// the referrer's name, the code and the QR code are drawn per card (`BackSide`).
final class BackTemplate {
    /// The strings the template was made from; a card whose shared copy differs gets its own.
    struct Copy: Hashable {
        var toLabel: String
        var redeem: String
        var deadline: String?
        var terms: String?

        init(_ back: Postcard.Back) {
            toLabel = back.toLabel
            redeem = back.redeem
            deadline = back.deadline
            terms = back.terms
        }
    }

    let recording: CairoSurface
    let background: RGB

    init(_ copy: Copy, front: Postcard.Front, brand: RGB, geometry g: CardGeometry, layout: PrintLayout, fitter: TextFitter, run: RunContext,
         flatten: Bool) throws {
        let l = layout.back
        background = RGB(l.background, brand: brand)
        // Bleed included: the print-shop page shows it; office sheets clip each back to its trim.
        recording = try CairoSurface(recordingX: -g.bleed, y: -g.bleed, width: g.trimWidth + 2 * g.bleed, height: g.trimHeight + 2 * g.bleed)
        let cr = try CairoContext(recording)
        let background = self.background
        try PictureLayer.draw(on: cr, geometry: g, flatten: flatten) { cr in
            if background != .white {
                cr.fillRect(-g.bleed, -g.bleed, g.trimWidth + 2 * g.bleed, g.trimHeight + 2 * g.bleed, background)
            }
            // The brand's accent first: the logo and name sit on it.
            if let accent = l.accent {
                let r = g.rect(accent.box)
                cr.fillRect(r.x, r.y, r.width, r.height, RGB(accent.color, brand: brand))
            }
            if let box = l.logo, let logo = front.logo {
                try FrontSide.draw(logo, in: box, field: "back.logo", on: cr, geometry: g, run: run)
            }
        }
        if let block = l.brand, !front.brandName.isEmpty {
            cr.show(try fitter.fit(front.brandName, in: block, field: "back.brand"), in: block, brand: brand)
        }
        let to = try fitter.fit(copy.toLabel, in: l.to, field: "back.to", singleLine: true)
        cr.show(to, in: l.to, brand: brand, singleLine: true)
        // The line to write the friend's name on: from after "To:" to the block's right edge,
        // just under the baseline.
        let lineY = l.to.box.y.mm + to.baseline + 1.5
        let lineStart = l.to.box.x.mm + to.logicalExtents.width + 2.mm
        cr.line(from: (lineStart, lineY), to: (l.to.box.x.mm + l.to.box.width.mm, lineY), widthPt: 0.6, color: RGB(l.to.color, brand: brand))
        cr.show(try fitter.fit(copy.redeem, in: l.redeem, field: "back.redeem"), in: l.redeem, brand: brand)
        if let deadline = copy.deadline {
            cr.show(try fitter.fit(deadline, in: l.deadline, field: "back.deadline"), in: l.deadline, brand: brand)
        }
        if let terms = copy.terms {
            cr.show(try fitter.fit(terms, in: l.terms, field: "back.terms"), in: l.terms, brand: brand)
        }
        try cr.check("drawing the back")
    }

    /// Draws the shared part with the trim's top left at the current origin.
    func draw(on cr: CairoContext) {
        cr.paint(recording, x: 0, y: 0)
    }
}

extension CairoContext {
    /// Shows `text` at its block's position in the block's colour.
    func show(_ text: TextLayout, in block: PrintLayout.TextBlock, brand: RGB, singleLine: Bool = false) {
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
        show(text, x: x, y: block.box.y.mm, color: RGB(block.color, brand: brand))
    }
}
