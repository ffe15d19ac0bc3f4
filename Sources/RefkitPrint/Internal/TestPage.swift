import RefkitModel

/// The first sheet of an office file: how to set up the printer, a 100 mm ruler to check
/// the scale, and a back that shows whether duplex flips the right way, in the cards' language.
struct TestPage {
    var context: TextContext
    var families: String
    /// Pango's tag for the cards' language, so CJK text gets its own face.
    var pangoLanguage: String
    var words: TestPageText
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
        // Filled here rather than by the build: only the renderer knows a file's card count.
        let values = ["{program}": program, "{language}": language.rawValue, "{cards}": String(cards), "{size}": cardSize.name,
                      "{sheets}": String(sheets), "{sheet}": sheetName, "{per_sheet}": String(grid.cardsPerSheet)]
        func filled(_ text: String) -> String {
            values.reduce(text) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
        }

        func paragraph(_ text: String, size: Double, bold: Bool = false, gap: Double = 3.mm) {
            let layout = TextLayout(context: context, runs: [TextRun(text: filled(text), language: pangoLanguage)], families: families,
                                    sizePt: size, bold: bold, widthPt: width)
            cr.show(layout, x: margin, y: y, color: .black)
            y += layout.logicalExtents.height + gap
        }

        paragraph(words.title, size: 18, bold: true, gap: 2.mm)
        paragraph(sheets == 1 ? words.summaryOne : words.summaryOther, size: 10.5, gap: 6.mm)
        let steps = [words.paper, words.scale, words.duplex, words.cut, words.colour]
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
            let text = TextLayout(context: context, runs: [TextRun(text: label, language: pangoLanguage)], families: families,
                                  sizePt: 8, bold: false, widthPt: nil)
            cr.show(text, x: x - (label == "100 mm" ? 0 : text.logicalExtents.width / 2), y: y, color: .black)
        }
        cr.showPage()

        // The back of the test sheet.
        y = margin
        paragraph(words.backTitle, size: 18, bold: true)
        paragraph(words.backBody, size: 10.5)
        cr.showPage()
    }
}
