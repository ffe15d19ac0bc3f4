import RefkitModel

/// The first sheet of an office file: how to set up the printer, a 100 mm ruler to check
/// the scale, and a back that shows whether duplex flips the right way.
struct TestPage {
    var context: TextContext
    var families: String
    var program: String
    var language: LanguageTag
    var sheet: SheetSize
    var cardSize: CardSize
    var cards: Int

    func draw(on cr: CairoContext, grid: OfficeGrid) {
        let margin = 20.0.mm
        let width = grid.sheetWidth - 2 * margin
        let sheetName = sheet == .a4 ? "A4 (210 x 297 mm)" : "Letter (8.5 x 11 in)"
        let sheets = (cards + grid.cardsPerSheet - 1) / grid.cardsPerSheet
        var y = margin

        func paragraph(_ text: String, size: Double, bold: Bool = false, gap: Double = 3.mm) {
            let layout = TextLayout(context: context, runs: [TextRun(text: text, language: "en")], families: families,
                                    sizePt: size, bold: bold, widthPt: width)
            cr.show(layout, x: margin, y: y, color: .black)
            y += layout.logicalExtents.height + gap
        }

        paragraph("Print test: \(program) postcards (\(language))", size: 18, bold: true, gap: 2.mm)
        paragraph("This file: \(cards) \(cardSize.name) cards on \(sheets) sheet\(sheets == 1 ? "" : "s") of \(sheetName), \(grid.cardsPerSheet) per sheet, each sheet printed on both sides. Print this test sheet on its own first and check it before printing the rest (from page 3).", size: 10.5, gap: 6.mm)
        let steps = [
            "Paper: \(sheetName). Thick card stock if your printer takes it; choose the matching paper type in the print dialog.",
            "Scale: Actual size, 100 %. Turn off Fit to page, Shrink oversized pages and Scale to fit. The ruler below must measure exactly 100 mm.",
            "Two-sided: on, Flip on long edge (long-edge binding). Turn the printed sheet over like a page of a book: the back must read the right way up.",
            "Cut along the crop marks at the edges of each sheet with a guillotine, or a ruler and a craft knife. Neighbouring cards share a cut.",
            "Colours from an office printer differ from a print shop's. For large runs, send the print-shop file (-shop-) instead.",
        ]
        for (i, step) in steps.enumerated() {
            paragraph("\(i + 1). \(step)", size: 10.5)
        }

        // The ruler: 100 mm with a tick every millimetre, longer every 5 and 10.
        y += 6.mm
        let x0 = margin
        cr.line(from: (x0, y), to: (x0 + 100.mm, y), widthPt: 0.5, color: .black)
        for mm in 0...100 {
            let length = mm % 10 == 0 ? 4.mm : (mm % 5 == 0 ? 2.5.mm : 1.5.mm)
            let x = x0 + Double(mm).mm
            cr.line(from: (x, y), to: (x, y + length), widthPt: 0.3, color: .black)
        }
        y += 5.mm
        for (label, x) in [("0", x0), ("50", x0 + 50.mm), ("100 mm", x0 + 100.mm)] {
            let text = TextLayout(context: context, runs: [TextRun(text: label, language: "en")], families: families,
                                  sizePt: 8, bold: false, widthPt: nil)
            cr.show(text, x: x - (label == "100 mm" ? 0 : text.logicalExtents.width / 2), y: y, color: .black)
        }
        cr.showPage()

        // The back of the test sheet.
        y = margin
        paragraph("Back of the test sheet", size: 18, bold: true)
        paragraph("If this side reads the right way up when you turn the sheet over like a page of a book, two-sided printing is set up right. If it is upside down, choose Flip on long edge. If it is on a separate sheet, turn two-sided printing on.", size: 10.5)
        cr.showPage()
    }
}
