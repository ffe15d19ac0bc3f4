import RefkitModel

/// How cards sit on an office sheet: a grid of butted cards (one cut between neighbours),
/// centred, turned a quarter when that fits more, with room around it for the bleed, the
/// crop marks and the strip an office printer cannot print on.
struct OfficeGrid {
    let sheetWidth: Double
    let sheetHeight: Double
    let columns: Int
    let rows: Int
    /// Cards turned 90° on the sheet.
    let rotated: Bool
    /// A cell's size on the sheet (the card's, swapped when rotated).
    let cellWidth: Double
    let cellHeight: Double
    let originX: Double
    let originY: Double

    /// Most office printers cannot print the outer 4–5 mm.
    static let printerMarginMM = 5.0

    init?(sheet: SheetSize, geometry g: CardGeometry) {
        sheetWidth = sheet.widthMM.mm
        sheetHeight = sheet.heightMM.mm
        let margin = g.bleed + (g.marks.offsetMM + g.marks.lengthMM + Self.printerMarginMM).mm
        let usableW = sheetWidth - 2 * margin
        let usableH = sheetHeight - 2 * margin
        func count(_ w: Double, _ h: Double) -> (Int, Int) {
            guard usableW > 0, usableH > 0 else { return (0, 0) }
            return (Int((usableW / w + 1e-9).rounded(.down)), Int((usableH / h + 1e-9).rounded(.down)))
        }
        let upright = count(g.trimWidth, g.trimHeight)
        let turned = count(g.trimHeight, g.trimWidth)
        rotated = turned.0 * turned.1 > upright.0 * upright.1
        (columns, rows) = rotated ? turned : upright
        guard columns * rows > 0 else { return nil }
        cellWidth = rotated ? g.trimHeight : g.trimWidth
        cellHeight = rotated ? g.trimWidth : g.trimHeight
        originX = (sheetWidth - Double(columns) * cellWidth) / 2
        originY = (sheetHeight - Double(rows) * cellHeight) / 2
    }

    var cardsPerSheet: Int { columns * rows }

    /// Moves the origin to card `index`'s trim top left, in card orientation, on a front page.
    ///
    /// A turned card's top faces the sheet's left edge.
    func enterFront(_ index: Int, on cr: CairoContext, geometry g: CardGeometry) {
        let x = originX + Double(index % columns) * cellWidth
        let y = originY + Double(index / columns) * cellHeight
        if rotated {
            // (u, v) in the card → (x + v, y + cardWidth - u) on the sheet.
            cr.translate(x, y + g.trimWidth)
            cr.rotate(-Double.pi / 2)
        } else {
            cr.translate(x, y)
        }
    }

    /// The same for the back of card `index`, so that it lands behind its front when the
    /// sheet is printed two-sided with a long-edge flip, and reads the right way up when the
    /// card is turned over like a page of a book.
    ///
    /// Long-edge flip puts sheet point (x, y) of the front behind (W - x, y) of the back; the
    /// card turns over its own vertical axis, (u, v) → (cardWidth - u, v). The back's mapping is
    /// therefore mirror ∘ front ∘ turn; the two reflections cancel, so it is a plain placement:
    /// mirrored column, and for turned cards the opposite quarter turn.
    func enterBack(_ index: Int, on cr: CairoContext, geometry g: CardGeometry) {
        cr.translate(sheetWidth, 0)
        cr.scale(-1, 1)
        enterFront(index, on: cr, geometry: g)
        cr.translate(g.trimWidth, 0)
        cr.scale(-1, 1)
    }

    /// The cut lines, for crop marks: x positions of column edges and y positions of row edges.
    var cutsX: [Double] { (0...columns).map { originX + Double($0) * cellWidth } }
    var cutsY: [Double] { (0...rows).map { originY + Double($0) * cellHeight } }
    var gridWidth: Double { Double(columns) * cellWidth }
    var gridHeight: Double { Double(rows) * cellHeight }
}
