import Foundation
import RefkitModel

/// The front, identical on every card of a programme and language: drawn once into a
/// recording surface in card coordinates (origin at the trim's top left, bleed included),
/// then replayed on every page.
final class FrontSide {
    let recording: CairoSurface
    /// The colour behind everything, for the office sheet's outer bleed.
    let background: RGB

    init(_ front: Postcard.Front, brand: RGB, geometry g: CardGeometry, layout: PrintLayout, fitter: TextFitter, run: RunContext) throws {
        background = RGB(layout.front.background, brand: brand)
        recording = try CairoSurface(recordingX: -g.bleed, y: -g.bleed, width: g.trimWidth + 2 * g.bleed, height: g.trimHeight + 2 * g.bleed)
        let cr = try CairoContext(recording)
        cr.fillRect(-g.bleed, -g.bleed, g.trimWidth + 2 * g.bleed, g.trimHeight + 2 * g.bleed, background)

        if let bytes = front.image {
            let image: CairoSurface
            do {
                image = try CairoSurface(png: bytes)
            } catch {
                throw run.copyError("front.image", "the image is not a PNG cairo can read (\(error))", fix: "save the logo or hero image as PNG")
            }
            let box = layout.front.image
            let iw = Double(image.imageWidth)
            let ih = Double(image.imageHeight)
            guard iw > 0, ih > 0 else { throw run.copyError("front.image", "the image is empty") }
            // Fit inside the box, keeping the aspect ratio, centred.
            let scale = min(box.width.mm / iw, box.height.mm / ih)
            let x = box.x.mm + (box.width.mm - iw * scale) / 2
            let y = box.y.mm + (box.height.mm - ih * scale) / 2
            cr.paint(image, x: x, y: y, scale: scale)
        }

        let headline = try fitter.fit(front.headline, in: layout.front.headline, field: "front.headline")
        cr.show(headline, x: layout.front.headline.box.x.mm, y: layout.front.headline.box.y.mm, color: RGB(layout.front.headline.color, brand: brand))
        let incentive = try fitter.fit(front.incentive, in: layout.front.incentive, field: "front.incentive")
        cr.show(incentive, x: layout.front.incentive.box.x.mm, y: layout.front.incentive.box.y.mm, color: RGB(layout.front.incentive.color, brand: brand))
        try cr.check("drawing the front")
    }

    /// Draws the front with its trim's top left at the current origin.
    func draw(on cr: CairoContext) {
        cr.paint(recording, x: 0, y: 0)
    }
}
