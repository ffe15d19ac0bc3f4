import Foundation
internal import CGdkPixbuf

/// A PNG or JPEG (or any format Debian's gdk-pixbuf loaders read) decoded by gdk-pixbuf into
/// cairo's pixel format. Holds no C object: the loader and pixbuf are freed before `init`
/// returns.
///
/// Images are decoded at most at the resolution the box needs at 300 dpi (a phone photo of
/// 4000 px in an 80 mm box is scaled while it is read, which the JPEG loader does cheaply),
/// and images that declare more than `maximumPixels` are refused before gdk-pixbuf allocates
/// them: a 100 KB PNG can claim 60,000 x 60,000 pixels.
struct RasterImage {
    let width: Int
    let height: Int
    /// cairo's ARGB32: premultiplied, one native-endian 32-bit word per pixel, no row padding
    /// (cairo's stride for ARGB32 is 4 x width).
    let pixels: [UInt32]
    let hasAlpha: Bool
    /// JPEG bytes that show exactly these pixels, for cairo to embed as they are (DCT) instead
    /// of compressing the pixels again: the original when it was not scaled, else re-encoded.
    let jpeg: Data?

    /// 40 million pixels: a 50-megapixel camera's image is already scaled down by the JPEG
    /// loader; anything larger is a mistake or an attack.
    static let maximumPixels = 40_000_000

    /// `needed` is the box in pixels at 300 dpi; `cover` scales to fill it, else to fit inside.
    init(_ image: PostcardImage, needed: (width: Double, height: Double), cover: Bool) throws {
        final class Sizing {
            let needed: (width: Double, height: Double)
            let cover: Bool
            var declared: (Int, Int) = (0, 0)
            var refused = false
            var scaled = false
            init(needed: (width: Double, height: Double), cover: Bool) {
                self.needed = needed
                self.cover = cover
            }
        }
        // gdk-pixbuf fills the rows a cut-short PNG or JPEG lacks with grey and reports success
        // (or, for some cuts, fails with libpng's words): their end is checked first.
        let isPNG = image.bytes.starts(with: RasterHeader.pngSignature), isJPEG = image.bytes.starts(with: [0xFF, 0xD8])
        if isPNG && !RasterHeader.pngIsComplete(image.bytes) || isJPEG && !RasterHeader.jpegIsComplete(image.bytes) {
            throw ImageFailure(image: image, reason: "it is cut short (the \(isPNG ? "PNG has no IEND chunk" : "JPEG has no end-of-image marker")): the file was not saved or copied completely",
                               fix: "copy it again from the original, or export it again as PNG or JPEG")
        }
        let sizing = Sizing(needed: needed, cover: cover)
        guard let loader = gdk_pixbuf_loader_new() else { throw ImageFailure(image: image, reason: "gdk-pixbuf could not start") }
        defer { g_object_unref(loader) }
        // Called once the header is read, before any pixel memory is allocated. A size of 0 x 0
        // tells the loader to stop (GdkPixbufModuleSizeFunc's contract); PNG and JPEG do.
        let handler: @convention(c) (UnsafeMutablePointer<GdkPixbufLoader>?, Int32, Int32, UnsafeMutableRawPointer?) -> Void = { loader, w, h, context in
            guard let loader, let context else { return }
            let sizing = Unmanaged<Sizing>.fromOpaque(context).takeUnretainedValue()
            sizing.declared = (Int(w), Int(h))
            guard w > 0, h > 0, Int(w) * Int(h) <= RasterImage.maximumPixels else {
                sizing.refused = true
                gdk_pixbuf_loader_set_size(loader, 0, 0)
                return
            }
            let fx = sizing.needed.width / Double(w)
            let fy = sizing.needed.height / Double(h)
            let factor = sizing.cover ? max(fx, fy) : min(fx, fy)
            if factor < 1 {
                sizing.scaled = true
                gdk_pixbuf_loader_set_size(loader, max(1, Int32((Double(w) * factor).rounded(.up))), max(1, Int32((Double(h) * factor).rounded(.up))))
            }
        }
        _ = withExtendedLifetime(sizing) {
            cgdkpixbuf_connect_size_prepared(loader, handler, Unmanaged.passUnretained(sizing).toOpaque())
        }
        var error: UnsafeMutablePointer<GError>?
        // Fed in pieces, so that a refused size stops the reading at the next piece.
        let chunk = 64 * 1024
        var offset = 0
        var ok = true
        var vector = false
        withExtendedLifetime(sizing) {
            image.bytes.withUnsafeBytes { raw in
                let base = raw.bindMemory(to: guchar.self).baseAddress
                while ok && offset < raw.count && !sizing.refused {
                    let n = min(chunk, raw.count - offset)
                    ok = gdk_pixbuf_loader_write(loader, base! + offset, gsize(n), &error) != 0
                    offset += n
                    // gdk-pixbuf picks its module from the first kilobyte. Its SVG module would
                    // decode the SVG's embedded images with no limit when the loader is closed,
                    // so an SVG that `SVGCheck.looksLikeSVG` missed stops here, unclosed.
                    if Self.formatName(loader) == "svg" { vector = true; break }
                }
            }
            if vector { return }
            // Closing reports some broken images, not all: a truncated PNG or JPEG closes
            // without an error (checked below). After a refusal or a failed write it is noise.
            var closeError: UnsafeMutablePointer<GError>?
            let closed = gdk_pixbuf_loader_close(loader, &closeError) != 0
            if ok && !sizing.refused && !closed { ok = false; error = closeError } else if let closeError { g_error_free(closeError) }
        }
        if vector {
            if let error { g_error_free(error) }
            throw ImageFailure(image: image, reason: "it holds SVG but does not read as SVG to refkit", fix: "save it as a plain SVG file ending in .svg")
        }
        if sizing.refused {
            if let error { g_error_free(error) }
            throw ImageFailure(image: image, reason: "it is \(sizing.declared.0) x \(sizing.declared.1) pixels, more than \(Self.maximumPixels / 1_000_000) million; scale it down (about 1,300 x 1,800 pixels is 300 dpi on an A6 card)")
        }
        guard ok, let pixbuf = gdk_pixbuf_loader_get_pixbuf(loader) else {
            let reason = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "gdk-pixbuf cannot read it"
            if let error { g_error_free(error) }
            throw ImageFailure(image: image, reason: reason)
        }
        let formatName = Self.formatName(loader) ?? ""
        // The pixbuf belongs to the loader (unreffed with it).
        let w = Int(gdk_pixbuf_get_width(pixbuf))
        let h = Int(gdk_pixbuf_get_height(pixbuf))
        let channels = Int(gdk_pixbuf_get_n_channels(pixbuf))
        let alpha = gdk_pixbuf_get_has_alpha(pixbuf) != 0
        let rowstride = Int(gdk_pixbuf_get_rowstride(pixbuf))
        guard w > 0, h > 0, gdk_pixbuf_get_bits_per_sample(pixbuf) == 8, channels == (alpha ? 4 : 3),
              let source = gdk_pixbuf_read_pixels(pixbuf) else {
            throw ImageFailure(image: image, reason: "gdk-pixbuf gave an unexpected pixel format; save it as an 8-bit RGB PNG or JPEG")
        }
        // gdk-pixbuf's RGB(A) bytes, not premultiplied, to cairo's premultiplied ARGB words.
        // gdk's own gdk_cairo_set_source_pixbuf does this, but it lives in GTK, not gdk-pixbuf.
        var out = [UInt32](repeating: 0, count: w * h)
        out.withUnsafeMutableBufferPointer { dst in
            for row in 0..<h {
                let line = source + row * rowstride
                for col in 0..<w {
                    let p = line + col * channels
                    let a = alpha ? UInt32(p[3]) : 255
                    func pre(_ c: UInt8) -> UInt32 { a == 255 ? UInt32(c) : (UInt32(c) * a + 127) / 255 }
                    dst[row * w + col] = a << 24 | pre(p[0]) << 16 | pre(p[1]) << 8 | pre(p[2])
                }
            }
        }
        width = w
        height = h
        pixels = out
        hasAlpha = alpha
        if formatName == "jpeg" {
            jpeg = sizing.scaled ? Self.encodeJPEG(pixbuf) : image.bytes
        } else {
            jpeg = nil
        }
    }

    /// The name of the gdk-pixbuf module reading the image ("png", "jpeg", "svg"), once it is
    /// chosen.
    private static func formatName(_ loader: UnsafeMutablePointer<GdkPixbufLoader>) -> String? {
        guard let format = gdk_pixbuf_loader_get_format(loader), let name = gdk_pixbuf_format_get_name(format) else { return nil }
        defer { g_free(name) }
        return String(cString: name)
    }

    /// The pixbuf as a JPEG at quality 92 (no visible loss in print), through gdk-pixbuf's
    /// own saver; nil if it fails, and the pixels are embedded instead.
    private static func encodeJPEG(_ pixbuf: OpaquePointer) -> Data? {
        var buffer: UnsafeMutablePointer<gchar>?
        var size: gsize = 0
        var error: UnsafeMutablePointer<GError>?
        let keys = [strdup("quality"), nil]
        let values = [strdup("92"), nil]
        defer { keys.forEach { free($0) }; values.forEach { free($0) } }
        var k = keys
        var v = values
        let ok = gdk_pixbuf_save_to_bufferv(pixbuf, &buffer, &size, "jpeg", &k, &v, &error) != 0
        if let error { g_error_free(error) }
        guard ok, let buffer else { return nil }
        defer { g_free(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }
}
