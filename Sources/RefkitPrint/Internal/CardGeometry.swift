import RefkitModel

/// The card and page sizes of one run, in points.
struct CardGeometry {
    let card: CardSize
    let trimWidth: Double
    let trimHeight: Double
    let bleed: Double
    /// Crop-mark area beyond the bleed on print-shop pages; 0 when marks are off.
    let slug: Double
    let marks: PrintLayout.CropMarks
    let hasMarks: Bool

    init(settings: PrintSettings, layout: PrintLayout) {
        card = settings.size
        trimWidth = settings.size.widthMM.mm
        trimHeight = settings.size.heightMM.mm
        bleed = settings.bleedMM.mm
        marks = layout.marks
        hasMarks = settings.marks
        slug = settings.marks ? layout.marks.slugMM.mm : 0
    }

    /// A print-shop page: trim + 2 x bleed, + 2 x slug when crop marks are on.
    var shopPageWidth: Double { trimWidth + 2 * (bleed + slug) }
    var shopPageHeight: Double { trimHeight + 2 * (bleed + slug) }
    /// Where the trim starts on a print-shop page, from the top left (and, the page being
    /// symmetric, from the bottom left in PDF coordinates).
    var trimOrigin: Double { bleed + slug }

    /// A layout box in points, run on into the bleed on the sides that touch the trim.
    func rect(_ box: PrintLayout.Box) -> Rect { Rect(box, card: card, bleed: bleed) }
}
