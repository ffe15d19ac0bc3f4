import Foundation
internal import CQPDF

/// Page boxes in points, as `[llx lly urx ury]`.
struct PageBox {
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double

    /// The box inset by `inset` points on every side.
    init(width: Double, height: Double, inset: Double) {
        x0 = inset
        y0 = inset
        x1 = width - inset
        y1 = height - inset
    }

    var pdfArray: String {
        func f(_ v: Double) -> String { String(format: "%.4f", v) }
        return "[\(f(x0)) \(f(y0)) \(f(x1)) \(f(y1))]"
    }
}

/// One qpdf document; owns its `qpdf_data` and cleans it up in `deinit`.
///
/// cairo 1.16 writes only a MediaBox, so print-shop files get their TrimBox and BleedBox
/// here. The same pass drops the creation date and makes the /ID from the content, so
/// unchanged cards give unchanged bytes and the writer can skip them.
final class QPDFDocument {
    // Internal, not private: QPDFDocument+PDFX.swift works on the same handle.
    var handle: qpdf_data?
    /// qpdf reads from this buffer without copying it: it must live as long as the handle.
    private let input: Data

    init(_ pdf: Data, description: String) throws {
        input = pdf
        handle = qpdf_init()
        qpdf_silence_errors(handle)  // errors come back to us, not to stderr
        // cairo 1.16 lists a form XObject twice in a page's /XObject dictionary when the page
        // draws it twice (two identical fronts on an office sheet); both keys name the same
        // object, so qpdf's "duplicated key" warning is noise on the user's terminal.
        qpdf_set_suppress_warnings(handle, QPDF_TRUE)
        let status = input.withUnsafeBytes { raw in
            qpdf_read_memory(handle, description, raw.baseAddress!.assumingMemoryBound(to: CChar.self),
                             UInt64(raw.count), nil)
        }
        try check(status, "reading the PDF cairo wrote")
    }

    deinit { qpdf_cleanup(&handle) }

    func check(_ status: QPDF_ERROR_CODE, _ doing: String) throws {
        // Warnings (QPDF_WARNINGS) leave a usable file; only errors stop us.
        guard status & QPDF_ERRORS != 0 || qpdf_has_error(handle) != 0 else { return }
        var reason = "unknown error"
        if let error = qpdf_get_error(handle), let text = qpdf_get_error_full_text(handle, error) {
            reason = String(cString: text)
        }
        throw QPDFFailure(doing: doing, reason: reason)
    }

    var pageCount: Int { Int(qpdf_get_num_pages(handle)) }

    /// Sets TrimBox and BleedBox on every page.
    func setBoxes(trim: PageBox, bleed: PageBox) throws {
        // Every page has the same boxes: format and parse them once (formatting four numbers
        // per box per page was a visible share of the pass), and give every page the same
        // direct objects, which qpdf writes out inline on each page.
        let bleedBox = qpdf_oh_parse(handle, bleed.pdfArray)
        let trimBox = qpdf_oh_parse(handle, trim.pdfArray)
        for index in 0..<pageCount {
            let page = qpdf_get_page_n(handle, index)
            qpdf_oh_replace_key(handle, page, "/BleedBox", bleedBox)
            qpdf_oh_replace_key(handle, page, "/TrimBox", trimBox)
        }
        // Object handles stay allocated until released; 500 pages is a few thousand at most.
        qpdf_oh_release_all(handle)
        if qpdf_has_error(handle) != 0 { try check(QPDF_ERRORS, "setting page boxes") }
    }

    /// Removes the creation date cairo writes, so the same cards give the same bytes.
    func removeDates() {
        let trailer = qpdf_get_trailer(handle)
        let info = qpdf_oh_get_key(handle, trailer, "/Info")
        if qpdf_oh_is_dictionary(handle, info) != 0 {
            qpdf_oh_remove_key(handle, info, "/CreationDate")
            qpdf_oh_remove_key(handle, info, "/ModDate")
        }
        qpdf_oh_release_all(handle)
    }

    /// Writes the document to memory, with an /ID made from the content.
    /// `version` forces the header's PDF version (write parameters exist only from here on).
    func write(version: String? = nil) throws -> Data {
        try check(qpdf_init_write_memory(handle), "preparing to write the PDF")
        if let version { qpdf_force_pdf_version(handle, version) }
        qpdf_set_deterministic_ID(handle, 1)
        // Copy cairo's compressed streams as they are: qpdf's default decodes and recompresses
        // every Flate stream, which doubled the zlib time for nothing.
        qpdf_set_decode_level(handle, qpdf_dl_none)
        try check(qpdf_write(handle), "writing the PDF")
        let length = qpdf_get_buffer_length(handle)
        guard let bytes = qpdf_get_buffer(handle) else { throw QPDFFailure(doing: "writing the PDF", reason: "no output") }
        // The buffer belongs to qpdf and goes with qpdf_cleanup: copy it now.
        return Data(bytes: bytes, count: length)
    }
}

struct QPDFFailure: Error, CustomStringConvertible {
    var doing: String
    var reason: String
    var description: String { "\(doing) failed: \(reason)" }
}
