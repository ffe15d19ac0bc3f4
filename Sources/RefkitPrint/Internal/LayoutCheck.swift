import RefkitModel

/// Checks the layout against the card size before anything is drawn: every text block in the
/// safe zone, the image on the card, the QR code large enough. Reports all problems at once
/// is the loader's job; here the first one stops the run, naming the block.
enum LayoutCheck {
    static func check(_ layout: PrintLayout, size: CardSize, run: RunContext) throws {
        let w = size.widthMM
        let h = size.heightMM
        let safe = layout.safeZoneMM
        let fix = "move or shrink it in \(layout.file); the \(size.name) card is \(fmt(w)) x \(fmt(h)) mm and text stays \(fmt(safe)) mm inside the edge"

        func inside(_ box: PrintLayout.Box, margin: Double) -> Bool {
            box.width > 0 && box.height > 0 && box.x >= margin - 1e-9 && box.y >= margin - 1e-9
                && box.x + box.width <= w - margin + 1e-9 && box.y + box.height <= h - margin + 1e-9
        }
        var blocks: [(String, PrintLayout.TextBlock)] = [
            ("front.headline", layout.front.headline), ("front.incentive", layout.front.incentive),
            ("back.from", layout.back.from), ("back.to", layout.back.to), ("back.code", layout.back.code),
            ("back.redeem", layout.back.redeem), ("back.deadline", layout.back.deadline), ("back.terms", layout.back.terms),
        ]
        if let b = layout.front.brand { blocks.append(("front.brand", b)) }
        if let b = layout.back.brand { blocks.append(("back.brand", b)) }
        for (name, block) in blocks {
            // The loader refuses these too; a layout built in code comes here directly.
            let sizes = PrintLayout.TextBlock.sizeRangePt
            guard sizes.contains(block.sizePt) else {
                throw run.layoutError(name, "the font size must be from \(fmt(sizes.lowerBound)) to \(fmt(sizes.upperBound)) pt, not \(block.sizePt)",
                                      fix: "set its size in \(layout.file)")
            }
            guard inside(block.box, margin: safe) else {
                throw run.layoutError(name, "the block (x \(fmt(block.box.x)), y \(fmt(block.box.y)), \(fmt(block.box.width)) x \(fmt(block.box.height)) mm) is outside the safe zone", fix: fix)
            }
        }
        // Pictures and bands may run to the edge and past it (they are cut there and run on into
        // the bleed, so one layout serves A6 and the narrower 4x6in), but must show on the card.
        let boxes: [(String, PrintLayout.Box?)] = [
            ("front.image", layout.front.image?.box), ("front.logo", layout.front.logo?.box), ("front.panel", layout.front.panel?.box),
            ("back.logo", layout.back.logo?.box), ("back.accent", layout.back.accent?.box),
        ]
        for case let (name, box?) in boxes {
            guard box.width > 0, box.height > 0, box.x < w, box.y < h else {
                throw run.layoutError(name, "the box (x \(fmt(box.x)), y \(fmt(box.y)), \(fmt(box.width)) x \(fmt(box.height)) mm) is not on the card", fix: fix)
            }
        }
        let qr = layout.back.qr
        guard qr.sizeMM >= PrintLayout.QRBlock.minimumSizeMM - 1e-9 else {
            throw run.layoutError("back.qr", "the QR code is \(fmt(qr.sizeMM)) mm; phones need at least \(fmt(PrintLayout.QRBlock.minimumSizeMM)) mm",
                                  fix: "set size to 20 or more in \(layout.file)")
        }
        guard inside(PrintLayout.Box(x: qr.x, y: qr.y, width: qr.sizeMM, height: qr.sizeMM), margin: safe) else {
            throw run.layoutError("back.qr", "the QR code is outside the safe zone", fix: fix)
        }
        // The quiet zone is 4 modules; the smallest symbol (21 modules) has the widest ones.
        let quiet = 4 * qr.sizeMM / 21
        guard inside(PrintLayout.Box(x: qr.x - quiet, y: qr.y - quiet, width: qr.sizeMM + 2 * quiet, height: qr.sizeMM + 2 * quiet), margin: 0) else {
            throw run.layoutError("back.qr", "the QR code's quiet zone (\(fmt(quiet)) mm around it) runs off the card", fix: fix)
        }
        let marks = layout.marks
        guard PrintLayout.CropMarks.lineWidthRangePt.contains(marks.lineWidthPt), PrintLayout.CropMarks.offsetRangeMM.contains(marks.offsetMM),
              PrintLayout.CropMarks.lengthRangeMM.contains(marks.lengthMM) else {
            throw run.layoutError("marks", "the crop marks' line width (\(marks.lineWidthPt) pt), offset (\(marks.offsetMM) mm) or length (\(marks.lengthMM) mm) is out of range",
                                  fix: "use a line width of 0.05 to 2 pt, an offset of 0 to 20 mm and a length of 2 to 30 mm in \(layout.file)")
        }
        guard layout.minimumTextScale > 0 && layout.minimumTextScale <= 1 else {
            throw run.layoutError("min_text_scale", "must be more than 0 and at most 1")
        }
    }

    private static func fmt(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}
