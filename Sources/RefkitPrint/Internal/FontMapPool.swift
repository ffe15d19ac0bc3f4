internal import CPangoCairo
import Foundation

/// Pango font maps for print jobs, each with cairo font options no other map has.
///
/// cairo 1.16 keeps one scaled font per face, size and font options for the whole process, so
/// jobs on different threads share them even with font maps of their own; and it has a race
/// when one thread drops a scaled font's last reference while another takes it up again from
/// its cache: `cairo_scaled_font_destroy: Assertion '! scaled_font->cache_frozen' failed`,
/// which aborted two builds in three at 100,000 cards (the bug is known in other projects:
/// haskell-chart #180, WeasyPrint #469). So each job borrows a font map from this pool for its
/// whole life, and each map sets font options in fields that vector PDF output ignores
/// (subpixel order and antialiasing only steer rasterising; a test checks every lease gives
/// the same bytes) so that the scaled fonts of jobs
/// running at the same time are never the same object. Maps are kept and lent again, so
/// fontconfig's font sorting is paid once per map, not once per file.
final class FontMapPool: @unchecked Sendable {
    static let shared = FontMapPool()

    /// 5 subpixel orders × 5 antialiasing modes: at most this many jobs draw text at once; more wait.
    static let capacity = 25

    struct Lease {
        /// A `PangoFontMap`, owned by the pool.
        let fontMap: OpaquePointer
        let slot: Int

        /// The options that make this lease's scaled fonts its own.
        func distinguish(_ options: OpaquePointer) {
            let orders = [CAIRO_SUBPIXEL_ORDER_DEFAULT, CAIRO_SUBPIXEL_ORDER_RGB, CAIRO_SUBPIXEL_ORDER_BGR,
                          CAIRO_SUBPIXEL_ORDER_VRGB, CAIRO_SUBPIXEL_ORDER_VBGR]
            // Not CAIRO_ANTIALIAS_NONE, which asks FreeType for monochrome glyphs.
            let antialias = [CAIRO_ANTIALIAS_DEFAULT, CAIRO_ANTIALIAS_GRAY, CAIRO_ANTIALIAS_FAST,
                             CAIRO_ANTIALIAS_GOOD, CAIRO_ANTIALIAS_BEST]
            cairo_font_options_set_subpixel_order(options, orders[slot % 5])
            cairo_font_options_set_antialias(options, antialias[slot / 5 % 5])
        }
    }

    private let condition = NSCondition()
    private var idle: [Lease] = []
    private var made = 0

    /// Lends a font map until `body` returns and everything it made is gone, then takes it back.
    func with<T>(_ body: (Lease) throws -> T) rethrows -> T {
        let lease = acquire()
        defer { release(lease) }
        return try body(lease)
    }

    private func acquire() -> Lease {
        condition.lock()
        defer { condition.unlock() }
        while idle.isEmpty && made >= Self.capacity { condition.wait() }
        if let lease = idle.popLast() { return lease }
        // Never freed: the pool lives as long as the process.
        let lease = Lease(fontMap: OpaquePointer(pango_cairo_font_map_new()!), slot: made)
        made += 1
        return lease
    }

    /// A lease outside the pool, on a new font map (for tests); never freed.
    static func lease(slot: Int) -> Lease {
        Lease(fontMap: OpaquePointer(pango_cairo_font_map_new()!), slot: slot)
    }

    private func release(_ lease: Lease) {
        condition.lock()
        idle.append(lease)
        condition.signal()
        condition.unlock()
    }
}
