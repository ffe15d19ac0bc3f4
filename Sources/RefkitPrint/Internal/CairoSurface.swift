import Foundation
internal import CPangoCairo
import RefkitQR

/// Collects the bytes cairo's PDF surface writes through its stream callback.
final class PDFBuffer {
    var data = Data()
}

/// One cairo surface; owns its `cairo_surface_t` and destroys it in `deinit`.
final class CairoSurface {
    let pointer: OpaquePointer
    /// Keeps the PDF byte buffer alive as long as cairo may write into it (until destroy).
    private let buffer: PDFBuffer?

    /// A PDF surface that writes into `buffer` instead of a file, so a finished file can go
    /// through qpdf and to the sink without touching the disk.
    init(pdfInto buffer: PDFBuffer, widthPt: Double, heightPt: Double) throws {
        // cairo wants a C function pointer, so the closure captures nothing and finds the
        // buffer through `closure`; the surface holds the buffer, which outlives every call.
        let pointer = cairo_pdf_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let buffer = Unmanaged<PDFBuffer>.fromOpaque(closure).takeUnretainedValue()
            buffer.data.append(data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(buffer).toOpaque(), widthPt, heightPt)!
        self.pointer = pointer
        self.buffer = buffer
        try check("creating a PDF surface")
    }

    /// Records drawing for replay: the front of a card is drawn once and replayed on every
    /// page, which cairo's PDF backend writes once per file as a form XObject.
    init(recordingX x: Double, y: Double, width: Double, height: Double) throws {
        var extents = cairo_rectangle_t(x: x, y: y, width: width, height: height)
        pointer = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents)!
        buffer = nil
        try check("creating a recording surface")
    }

    /// An opaque image surface of `width` x `height` pixels, to draw into and paint as one image.
    convenience init(opaqueWidth width: Int, height: Int) throws {
        try self.init(imageWidth: width, height: height, format: CAIRO_FORMAT_RGB24)
    }

    init(imageWidth width: Int, height: Int, format: cairo_format_t) throws {
        pointer = cairo_image_surface_create(format, Int32(width), Int32(height))!
        buffer = nil
        try check("creating an image surface")
    }

    /// Decodes PNG bytes.
    init(png: Data) throws {
        final class Reader {
            let data: Data
            var offset = 0
            init(_ data: Data) { self.data = data }
        }
        let reader = Reader(png)
        // Non-capturing for the same reason as the PDF stream: context goes through `closure`.
        pointer = withExtendedLifetime(reader) {
            cairo_image_surface_create_from_png_stream({ closure, out, length in
                guard let closure, let out else { return CAIRO_STATUS_READ_ERROR }
                let reader = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
                let count = Int(length)
                guard reader.offset + count <= reader.data.count else { return CAIRO_STATUS_READ_ERROR }
                reader.data.copyBytes(to: out, from: reader.offset..<(reader.offset + count))
                reader.offset += count
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(reader).toOpaque())!
        }
        buffer = nil
        try check("reading the PNG image")
    }

    /// An image surface holding a decoded raster image. With `jpeg` set, cairo's PDF writer
    /// embeds those bytes as they are (DCTDecode) instead of Flate-compressing the pixels:
    /// a photo stays the size of its JPEG.
    init(raster: RasterImage) throws {
        let format = raster.hasAlpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24
        pointer = cairo_image_surface_create(format, Int32(raster.width), Int32(raster.height))!
        buffer = nil
        try check("creating an image surface")
        cairo_surface_flush(pointer)
        guard let data = cairo_image_surface_get_data(pointer) else {
            throw CairoFailure(doing: "creating an image surface", reason: "no pixel buffer")
        }
        let stride = Int(cairo_image_surface_get_stride(pointer))
        raster.pixels.withUnsafeBytes { source in
            for row in 0..<raster.height {
                memcpy(data + row * stride, source.baseAddress! + row * raster.width * 4, raster.width * 4)
            }
        }
        cairo_surface_mark_dirty(pointer)
        if let jpeg = raster.jpeg, let copy = malloc(jpeg.count) {
            jpeg.copyBytes(to: copy.assumingMemoryBound(to: UInt8.self), count: jpeg.count)
            // cairo owns the copy from here and frees it with the surface.
            let status = cairo_surface_set_mime_data(pointer, CAIRO_MIME_TYPE_JPEG, copy.assumingMemoryBound(to: UInt8.self),
                                                     UInt(jpeg.count), { free($0) }, copy)
            if status != CAIRO_STATUS_SUCCESS { free(copy) }
        }
    }

    /// A one-bit mask of `qr`'s dark modules, one pixel per module, for `CairoContext.mask`.
    ///
    /// Drawn as paths, a QR code was about 350 rectangles of eight numbers each per card side,
    /// and cairo's number formatting and zlib over those paths were most of the time spent on a
    /// card. cairo writes an A1 image used as a mask with a solid colour as a PDF stencil mask
    /// (`/ImageMask true`, one bit per module, `/Interpolate false` with the nearest filter):
    /// a couple of hundred bytes, and one image, so no seams between modules either.
    init(stencilOf qr: QRMatrix) throws {
        let size = qr.size
        pointer = cairo_image_surface_create(CAIRO_FORMAT_A1, Int32(size), Int32(size))!
        buffer = nil
        try check("creating the QR code's mask")
        cairo_surface_flush(pointer)
        guard let data = cairo_image_surface_get_data(pointer) else {
            throw CairoFailure(doing: "creating the QR code's mask", reason: "no pixel buffer")
        }
        let stride = Int(cairo_image_surface_get_stride(pointer))
        let raw = UnsafeMutableRawPointer(data)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: stride * size)
        // A1 packs pixels into 32-bit words in the platform's bit order: on little-endian
        // machines the leftmost pixel is bit 0 of the word (cairo's own CAIRO_BITSWAP8 rule).
        for run in qr.runs {
            let row = raw + run.row * stride
            for column in run.startColumn..<(run.startColumn + run.length) {
                let word = (row + (column >> 5) * 4).assumingMemoryBound(to: UInt32.self)
                #if _endian(little)
                word.pointee |= UInt32(1) << UInt32(column & 31)
                #else
                word.pointee |= UInt32(0x8000_0000) >> UInt32(column & 31)
                #endif
            }
        }
        cairo_surface_mark_dirty(pointer)
    }

    deinit { cairo_surface_destroy(pointer) }

    var imageWidth: Int { Int(cairo_image_surface_get_width(pointer)) }
    var imageHeight: Int { Int(cairo_image_surface_get_height(pointer)) }

    func setMetadata(title: String) {
        cairo_pdf_surface_set_metadata(pointer, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(pointer, CAIRO_PDF_METADATA_CREATOR, "refkit")
    }

    /// Writes the rest of the PDF and returns every byte written so far.
    func finishPDF() throws -> Data {
        cairo_surface_finish(pointer)
        try check("finishing the PDF")
        guard let buffer else { return Data() }
        let data = buffer.data
        buffer.data = Data()
        return data
    }

    func check(_ doing: String) throws {
        let status = cairo_surface_status(pointer)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw CairoFailure(doing: doing, reason: String(cString: cairo_status_to_string(status)))
        }
    }
}

/// A cairo call failed; the renderer turns it into a `PrintError` naming the field.
struct CairoFailure: Error, CustomStringConvertible {
    var doing: String
    var reason: String
    var description: String { "\(doing) failed: \(reason)" }
}
