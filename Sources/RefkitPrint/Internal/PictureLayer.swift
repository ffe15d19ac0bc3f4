/// The pictures of a card side (background, images, bands, logo: everything under the words),
/// drawn straight into the side's recording, or for PDF/X-1a flattened first into one opaque
/// 600 dpi image.
///
/// Why flatten: PDF/X-1a forbids transparency, and an SVG with `opacity` (the sample hero's
/// steam) or a PNG with alpha brings some. Ghostscript's `-dPDFX` then turns the whole page
/// into one 720 dpi image, text included. Flattened here, only the pictures become an image
/// and the words stay vector text on top. Only the front is flattened: Ghostscript sees it
/// once per file (see `PDFXPass`), while an image on the back would be converted per card.
enum PictureLayer {
    static let flattenDPI = 600.0

    static func draw(on cr: CairoContext, geometry g: CardGeometry, flatten: Bool, _ body: (CairoContext) throws -> Void) throws {
        guard flatten else {
            try body(cr)
            return
        }
        let scale = flattenDPI / 72
        let width = g.trimWidth + 2 * g.bleed
        let height = g.trimHeight + 2 * g.bleed
        let image = try CairoSurface(opaqueWidth: Int((width * scale).rounded(.up)), height: Int((height * scale).rounded(.up)))
        let icr = try CairoContext(image)
        icr.scale(scale, scale)
        icr.translate(g.bleed, g.bleed)
        // White first: a side with a white background draws none.
        icr.fillRect(-g.bleed, -g.bleed, width, height, .white)
        try body(icr)
        try icr.check("flattening the pictures")
        cr.paint(image, x: -g.bleed, y: -g.bleed, scale: 1 / scale)
    }
}
