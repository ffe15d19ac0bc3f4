internal import CPangoCairo

/// A Pango context with its own font map, set up for PDF output; owns both.
///
/// A private font map (not `pango_cairo_font_map_get_default`) keeps renderers on different
/// threads from sharing anything but fontconfig.
final class TextContext {
    let pointer: OpaquePointer
    private let fontMap: UnsafeMutablePointer<PangoFontMap>

    init() {
        fontMap = pango_cairo_font_map_new()!
        pointer = pango_font_map_create_context(fontMap)!
        // Pango assumes 96 dpi; PDF user space is 72 units to the inch, so anything else makes
        // text 1.333x too large.
        pango_cairo_context_set_resolution(pointer, 72)
        // Pango >= 1.44 rounds glyph positions to whole units, which are whole points here:
        // uneven letter spacing on paper.
        pango_context_set_round_glyph_positions(pointer, 0)
        // Hinted metrics snap advances to the (imaginary) pixel grid; a PDF has none.
        let options = cairo_font_options_create()!
        defer { cairo_font_options_destroy(options) }
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(pointer, options)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(pointer))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    /// Sets the default language, used for text no run tags otherwise.
    func setLanguage(_ pangoTag: String) {
        pango_context_set_language(pointer, pango_language_from_string(pangoTag))
    }
}
