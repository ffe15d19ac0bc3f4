import Foundation
import RefkitModel
internal import CPangoCairo

/// An image could not be rendered outside a postcard (the email's PNG of an SVG logo).
public struct ImageRenderingError: DiagnosticError, Hashable, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}

extension PostcardImage {
    /// Whether the image is an SVG (by its name or its markup), which Gmail and Outlook's Word
    /// engine do not show: the email layout then needs `pngRendering(pixels:)`.
    public var needsRasterForEmail: Bool { isSVG }

    /// The SVG drawn by librsvg into a transparent square PNG of `pixels` x `pixels`, centred
    /// and kept in proportion. The same bytes give the same PNG (cairo writes no time or
    /// name into it), so an unchanged logo is an unchanged file and the writer skips it.
    /// The SVG goes through the same checks as on a card; a refusal names the file.
    public func pngRendering(pixels: Int, field: String = "theme.logo") throws -> Data {
        do {
            let svg = try SVGImage(self)
            let surface = try CairoSurface(transparentWidth: pixels, height: pixels)
            let cr = try CairoContext(surface)
            let side = Double(pixels)
            let (w, h) = svg.aspect >= 1 ? (side, side / svg.aspect) : (side * svg.aspect, side)
            try svg.draw(on: cr.pointer, x: (side - w) / 2, y: (side - h) / 2, width: w, height: h, image: self)
            try cr.check("drawing \(self)")
            return try surface.pngBytes()
        } catch let failure as ImageFailure {
            throw ImageRenderingError([Diagnostic(SourceLocation(file: description), "\(field): \(failure.description)",
                                                  fix: failure.fix ?? "open it in an image editor and export it again as SVG or PNG")])
        } catch let failure as CairoFailure {
            throw ImageRenderingError([Diagnostic(SourceLocation(file: description), "\(field): \(self) cannot be drawn: \(failure.description)")])
        }
    }
}

extension CairoSurface {
    /// A transparent ARGB image surface of `width` x `height` pixels.
    convenience init(transparentWidth width: Int, height: Int) throws {
        try self.init(imageWidth: width, height: height, format: CAIRO_FORMAT_ARGB32)
    }

    /// The surface as PNG bytes, through cairo's stream writer (no temporary file).
    func pngBytes() throws -> Data {
        let out = PDFBuffer()
        cairo_surface_flush(pointer)
        let status = withExtendedLifetime(out) {
            cairo_surface_write_to_png_stream(pointer, { closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<PDFBuffer>.fromOpaque(closure).takeUnretainedValue().data.append(data, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(out).toOpaque())
        }
        guard status == CAIRO_STATUS_SUCCESS else {
            throw CairoFailure(doing: "writing a PNG", reason: String(cString: cairo_status_to_string(status)))
        }
        return out.data
    }
}
