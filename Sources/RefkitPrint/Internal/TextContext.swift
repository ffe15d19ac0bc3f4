internal import CPangoCairo

/// A Pango context set up for PDF output, on a font map lent by `FontMapPool`; owns the context.
///
/// The font map outlives the job (the pool lends it again), so the jobs run in turn share its
/// cache of font sets: a private map per job paid fontconfig's font sorting (`FcFontSetSort`,
/// about 100 million instructions, some 15 cards' worth) again for every file.
final class TextContext {
    let pointer: OpaquePointer

    init(_ lease: FontMapPool.Lease) {
        pointer = pango_font_map_create_context(UnsafeMutablePointer(lease.fontMap))!
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
        lease.distinguish(options)
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
