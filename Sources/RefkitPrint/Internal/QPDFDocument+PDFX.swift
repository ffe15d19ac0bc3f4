import Foundation
internal import CQPDF

/// What the PDF/X pass needs from qpdf: black as DeviceGray before Ghostscript, and after it
/// the page boxes, the XMP metadata PDF/X-4 asks for, and a check that no RGB is left.
extension QPDFDocument {
    /// Rewrites pure RGB black as DeviceGray in every content stream: the pages' and those of
    /// the form XObjects cairo makes of the front and the back's shared part (see `BlackAsGray`).
    func drawBlackAsGray() throws {
        for stream in contentStreams() {
            var filtered: QPDF_BOOL = QPDF_FALSE
            var buffer: UnsafeMutablePointer<UInt8>?
            var length = 0
            try check(qpdf_oh_get_stream_data(handle, stream, qpdf_dl_generalized, &filtered, &buffer, &length), "reading a content stream")
            guard let buffer else { continue }
            defer { free(buffer) }
            // A stream qpdf cannot decode is left as it is (cairo writes Flate only).
            guard filtered != QPDF_FALSE else { continue }
            let rewritten = BlackAsGray.rewrite(Array(UnsafeBufferPointer(start: buffer, count: length)))
            rewritten.withUnsafeBufferPointer {
                qpdf_oh_replace_stream_data(handle, stream, $0.baseAddress, $0.count, qpdf_oh_new_null(handle), qpdf_oh_new_null(handle))
            }
        }
        qpdf_oh_release_all(handle)
        if qpdf_has_error(handle) != 0 { try check(QPDF_ERRORS, "rewriting black as gray") }
    }

    /// Turns [front, back 1, ..., back N] into [front, back 1, front, back 2, ...]: each
    /// repeated front is a page dictionary sharing the first one's content and resources
    /// (qpdf makes a shallow copy of a page added twice), so the front costs its bytes once.
    func repeatFirstPageBeforeEachOther() throws {
        let count = pageCount
        guard count >= 2 else { return }
        let front = qpdf_get_page_n(handle, 0)
        let backs = (1..<count).map { qpdf_get_page_n(handle, $0) }
        for page in [front] + backs {
            try check(qpdf_remove_page(handle, page), "taking the pages apart")
        }
        for back in backs {
            try check(qpdf_add_page(handle, handle, front, QPDF_FALSE), "repeating the front")
            try check(qpdf_add_page(handle, handle, back, QPDF_FALSE), "putting back a back")
        }
    }

    /// Gives every transparency group (cairo puts one on each page and form) the output
    /// intent's CMYK as its blending space. Ghostscript converts the colours inside and keeps
    /// the groups (PDF/X-4 allows transparency), but leaves their `/CS /DeviceRGB`, which
    /// PDF/X forbids once the output intent is CMYK.
    func setGroupSpacesToCMYK() throws {
        let size = qpdf_oh_get_int_value_as_int(handle, qpdf_oh_get_key(handle, qpdf_get_trailer(handle), "/Size"))
        for id in 1..<max(1, size) {
            let oh = qpdf_get_object_by_id(handle, id, 0)
            let dict = qpdf_oh_is_stream(handle, oh) != 0 ? qpdf_oh_get_dict(handle, oh) : oh
            guard qpdf_oh_is_dictionary(handle, dict) != 0 else { continue }
            for group in [dict, qpdf_oh_get_key(handle, dict, "/Group")] where qpdf_oh_is_dictionary(handle, group) != 0 {
                let space = qpdf_oh_get_key(handle, group, "/CS")
                if qpdf_oh_is_name_and_equals(handle, qpdf_oh_get_key(handle, group, "/S"), "/Transparency") != 0,
                   qpdf_oh_is_name_and_equals(handle, space, "/DeviceRGB") != 0 {
                    qpdf_oh_replace_key(handle, group, "/CS", qpdf_oh_new_name(handle, "/DeviceCMYK"))
                }
            }
        }
        qpdf_oh_release_all(handle)
        if qpdf_has_error(handle) != 0 { try check(QPDF_ERRORS, "setting the blending colour space") }
    }

    /// Page content streams and form XObjects, each once.
    private func contentStreams() -> [qpdf_oh] {
        var streams: [qpdf_oh] = []
        var seen = Set<Int32>()
        func add(_ oh: qpdf_oh) {
            guard qpdf_oh_is_stream(handle, oh) != 0 else { return }
            let id = qpdf_oh_get_object_id(handle, oh)
            guard id == 0 || seen.insert(id).inserted else { return }
            streams.append(oh)
        }
        for index in 0..<pageCount {
            let contents = qpdf_oh_get_key(handle, qpdf_get_page_n(handle, index), "/Contents")
            if qpdf_oh_is_array(handle, contents) != 0 {
                for item in 0..<qpdf_oh_get_array_n_items(handle, contents) { add(qpdf_oh_get_array_item(handle, contents, item)) }
            } else {
                add(contents)
            }
        }
        // Form XObjects and tiling patterns may sit anywhere in the resource tree: walk the
        // objects instead (a few thousand in a file of 500 cards).
        let size = qpdf_oh_get_int_value_as_int(handle, qpdf_oh_get_key(handle, qpdf_get_trailer(handle), "/Size"))
        for id in 1..<max(1, size) {
            let oh = qpdf_get_object_by_id(handle, id, 0)
            guard qpdf_oh_is_stream(handle, oh) != 0 else { continue }
            let dict = qpdf_oh_get_dict(handle, oh)
            let subtype = qpdf_oh_get_key(handle, dict, "/Subtype")
            let patternType = qpdf_oh_get_key(handle, dict, "/PatternType")
            if qpdf_oh_is_name_and_equals(handle, subtype, "/Form") != 0 || qpdf_oh_get_int_value_as_int(handle, patternType) == 1 {
                add(oh)
            }
        }
        return streams
    }

    /// Adds the XMP metadata stream PDF/X-4 requires (ISO 15930-7: `pdfxid:GTS_PDFXVersion`,
    /// document and version IDs, rendition class, dates, title, trapped), matching the
    /// document information Ghostscript wrote. Ghostscript 10.0 writes none for PDF/X.
    func addPDFX4Metadata(title: String, date: Date) {
        let stamp = ISO8601DateFormatter().string(from: date)
        // From the title (which names the file) and the day, not random: the same cards on the
        // same day give the same bytes, so the writer can keep an unchanged file.
        let documentID = Self.stableID(title + "\u{0}" + stamp)
        let xmp = """
        <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
         <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <rdf:Description rdf:about=""
            xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"
            xmlns:dc="http://purl.org/dc/elements/1.1/"
            xmlns:xmp="http://ns.adobe.com/xap/1.0/"
            xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
            xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
           <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
           <dc:format>application/pdf</dc:format>
           <dc:title><rdf:Alt><rdf:li xml:lang="x-default">\(Self.xmlEscaped(title))</rdf:li></rdf:Alt></dc:title>
           <xmp:CreateDate>\(stamp)</xmp:CreateDate>
           <xmp:ModifyDate>\(stamp)</xmp:ModifyDate>
           <xmp:MetadataDate>\(stamp)</xmp:MetadataDate>
           <xmp:CreatorTool>refkit</xmp:CreatorTool>
           <xmpMM:DocumentID>uuid:\(documentID)</xmpMM:DocumentID>
           <xmpMM:InstanceID>uuid:\(documentID)</xmpMM:InstanceID>
           <xmpMM:VersionID>1</xmpMM:VersionID>
           <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
           <pdf:Trapped>False</pdf:Trapped>
          </rdf:Description>
         </rdf:RDF>
        </x:xmpmeta>
        <?xpacket end="w"?>
        """
        let bytes = Array(xmp.utf8)
        let stream = qpdf_oh_new_stream(handle)
        bytes.withUnsafeBufferPointer {
            qpdf_oh_replace_stream_data(handle, stream, $0.baseAddress, $0.count, qpdf_oh_new_null(handle), qpdf_oh_new_null(handle))
        }
        let dict = qpdf_oh_get_dict(handle, stream)
        qpdf_oh_replace_key(handle, dict, "/Type", qpdf_oh_new_name(handle, "/Metadata"))
        qpdf_oh_replace_key(handle, dict, "/Subtype", qpdf_oh_new_name(handle, "/XML"))
        qpdf_oh_replace_key(handle, qpdf_get_root(handle), "/Metadata", stream)
        qpdf_oh_release_all(handle)
    }

    /// A UUID-shaped FNV-1a hash of `text` (two 64-bit halves with different offsets).
    private static func stableID(_ text: String) -> String {
        func fnv(_ offset: UInt64) -> UInt64 {
            var h = offset
            for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
            return h
        }
        let hex = String(format: "%016llx%016llx", fnv(0xcbf29ce484222325), fnv(0x84222325cbf29ce4))
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }

    private static func xmlEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 has no place for most control characters.
                if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
