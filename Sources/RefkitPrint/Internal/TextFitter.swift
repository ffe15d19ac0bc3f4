internal import CPangoCairo
import RefkitModel

/// Lays text into a layout block, shrinking it when it does not fit and failing (with the
/// field named) when it still does not fit at the layout's minimum scale: nothing is clipped.
struct TextFitter {
    let context: TextContext
    let layout: PrintLayout
    let run: RunContext
    /// Pango's tag for the card's language.
    let pangoLanguage: String

    var families: String { layout.fontFamilies(forPangoLanguage: pangoLanguage) }

    /// Shrinking in 5 % steps finds a size within a step of the largest that fits.
    private static let step = 0.05

    func fit(_ text: String, in block: PrintLayout.TextBlock, field: String, families: String? = nil,
             singleLine: Bool = false, about: String? = nil) throws -> TextLayout {
        try fit([TextRun(text: text, language: pangoLanguage)], in: block, field: field,
                families: families, singleLine: singleLine, about: about)
    }

    func fit(_ runs: [TextRun], in block: PrintLayout.TextBlock, field: String, families: String? = nil,
             singleLine: Bool = false, about: String? = nil) throws -> TextLayout {
        let families = families ?? self.families
        let width = block.box.width.mm
        let height = block.box.height.mm
        let alignment: PangoAlignment
        switch block.alignment {
        case .left: alignment = PANGO_ALIGN_LEFT
        case .center: alignment = PANGO_ALIGN_CENTER
        case .right: alignment = PANGO_ALIGN_RIGHT
        }
        let text = TextLayout(context: context, runs: runs, families: families, sizePt: block.sizePt,
                              bold: block.weight == .bold, widthPt: singleLine ? nil : width, alignment: alignment)
        let which = about.map { " (\($0))" } ?? ""
        if text.unknownGlyphs > 0 {
            throw run.copyError(field, "\(text.unknownGlyphs) character(s)\(which) have no glyph in \"\(families)\" or any installed fallback font",
                                fix: "install a font that covers them and add it to fonts: \(pangoLanguage) in \(layout.file)")
        }
        // Never below 4 pt, whatever min_text_scale says: shrunk further, the terms would be
        // on every card and readable on none.
        let minimum = max(layout.minimumTextScale, min(1, PrintLayout.TextBlock.sizeRangePt.lowerBound / block.sizePt))
        var scale = 1.0
        while true {
            let e = text.logicalExtents
            // A hundredth of a point absorbs rounding in Pango units.
            if e.width <= width + 0.01 && e.height <= height + 0.01 { return text }
            if scale <= minimum + 1e-9 {
                throw run.copyError(field, "the text\(which) does not fit its \(fmt(block.box.width)) x \(fmt(block.box.height)) mm block even at \(Int((minimum * 100).rounded())) % of \(fmt(block.sizePt)) pt",
                                    fix: "shorten it, or enlarge \(field) in \(layout.file)")
            }
            scale = max(minimum, scale - Self.step)
            text.setFont(families: families, sizePt: block.sizePt * scale, bold: block.weight == .bold)
        }
    }

    private func fmt(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(v)
    }
}
