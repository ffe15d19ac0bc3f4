import Foundation
internal import CRsvg

/// One SVG document parsed by librsvg; owns its `RsvgHandle` and draws it as vectors.
///
/// Made with `rsvg_handle_new_from_data`, which sets no base URL and no flags: librsvg then
/// loads no referenced file at all (`<image href="...">`, XInclude, external XML entities
/// need a base URL; only `data:` URLs are read), and libxml2 keeps its limits against entity
/// expansion and huge documents (`RSVG_HANDLE_FLAG_UNLIMITED` is off). The asset's bytes come
/// from the loader, which has already refused links and files outside `content/`.
final class SVGImage {
    private let handle: UnsafeMutablePointer<RsvgHandle>
    /// The document's aspect ratio, from its viewBox or its width and height.
    let aspect: Double

    init(_ image: PostcardImage) throws {
        // Before librsvg sees it: the images embedded in it, and links it would silently skip.
        if let refusal = SVGCheck.check(image.bytes) {
            throw ImageFailure(image: image, reason: refusal.reason, fix: refusal.fix)
        }
        var error: UnsafeMutablePointer<GError>?
        let made = image.bytes.withUnsafeBytes { raw in
            rsvg_handle_new_from_data(raw.bindMemory(to: guint8.self).baseAddress, gsize(raw.count), &error)
        }
        guard let made else {
            throw ImageFailure(image: image, reason: Self.take(error) ?? "librsvg could not read it")
        }
        handle = made
        // The aspect from the viewBox first (what render_document fits), else from the size.
        var hasWidth: gboolean = 0, hasHeight: gboolean = 0, hasViewBox: gboolean = 0
        var width = RsvgLength(), height = RsvgLength()
        var viewBox = RsvgRectangle()
        rsvg_handle_get_intrinsic_dimensions(made, &hasWidth, &width, &hasHeight, &height, &hasViewBox, &viewBox)
        var w = 0.0, h = 0.0
        if hasViewBox != 0 {
            (w, h) = (viewBox.width, viewBox.height)
        } else {
            _ = rsvg_handle_get_intrinsic_size_in_pixels(made, &w, &h)
        }
        guard w.isFinite, h.isFinite, w > 0, h > 0 else {
            g_object_unref(made)
            throw ImageFailure(image: image, reason: "it has no size: give the <svg> element a viewBox, or a width and height")
        }
        aspect = w / h
    }

    deinit { g_object_unref(handle) }

    /// Draws the whole document fitted into the rectangle (x, y, width, height) of `cr`'s
    /// user space, keeping its aspect ratio (librsvg centres it, as `preserveAspectRatio`'s
    /// default asks).
    func draw(on cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double, image: PostcardImage) throws {
        var viewport = RsvgRectangle(x: x, y: y, width: width, height: height)
        var error: UnsafeMutablePointer<GError>?
        guard rsvg_handle_render_document(handle, cr, &viewport, &error) != 0 else {
            throw ImageFailure(image: image, reason: Self.take(error) ?? "librsvg could not draw it")
        }
    }

    /// The message of a GError, which is then freed.
    private static func take(_ error: UnsafeMutablePointer<GError>?) -> String? {
        guard let error else { return nil }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) }
    }
}

/// An image could not be decoded or drawn; the front or back names the field.
struct ImageFailure: Error, CustomStringConvertible {
    var image: PostcardImage
    var reason: String
    /// What to do, when it is more precise than exporting the image again.
    var fix: String? = nil
    var description: String { "\(image) cannot be drawn: \(reason)" }
}
