internal import CPangoCairo

/// A run of text in one language; the tag decides which CJK face draws shared characters.
struct TextRun {
    var text: String
    /// A Pango language tag (`zh-cn`, not `zh-Hans`): see `PangoLanguage`.
    var language: String
}

/// One Pango layout (a block of shaped, wrapped text); owns its `PangoLayout`.
final class TextLayout {
    let pointer: OpaquePointer

    /// Lays out `runs` in `families` (a Pango family list such as "Noto Sans, Noto Sans CJK JP").
    /// `widthPt` wraps at word or character boundaries; nil keeps one line.
    init(context: TextContext, runs: [TextRun], families: String, sizePt: Double, bold: Bool,
         widthPt: Double?, alignment: PangoAlignment = PANGO_ALIGN_LEFT) {
        pointer = pango_layout_new(context.pointer)!
        let text = runs.map(\.text).joined()
        pango_layout_set_text(pointer, text, Int32(text.utf8.count))
        // Tag each run with its language: the font list alone cannot tell Japanese kanji from
        // Chinese hanzi, and the process locale would otherwise decide.
        let attributes = pango_attr_list_new()!
        var start = 0
        for run in runs {
            let end = start + run.text.utf8.count
            let attribute = pango_attr_language_new(pango_language_from_string(run.language))!
            attribute.pointee.start_index = UInt32(start)
            attribute.pointee.end_index = UInt32(end)
            pango_attr_list_insert(attributes, attribute)  // the list owns it now
            start = end
        }
        pango_layout_set_attributes(pointer, attributes)  // the layout takes its own reference
        pango_attr_list_unref(attributes)
        if let widthPt {
            pango_layout_set_width(pointer, Int32((widthPt * Double(PANGO_SCALE)).rounded(.down)))
            pango_layout_set_wrap(pointer, PANGO_WRAP_WORD_CHAR)
        }
        pango_layout_set_alignment(pointer, alignment)
        setFont(families: families, sizePt: sizePt, bold: bold)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(pointer)) }

    func setFont(families: String, sizePt: Double, bold: Bool) {
        let font = pango_font_description_new()!
        defer { pango_font_description_free(font) }  // the layout copies it
        pango_font_description_set_family(font, families)
        pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        // Clamped: the layout check keeps sizes to 4...200 pt, but a trap here would kill a
        // print worker with no word about which block (1e300 pt once did).
        let units = (sizePt * Double(PANGO_SCALE)).rounded()
        pango_font_description_set_size(font, units.isFinite ? Int32(max(1, min(units, 100_000 * Double(PANGO_SCALE)))) : Int32(PANGO_SCALE))
        pango_layout_set_font_description(pointer, font)
    }

    /// The logical size in points.
    var size: (width: Double, height: Double) {
        var width: Int32 = 0
        var height: Int32 = 0
        pango_layout_get_size(pointer, &width, &height)
        return (Double(width) / Double(PANGO_SCALE), Double(height) / Double(PANGO_SCALE))
    }

    /// The widest line's logical width in points (with a wrap width set, `size.width` is
    /// not always the ink that is there).
    var logicalExtents: (x: Double, y: Double, width: Double, height: Double) {
        var logical = PangoRectangle()
        pango_layout_get_extents(pointer, nil, &logical)
        let s = Double(PANGO_SCALE)
        return (Double(logical.x) / s, Double(logical.y) / s, Double(logical.width) / s, Double(logical.height) / s)
    }

    /// From the top of the layout to the first line's baseline, in points.
    var baseline: Double { Double(pango_layout_get_baseline(pointer)) / Double(PANGO_SCALE) }

    /// Characters drawn as boxes because no font had them.
    var unknownGlyphs: Int { Int(pango_layout_get_unknown_glyphs_count(pointer)) }
}

/// BCP 47 tags as Pango needs them.
enum PangoLanguage {
    /// Pango picks the CJK face from the tag: `zh` alone gets the Japanese face, so Chinese
    /// needs its region-style tag (zh / zh-Hans → zh-cn, zh-Hant → zh-tw, zh-HK → zh-hk).
    static func tag(for language: String) -> String {
        let parts = language.split(separator: "-").map { $0.lowercased() }
        guard let primary = parts.first else { return language.lowercased() }
        guard primary == "zh" else { return language.lowercased() }
        if parts.contains("hk") { return "zh-hk" }
        if parts.contains("mo") { return "zh-hk" }
        if parts.contains("tw") { return "zh-tw" }
        if parts.contains("hant") { return "zh-tw" }
        return "zh-cn"
    }
}
