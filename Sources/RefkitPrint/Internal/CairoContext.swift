internal import CPangoCairo

/// One cairo drawing context; owns its `cairo_t`. Works in points.
final class CairoContext {
    let pointer: OpaquePointer
    /// cairo_t holds a C reference to its surface, and destroying the last one finishes a PDF,
    /// which writes into the surface's byte buffer: keep the Swift owner (and its buffer)
    /// alive until the context is gone.
    private let surface: CairoSurface

    init(_ surface: CairoSurface) throws {
        self.surface = surface
        pointer = cairo_create(surface.pointer)!
        try check("creating a drawing context")
    }

    deinit { cairo_destroy(pointer) }

    func check(_ doing: String) throws {
        let status = cairo_status(pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw CairoFailure(doing: doing, reason: String(cString: cairo_status_to_string(status)))
        }
    }

    func save() { cairo_save(pointer) }
    func restore() { cairo_restore(pointer) }
    func translate(_ x: Double, _ y: Double) { cairo_translate(pointer, x, y) }
    func scale(_ x: Double, _ y: Double) { cairo_scale(pointer, x, y) }
    func rotate(_ radians: Double) { cairo_rotate(pointer, radians) }

    func setColor(_ c: RGB) { cairo_set_source_rgb(pointer, c.red, c.green, c.blue) }

    func fillRect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: RGB) {
        setColor(color)
        cairo_rectangle(pointer, x, y, w, h)
        cairo_fill(pointer)
    }

    func clip(_ x: Double, _ y: Double, _ w: Double, _ h: Double) {
        cairo_rectangle(pointer, x, y, w, h)
        cairo_clip(pointer)
    }

    func line(from a: (Double, Double), to b: (Double, Double), widthPt: Double, color: RGB) {
        setColor(color)
        cairo_set_line_width(pointer, widthPt)
        cairo_set_line_cap(pointer, CAIRO_LINE_CAP_BUTT)
        cairo_move_to(pointer, a.0, a.1)
        cairo_line_to(pointer, b.0, b.1)
        cairo_stroke(pointer)
    }

    /// Paints `surface` with its origin at (x, y), scaled by `scale`.
    func paint(_ surface: CairoSurface, x: Double, y: Double, scale: Double = 1) {
        save()
        translate(x, y)
        if scale != 1 { self.scale(scale, scale) }
        cairo_set_source_surface(pointer, surface.pointer, 0, 0)
        cairo_paint(pointer)
        restore()
    }

    /// Paints `color` through `mask` (an A1 surface) with its origin at (x, y), each mask
    /// pixel `pixel` points wide. The nearest filter keeps module edges sharp: cairo writes it
    /// as `/Interpolate false`, so viewers do not blur a QR code into grey.
    func mask(_ mask: CairoSurface, x: Double, y: Double, pixel: Double, color: RGB) {
        save()
        translate(x, y)
        self.scale(pixel, pixel)
        setColor(color)
        let pattern = cairo_pattern_create_for_surface(mask.pointer)!
        cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST)
        cairo_mask(pointer, pattern)
        cairo_pattern_destroy(pattern)
        restore()
    }

    func show(_ layout: TextLayout, x: Double, y: Double, color: RGB) {
        setColor(color)
        cairo_move_to(pointer, x, y)
        pango_cairo_show_layout(pointer, layout.pointer)
    }

    func showPage() { cairo_show_page(pointer) }
}
