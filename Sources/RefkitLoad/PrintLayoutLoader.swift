import RefkitModel
import Yams

/// Reads `site-templates/print/postcard.yaml` into a `PrintLayout`.
///
/// Keys left out keep the defaults (which equal the shipped file), so a user can restyle one
/// block without copying the rest. Every problem is reported at once with `file:line:col`:
/// unknown keys (with a "did you mean"), numbers that are not numbers or not positive, colours
/// that are not `#RRGGBB` or `brand`, unknown weights and alignments, a QR code under 20 mm.
/// Whether blocks fit the card is checked by the renderer, which knows the card size.
public enum PrintLayoutLoader {
    public static func parse(_ text: String, file: String = PrintLayout.defaultFile) -> (layout: PrintLayout, diagnostics: [Diagnostic]) {
        let log = DiagnosticLog()
        var layout = PrintLayout(file: file)
        guard let root = YAMLValue.parse(text, file: file, log: log),
              let top = root.fields(["safe_zone", "min_text_scale", "fonts", "marks", "front", "back"]) else {
            return (layout, log.items)
        }
        if let v = top["safe_zone"], let n = ranged(v, 0...30, "mm") { layout.safeZoneMM = n }
        if let v = top["min_text_scale"], let n = v.double() {
            if n > 0 && n <= 1 { layout.minimumTextScale = n } else { v.report("`min_text_scale` must be more than 0 and at most 1, not \(n)", fix: "use 0.7 for 70 %") }
        }
        if let fonts = top["fonts"] { readFonts(fonts, into: &layout) }
        if let v = top["marks"], let marks = v.fields(["offset", "length", "line_width"]) {
            typealias Marks = PrintLayout.CropMarks
            if let n = marks["offset"].flatMap({ ranged($0, Marks.offsetRangeMM, "mm") }) { layout.marks.offsetMM = n }
            if let n = marks["length"].flatMap({ ranged($0, Marks.lengthRangeMM, "mm") }) { layout.marks.lengthMM = n }
            if let n = marks["line_width"].flatMap({ ranged($0, Marks.lineWidthRangePt, "pt") }) { layout.marks.lineWidthPt = n }
        }
        if let v = top["front"], let front = v.fields(["background", "image", "panel", "logo", "brand", "headline", "incentive"]) {
            if let c = front["background"].flatMap(color) { layout.front.background = c }
            if let b = front["image"] { layout.front.image = optional(b) { imageBox($0, default: layout.front.image) } }
            if let b = front["panel"] { layout.front.panel = optional(b) { panel($0, default: layout.front.panel) } }
            if let b = front["logo"] { layout.front.logo = optional(b) { imageBox($0, default: layout.front.logo) } }
            if let b = front["brand"] { layout.front.brand = optional(b) { textBlock($0, default: layout.front.brand ?? layout.front.incentive) } }
            if let b = front["headline"] { layout.front.headline = textBlock(b, default: layout.front.headline) }
            if let b = front["incentive"] { layout.front.incentive = textBlock(b, default: layout.front.incentive) }
        }
        if let v = top["back"], let back = v.fields(["background", "accent", "logo", "brand", "from", "to", "code", "qr", "redeem", "deadline", "terms"]) {
            if let c = back["background"].flatMap(color) { layout.back.background = c }
            if let b = back["accent"] { layout.back.accent = optional(b) { panel($0, default: layout.back.accent) } }
            if let b = back["logo"] { layout.back.logo = optional(b) { imageBox($0, default: layout.back.logo) } }
            if let b = back["brand"] { layout.back.brand = optional(b) { textBlock($0, default: layout.back.brand ?? layout.back.from) } }
            if let b = back["from"] { layout.back.from = textBlock(b, default: layout.back.from) }
            if let b = back["to"] { layout.back.to = textBlock(b, default: layout.back.to) }
            if let b = back["code"] { layout.back.code = textBlock(b, default: layout.back.code) }
            if let b = back["redeem"] { layout.back.redeem = textBlock(b, default: layout.back.redeem) }
            if let b = back["deadline"] { layout.back.deadline = textBlock(b, default: layout.back.deadline) }
            if let b = back["terms"] { layout.back.terms = textBlock(b, default: layout.back.terms) }
            if let q = back["qr"], let fields = q.fields(["x", "y", "size"]) {
                if let n = fields["x"].flatMap(nonNegative) { layout.back.qr.x = n }
                if let n = fields["y"].flatMap(nonNegative) { layout.back.qr.y = n }
                if let v = fields["size"], let n = v.double() {
                    if n > PrintLayout.lengthRangeMM.upperBound {
                        _ = ranged(v, PrintLayout.QRBlock.minimumSizeMM...PrintLayout.lengthRangeMM.upperBound, "mm")
                    } else if n >= PrintLayout.QRBlock.minimumSizeMM {
                        layout.back.qr.sizeMM = n
                    } else {
                        v.report("the QR code is \(n) mm; phones need at least 20 mm", fix: "set `size` to 20 or more")
                    }
                }
            }
        }
        return (layout, log.items)
    }

    /// `fonts:` takes any language tag (Pango's form: `zh-cn`, `ja`), `default` and `code`.
    private static func readFonts(_ value: YAMLValue, into layout: inout PrintLayout) {
        guard case let .mapping(mapping) = value.node else {
            value.report("`fonts` should be a set of `language: \"Family, Fallback\"` lines")
            return
        }
        for (keyNode, valueNode) in mapping {
            let key = (keyNode.scalar?.string ?? "").lowercased()
            let entry = YAMLValue(node: valueNode, file: value.file, lineOffset: value.lineOffset, log: value.log, path: "fonts." + key)
            guard let families = entry.nonEmptyText() else { continue }
            if key == "code" {
                layout.codeFont = families
            } else if key == "default" || LanguageTag(key) != nil {
                layout.fonts[key] = families
            } else {
                YAMLValue(node: keyNode, file: value.file, lineOffset: value.lineOffset, log: value.log, path: "fonts." + key)
                    .report("`\(key)` under `fonts` is not a language code, `default` or `code`", fix: "use a tag such as ja, zh-cn or fr")
            }
        }
    }

    /// `none` turns an optional block off; anything else is read by `read`.
    private static func optional<T>(_ value: YAMLValue, _ read: (YAMLValue) -> T?) -> T? {
        if case let .scalar(s) = value.node, s.string.trimmingWhitespace() == "none" { return nil }
        return read(value)
    }

    private static func box(_ f: Fields, default d: PrintLayout.Box?) -> PrintLayout.Box? {
        let x = f["x"].flatMap(nonNegative) ?? d?.x
        let y = f["y"].flatMap(nonNegative) ?? d?.y
        let width = f["width"].flatMap(positive) ?? d?.width
        let height = f["height"].flatMap(positive) ?? d?.height
        guard let x, let y, let width, let height else { return nil }
        return PrintLayout.Box(x: x, y: y, width: width, height: height)
    }

    /// `{ x, y, width, height, fit: cover | contain }`.
    private static func imageBox(_ value: YAMLValue, default d: PrintLayout.ImageBox?) -> PrintLayout.ImageBox? {
        guard let f = value.fields(["x", "y", "width", "height", "fit"]) else { return d }
        var fit = d?.fit ?? .contain
        if let v = f["fit"], let t = v.text() {
            if let parsed = PrintLayout.Fit(rawValue: t) { fit = parsed } else {
                v.report("`\(v.path)` \"\(t)\" is not a fit", fix: "use cover (fill the box, crop the rest) or contain (show the whole image)")
            }
        }
        guard let b = box(f, default: d?.box) else {
            value.report("`\(value.path)` needs x, y, width and height", fix: "write { x: 0, y: 0, width: 105, height: 80, fit: cover }, or none")
            return d
        }
        return PrintLayout.ImageBox(box: b, fit: fit)
    }

    /// `{ x, y, width, height, color }`.
    private static func panel(_ value: YAMLValue, default d: PrintLayout.Panel?) -> PrintLayout.Panel? {
        guard let f = value.fields(["x", "y", "width", "height", "color"]) else { return d }
        let c = f["color"].flatMap(color) ?? d?.color ?? .brand
        guard let b = box(f, default: d?.box) else {
            value.report("`\(value.path)` needs x, y, width and height", fix: "write { x: 0, y: 0, width: 105, height: 16, color: brand }, or none")
            return d
        }
        return PrintLayout.Panel(box: b, color: c)
    }

    private static func textBlock(_ value: YAMLValue, default d: PrintLayout.TextBlock) -> PrintLayout.TextBlock {
        guard let f = value.fields(["x", "y", "width", "height", "size", "weight", "color", "align"]) else { return d }
        var block = d
        block.box = PrintLayout.Box(x: f["x"].flatMap(nonNegative) ?? d.box.x, y: f["y"].flatMap(nonNegative) ?? d.box.y,
                                    width: f["width"].flatMap(positive) ?? d.box.width, height: f["height"].flatMap(positive) ?? d.box.height)
        if let n = f["size"].flatMap({ ranged($0, PrintLayout.TextBlock.sizeRangePt, "pt", fix: "use a size from 4 pt (small print) to 200 pt") }) { block.sizePt = n }
        if let v = f["weight"], let t = v.text() {
            if let w = PrintLayout.Weight(rawValue: t) { block.weight = w } else { v.report("`\(v.path)` \"\(t)\" is not a weight", fix: "use normal or bold") }
        }
        if let v = f["align"], let t = v.text() {
            if let a = PrintLayout.Alignment(rawValue: t) { block.alignment = a } else { v.report("`\(v.path)` \"\(t)\" is not an alignment", fix: "use left, center or right") }
        }
        if let c = f["color"].flatMap(color) { block.color = c }
        return block
    }

    private static func color(_ value: YAMLValue) -> PrintLayout.Color? {
        guard let t = value.text() else { return nil }
        guard let c = PrintLayout.Color(t) else {
            value.report("`\(value.path)` \"\(t)\" is not a colour", fix: "write #RRGGBB (six hex digits, quoted: \"#FFFFFF\") or brand")
            return nil
        }
        return c
    }

    /// A width or height in millimetres: more than 0, at most 1 m.
    private static func positive(_ value: YAMLValue) -> Double? {
        guard let n = value.double() else { return nil }
        guard n > 0 else { value.report("`\(value.path)` must be more than 0, not \(n)"); return nil }
        return ranged(value, PrintLayout.lengthRangeMM, "mm")
    }

    /// A position in millimetres: 0 to 1 m.
    private static func nonNegative(_ value: YAMLValue) -> Double? {
        guard let n = value.double() else { return nil }
        guard n >= 0 else { value.report("`\(value.path)` must not be negative, not \(n)"); return nil }
        return ranged(value, PrintLayout.lengthRangeMM, "mm")
    }

    /// A number within `range`, else a diagnostic at the value saying the range: absurd values
    /// (1e300, 0.001 pt) would otherwise crash Pango's integer units or print nothing.
    private static func ranged(_ value: YAMLValue, _ range: ClosedRange<Double>, _ unit: String, fix: String? = nil) -> Double? {
        guard let n = value.double() else { return nil }
        guard n.isFinite, range.contains(n) else {
            value.report("`\(value.path)` must be from \(number(range.lowerBound)) to \(number(range.upperBound)) \(unit), not \(n)",
                         fix: fix ?? "use a value from \(number(range.lowerBound)) to \(number(range.upperBound)) \(unit)")
            return nil
        }
        return n
    }

    private static func number(_ n: Double) -> String {
        n == n.rounded() ? String(Int(n)) : String(n)
    }
}
