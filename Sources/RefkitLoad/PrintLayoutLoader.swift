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
        if let v = top["safe_zone"], let n = nonNegative(v) { layout.safeZoneMM = n }
        if let v = top["min_text_scale"], let n = v.double() {
            if n > 0 && n <= 1 { layout.minimumTextScale = n } else { v.report("`min_text_scale` must be more than 0 and at most 1, not \(n)", fix: "use 0.7 for 70 %") }
        }
        if let fonts = top["fonts"] { readFonts(fonts, into: &layout) }
        if let v = top["marks"], let marks = v.fields(["offset", "length", "line_width"]) {
            if let n = marks["offset"].flatMap(nonNegative) { layout.marks.offsetMM = n }
            if let n = marks["length"].flatMap(positive) { layout.marks.lengthMM = n }
            if let n = marks["line_width"].flatMap(positive) { layout.marks.lineWidthPt = n }
        }
        if let v = top["front"], let front = v.fields(["background", "image", "headline", "incentive"]) {
            if let c = front["background"].flatMap(color) { layout.front.background = c }
            if let b = front["image"] { layout.front.image = box(b, default: layout.front.image) }
            if let b = front["headline"] { layout.front.headline = textBlock(b, default: layout.front.headline) }
            if let b = front["incentive"] { layout.front.incentive = textBlock(b, default: layout.front.incentive) }
        }
        if let v = top["back"], let back = v.fields(["background", "from", "to", "code", "qr", "redeem", "deadline", "terms"]) {
            if let c = back["background"].flatMap(color) { layout.back.background = c }
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
                    if n >= PrintLayout.QRBlock.minimumSizeMM {
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

    private static func box(_ value: YAMLValue, default d: PrintLayout.Box) -> PrintLayout.Box {
        guard let f = value.fields(["x", "y", "width", "height"]) else { return d }
        return PrintLayout.Box(x: f["x"].flatMap(nonNegative) ?? d.x, y: f["y"].flatMap(nonNegative) ?? d.y,
                               width: f["width"].flatMap(positive) ?? d.width, height: f["height"].flatMap(positive) ?? d.height)
    }

    private static func textBlock(_ value: YAMLValue, default d: PrintLayout.TextBlock) -> PrintLayout.TextBlock {
        guard let f = value.fields(["x", "y", "width", "height", "size", "weight", "color", "align"]) else { return d }
        var block = d
        block.box = PrintLayout.Box(x: f["x"].flatMap(nonNegative) ?? d.box.x, y: f["y"].flatMap(nonNegative) ?? d.box.y,
                                    width: f["width"].flatMap(positive) ?? d.box.width, height: f["height"].flatMap(positive) ?? d.box.height)
        if let n = f["size"].flatMap(positive) { block.sizePt = n }
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

    private static func positive(_ value: YAMLValue) -> Double? {
        guard let n = value.double() else { return nil }
        guard n > 0 else { value.report("`\(value.path)` must be more than 0, not \(n)"); return nil }
        return n
    }

    private static func nonNegative(_ value: YAMLValue) -> Double? {
        guard let n = value.double() else { return nil }
        guard n >= 0 else { value.report("`\(value.path)` must not be negative, not \(n)"); return nil }
        return n
    }
}
