import RefkitModel

/// A brand image decoded once per run (SVG through librsvg, the rest through gdk-pixbuf) and
/// drawn into a box of the front or back recording, which every card then replays.
final class CardImage {
    private enum Content {
        case vector(SVGImage)
        case raster(CairoSurface, width: Double, height: Double)
    }
    private let content: Content
    let source: PostcardImage
    /// Width over height.
    let aspect: Double

    /// Decodes `image` for `box` (in points) filled the `fit` way; raster images are read at
    /// no more than 300 dpi of that box.
    init(_ image: PostcardImage, box: Rect, fit: PrintLayout.Fit) throws {
        source = image
        if image.isSVG {
            let svg = try SVGImage(image)
            content = .vector(svg)
            aspect = svg.aspect
        } else {
            let dpi = 300.0 / 72
            let raster = try RasterImage(image, needed: (box.width * dpi, box.height * dpi), cover: fit == .cover)
            content = .raster(try CairoSurface(raster: raster), width: Double(raster.width), height: Double(raster.height))
            aspect = Double(raster.width) / Double(raster.height)
        }
    }

    /// Draws the image into `box`, centred: `cover` fills the box and clips what sticks out,
    /// `contain` shows it whole.
    func draw(on cr: CairoContext, in box: Rect, fit: PrintLayout.Fit) throws {
        let wide = box.width / box.height > aspect
        // cover: match the dimension that leaves the image larger; contain: the smaller.
        let matchHeight = (fit == .contain) == wide
        let w = matchHeight ? box.height * aspect : box.width
        let h = matchHeight ? box.height : box.width / aspect
        let x = box.x + (box.width - w) / 2
        let y = box.y + (box.height - h) / 2
        cr.save()
        defer { cr.restore() }
        cr.clip(box.x, box.y, box.width, box.height)
        switch content {
        case let .vector(svg):
            try svg.draw(on: cr.pointer, x: x, y: y, width: w, height: h, image: source)
        case let .raster(surface, pixelWidth, _):
            cr.paint(surface, x: x, y: y, scale: w / pixelWidth)
        }
        try cr.check("drawing \(source)")
    }
}

/// A rectangle in points, on the card (origin at the trim's top left).
struct Rect {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    /// A layout box (millimetres) in points, cut to the card; each side that reaches the trim
    /// (or crosses it: a layout made for A6 on a narrower 4x6in card) moves out by `bleed`, so a
    /// picture or a band printed to the edge survives a guillotine that cuts a little outside.
    init(_ box: PrintLayout.Box, card: CardSize, bleed: Double) {
        let edge = 0.01
        let left = max(0, box.x), top = max(0, box.y)
        let right = min(card.widthMM, box.x + box.width), bottom = min(card.heightMM, box.y + box.height)
        var x0 = left.mm, y0 = top.mm, x1 = right.mm, y1 = bottom.mm
        if left <= edge { x0 -= bleed }
        if top <= edge { y0 -= bleed }
        if right >= card.widthMM - edge { x1 += bleed }
        if bottom >= card.heightMM - edge { y1 += bleed }
        self.init(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}
