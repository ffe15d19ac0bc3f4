import Foundation
import RefkitModel

/// An office file: a test sheet first (two pages), then sheets of N cards, each a page of
/// fronts followed by a page of backs in mirrored order, for long-edge duplex.
final class OfficeFile {
    private let buffer = PDFBuffer()
    private let surface: CairoSurface
    private let cr: CairoContext
    private let g: CardGeometry
    private let grid: OfficeGrid
    private let front: FrontSide
    private var pending: [BackSide] = []
    private(set) var pages = 0

    init(geometry: CardGeometry, grid: OfficeGrid, front: FrontSide, title: String, testPage: TestPage) throws {
        g = geometry
        self.grid = grid
        self.front = front
        surface = try CairoSurface(pdfInto: buffer, widthPt: grid.sheetWidth, heightPt: grid.sheetHeight)
        surface.setMetadata(title: title)
        cr = try CairoContext(surface)
        testPage.draw(on: cr, grid: grid)
        pages += 2
        try cr.check("drawing the test page")
    }

    func add(_ back: BackSide) throws {
        pending.append(back)
        if pending.count == grid.cardsPerSheet { try flushSheet() }
    }

    private func flushSheet() throws {
        guard !pending.isEmpty else { return }
        // Fronts. Cards are butted, so each is clipped to its trim; the bleed only goes round
        // the outside of the whole block, where no neighbour covers it. Each front is first
        // drawn whole, bleed and all, so a picture that runs to the edge runs on past the cut
        // there too; the clipped pass then covers what spilled onto neighbours.
        for index in pending.indices {
            cr.save()
            grid.enterFront(index, on: cr, geometry: g)
            front.draw(on: cr)
            cr.restore()
        }
        for index in pending.indices {
            cr.save()
            grid.enterFront(index, on: cr, geometry: g)
            cr.clip(0, 0, g.trimWidth, g.trimHeight)
            front.draw(on: cr)
            cr.restore()
        }
        drawMarks()
        cr.showPage()

        // Backs, mirrored so that each lands behind its front.
        if let first = pending.first, first.background != .white {
            fillOuterBleed(first.background, count: pending.count, back: true)
        }
        for (index, back) in pending.enumerated() {
            cr.save()
            grid.enterBack(index, on: cr, geometry: g)
            cr.clip(0, 0, g.trimWidth, g.trimHeight)
            back.draw(on: cr)
            cr.restore()
        }
        cr.showPage()
        pages += 2
        pending.removeAll(keepingCapacity: true)
        try cr.check("drawing an office sheet")
    }

    /// Fills the bleed around the outside of the cards of a sheet (a partial last sheet too).
    private func fillOuterBleed(_ color: RGB, count: Int, back: Bool) {
        for index in 0..<count {
            cr.save()
            if back { grid.enterBack(index, on: cr, geometry: g) } else { grid.enterFront(index, on: cr, geometry: g) }
            cr.fillRect(-g.bleed, -g.bleed, g.trimWidth + 2 * g.bleed, g.trimHeight + 2 * g.bleed, color)
            cr.restore()
        }
    }

    /// Crop marks at every cut line, outside the outer bleed, on the fronts only (you cut
    /// with the front up).
    private func drawMarks() {
        let inner = g.bleed + g.marks.offsetMM.mm
        let outer = inner + g.marks.lengthMM.mm
        let w = g.marks.lineWidthPt
        let top = grid.originY
        let bottom = grid.originY + grid.gridHeight
        let left = grid.originX
        let right = grid.originX + grid.gridWidth
        for x in grid.cutsX {
            cr.line(from: (x, top - inner), to: (x, top - outer), widthPt: w, color: .black)
            cr.line(from: (x, bottom + inner), to: (x, bottom + outer), widthPt: w, color: .black)
        }
        for y in grid.cutsY {
            cr.line(from: (left - inner, y), to: (left - outer, y), widthPt: w, color: .black)
            cr.line(from: (right + inner, y), to: (right + outer, y), widthPt: w, color: .black)
        }
    }

    func finish(description: String) throws -> Data {
        try flushSheet()
        let pdf = try surface.finishPDF()
        let doc = try QPDFDocument(pdf, description: description)
        doc.removeDates()
        return try doc.write()
    }
}
