internal import CPangoCairo

/// A Pango context set up for PDF output, on this thread's font map; owns the context.
///
/// Pango's default cairo font map is per thread (since Pango 1.32.6), so renderers on
/// different threads still share nothing but fontconfig, while the jobs one thread runs in
/// turn (one per print file when a build renders file by file) share its cache of font sets.
/// A private map per job paid fontconfig's font sorting (`FcFontSetSort`, about 100 million
/// instructions, some 15 cards' worth) again for every file.
final class TextContext {
    let pointer: OpaquePointer

    init() {
        // Owned by Pango for the thread's lifetime: not ours to unref.
        let fontMap = pango_cairo_font_map_get_default()!
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
    }

    /// Sets the default language, used for text no run tags otherwise.
    func setLanguage(_ pangoTag: String) {
        pango_context_set_language(pointer, pango_language_from_string(pangoTag))
    }
}
