import Foundation
import RefkitModel

/// The front, identical on every card of a programme and language: drawn once into a
/// recording surface in card coordinates (origin at the trim's top left, bleed included),
/// then replayed on every page. cairo's PDF writer stores a replayed recording once per file
/// as a form XObject, so the hero image and the logo cost their bytes once per file, not
/// once per card.
final class FrontSide {
    let recording: CairoSurface
    /// The colour behind everything, for the office sheet's outer bleed.
    let background: RGB

    /// `flatten`: PDF/X-1a, see `PictureLayer`.
    init(_ front: Postcard.Front, brand: RGB, geometry g: CardGeometry, layout: PrintLayout, fitter: TextFitter, run: RunContext,
         flatten: Bool) throws {
        let l = layout.front
        let background = RGB(l.background, brand: brand)
        self.background = background
        recording = try CairoSurface(recordingX: -g.bleed, y: -g.bleed, width: g.trimWidth + 2 * g.bleed, height: g.trimHeight + 2 * g.bleed)
        let cr = try CairoContext(recording)
        // Back to front: the picture, the band that keeps text over it readable, the logo on
        // top, then the words.
        try PictureLayer.draw(on: cr, geometry: g, flatten: flatten) { cr in
            cr.fillRect(-g.bleed, -g.bleed, g.trimWidth + 2 * g.bleed, g.trimHeight + 2 * g.bleed, background)
            if let box = l.image, let image = front.image {
                try Self.draw(image, in: box, field: "front.image", on: cr, geometry: g, run: run)
            }
            if let panel = l.panel {
                let r = g.rect(panel.box)
                cr.fillRect(r.x, r.y, r.width, r.height, RGB(panel.color, brand: brand))
            }
            if let box = l.logo, let logo = front.logo {
                try Self.draw(logo, in: box, field: "front.logo", on: cr, geometry: g, run: run)
            }
        }
        if let block = l.brand, !front.brandName.isEmpty {
            cr.show(try fitter.fit(front.brandName, in: block, field: "front.brand"), in: block, brand: brand)
        }
        cr.show(try fitter.fit(front.headline, in: l.headline, field: "front.headline"), in: l.headline, brand: brand)
        cr.show(try fitter.fit(front.incentive, in: l.incentive, field: "front.incentive"), in: l.incentive, brand: brand)
        try cr.check("drawing the front")
    }

    /// Decodes `image` and draws it into `box`; a broken image is an error naming the field
    /// and the asset.
    static func draw(_ image: PostcardImage, in box: PrintLayout.ImageBox, field: String, on cr: CairoContext,
                     geometry g: CardGeometry, run: RunContext) throws {
        let rect = g.rect(box.box)
        do {
            let decoded = try CardImage(image, box: rect, fit: box.fit)
            try decoded.draw(on: cr, in: rect, fit: box.fit)
        } catch let failure as ImageFailure {
            throw run.imageError(field, failure)
        } catch let failure as CairoFailure {
            throw run.imageError(field, ImageFailure(image: image, reason: failure.description))
        }
    }

    /// Draws the front with its trim's top left at the current origin.
    func draw(on cr: CairoContext) {
        cr.paint(recording, x: 0, y: 0)
    }
}
