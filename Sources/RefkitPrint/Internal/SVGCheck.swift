import Foundation

/// What an SVG may contain before librsvg reads it.
///
/// librsvg 2.54 decodes `data:` images with gdk-pixbuf and no size limit: a 1 MB SVG wrapping a
/// 30000 x 30000 PNG took 20 s and 2.7 GB. So every `data:` URL in the document is decoded here
/// and its image's header read: a PNG, JPEG, GIF or BMP over `RasterImage.maximumPixels` is
/// refused, an SVG is checked the same way, and anything whose size cannot be read is refused.
/// The document is read as bytes, not parsed: numeric character references are expanded first
/// (`&#100;ata:` is `data:`), and the things that could hide a URL from a byte scan (compressed
/// SVG, UTF-16 or other non-ASCII-compatible encodings, named entities inside links) are refused.
enum SVGCheck {
    /// Why the SVG is refused and what to do; nil when it may go to librsvg.
    struct Refusal: Error {
        var reason: String
        var fix: String
    }

    static func check(_ bytes: Data, depth: Int = 0) -> Refusal? {
        let b = [UInt8](bytes)
        if let raster = RasterHeader(bytes) {
            return Refusal(reason: "it is a \(raster.kind.rawValue) image, not an SVG", fix: "rename it to end in .\(raster.kind.rawValue.lowercased())")
        }
        if b.starts(with: [0x1F, 0x8B]) {
            return Refusal(reason: "it is a compressed SVG (svgz), which refkit cannot check",
                           fix: "save it as a plain (uncompressed) SVG")
        }
        if b.contains(0) || b.starts(with: [0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE]) {
            return Refusal(reason: "it is not UTF-8 text", fix: "save it as an SVG in UTF-8")
        }
        if let encoding = declaredEncoding(b), !asciiCompatible(encoding) {
            return Refusal(reason: "it declares the encoding \"\(encoding)\", which refkit does not read",
                           fix: "save it as an SVG in UTF-8")
        }
        let text = expandCharacterReferences(b)
        let lower = text.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        // Links: only same-document (#id) and data: references are drawn; librsvg has no base
        // URL and loads nothing else, which would leave a hole in the card without a word.
        for value in attributeValues(named: "href", in: text, lower: lower) {
            let v = String(decoding: value, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if v.hasPrefix("#") || v.lowercased().hasPrefix("data:") || v.isEmpty { continue }
            if v.contains("&") {
                return Refusal(reason: "a link in it is made of entities (\(clip(v)))", fix: "write the link out in full")
            }
            return Refusal(reason: "it refers to \(clip(v)), which refkit does not load",
                           fix: "embed that image in the SVG (most editors have an \"embed images\" option), or save the SVG as PNG")
        }
        // Every data: URL, wherever it stands (attribute, entity, style sheet).
        var from = 0
        while let at = find(Array("data:".utf8), in: lower, from: from) {
            from = at + 5
            // "metadata:" or "Data: 42" in a description is not a URL.
            if at > 0, isSchemeCharacter(lower[at - 1]) { continue }
            let end = urlEnd(text, start: at)
            let url = Array(text[at..<end])
            guard let comma = url.firstIndex(of: UInt8(ascii: ",")),
                  url[5..<comma].allSatisfy({ isMediaTypeCharacter($0) }) else { continue }
            if let refusal = checkDataURL(url, depth: depth) { return refusal }
        }
        return nil
    }

    /// SVG by its name, or by its markup after a BOM, whitespace, comments, processing
    /// instructions and a DOCTYPE; or anything that is not a known raster and carries `<svg`
    /// early on, which is what gdk-pixbuf's own SVG loader looks for.
    static func looksLikeSVG(name: String, bytes: Data) -> Bool {
        let lowerName = name.lowercased()
        if lowerName.hasSuffix(".svg") || lowerName.hasSuffix(".svgz") { return true }
        let head = [UInt8](bytes.prefix(64 * 1024))
        if RasterHeader(bytes) != nil { return false }
        if head.starts(with: [0x1F, 0x8B]) || head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) { return true }
        let lower = head.filter { $0 != 0 }.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        if find(Array("<svg".utf8), in: lower, from: 0) != nil || find(Array(":svg".utf8), in: lower, from: 0) != nil { return true }
        // XML of any kind goes to librsvg, which refuses what is not SVG.
        var i = head.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < head.count, [0x20, 0x09, 0x0A, 0x0D].contains(head[i]) { i += 1 }
        return i < head.count && head[i] == UInt8(ascii: "<")
    }

    private static func checkDataURL(_ url: [UInt8], depth: Int) -> Refusal? {
        let fix = "embed it as a PNG or JPEG of at most \(RasterImage.maximumPixels / 1_000_000) million pixels, or save the SVG as PNG"
        guard let comma = url.firstIndex(of: UInt8(ascii: ",")) else {
            return Refusal(reason: "it embeds a data: URL with no data (\(clip(String(decoding: url.prefix(40), as: UTF8.self))))", fix: fix)
        }
        let header = String(decoding: url[5..<comma], as: UTF8.self).lowercased().filter { !$0.isWhitespace }
        let body = url[(comma + 1)...]
        if body.contains(UInt8(ascii: "&")) {
            return Refusal(reason: "an image embedded in it is written with entities", fix: "write the data: URL out in full")
        }
        let payload: Data?
        if header.hasSuffix(";base64") {
            payload = Data(base64Encoded: Data(body.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }))
        } else {
            payload = String(decoding: body, as: UTF8.self).removingPercentEncoding.map { Data($0.utf8) }
        }
        let kind = header.split(separator: ";").first.map(String.init) ?? ""
        guard let payload else {
            return Refusal(reason: "an image embedded in it (\(kind.isEmpty ? "data:" : kind)) cannot be decoded", fix: fix)
        }
        if let raster = RasterHeader(payload) {
            guard raster.width > 0, raster.height > 0, raster.width * raster.height <= RasterImage.maximumPixels else {
                return Refusal(reason: "it embeds a \(raster.kind.rawValue) image of \(raster.width) x \(raster.height) pixels, more than \(RasterImage.maximumPixels / 1_000_000) million", fix: fix)
            }
            return nil
        }
        if kind == "image/svg+xml" || looksLikeSVG(name: "", bytes: payload) {
            guard depth < 4 else {
                return Refusal(reason: "it nests SVG images more than four deep", fix: "flatten it in your editor")
            }
            return check(payload, depth: depth + 1).map { Refusal(reason: "an SVG embedded in it: \($0.reason)", fix: $0.fix) }
        }
        return Refusal(reason: "it embeds data whose image size cannot be read (\(kind.isEmpty ? "no type" : kind))", fix: fix)
    }

    private static func isSchemeCharacter(_ c: UInt8) -> Bool {
        (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    /// What a data: URL's media type and parameters are made of (RFC 2397, with spaces).
    private static func isMediaTypeCharacter(_ c: UInt8) -> Bool {
        isSchemeCharacter(c) || (0x41...0x5A).contains(c) || [0x20, 0x09, 0x0A, 0x0D].contains(c)
            || Array("/;=_\"%!#$&'*^`{|}~".utf8).contains(c)
    }

    /// The encoding named in `<?xml ... encoding="..."?>`, if any.
    private static func declaredEncoding(_ b: [UInt8]) -> String? {
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < b.count, [0x20, 0x09, 0x0A, 0x0D].contains(b[i]) { i += 1 }
        guard b[i...].starts(with: Array("<?xml".utf8)),
              let close = find(Array("?>".utf8), in: b, from: i) else { return nil }
        let decl = String(decoding: b[i..<close], as: UTF8.self)
        guard let range = decl.range(of: #"encoding\s*=\s*["']([^"']*)["']"#, options: .regularExpression) else { return nil }
        return String(decl[range]).split(whereSeparator: { $0 == "\"" || $0 == "'" }).dropFirst().first.map(String.init) ?? ""
    }

    private static func asciiCompatible(_ encoding: String) -> Bool {
        let e = encoding.lowercased()
        return ["utf-8", "utf8", "us-ascii", "ascii"].contains(e) || e.hasPrefix("iso-8859-") || e.hasPrefix("windows-125")
            || e == "latin1" || e == "latin-1"
    }

    /// `&#NNN;` and `&#xHH;` replaced by the character's UTF-8 bytes; named entities are kept.
    private static func expandCharacterReferences(_ b: [UInt8]) -> [UInt8] {
        guard b.contains(UInt8(ascii: "&")) else { return b }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "&"), i + 2 < b.count, b[i + 1] == UInt8(ascii: "#"),
               let semi = b[(i + 2)...].prefix(12).firstIndex(of: UInt8(ascii: ";")) {
                let digits = String(decoding: b[(i + 2)..<semi], as: UTF8.self)
                let value = digits.lowercased().hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                if let value, let scalar = Unicode.Scalar(value) {
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    i = semi + 1
                    continue
                }
            }
            out.append(b[i])
            i += 1
        }
        return out
    }

    /// The values of every attribute whose local name is `name` (`href`, `xlink:href`, ...).
    private static func attributeValues(named name: String, in text: [UInt8], lower: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        let needle = Array(name.utf8)
        var from = 0
        while let at = find(needle, in: lower, from: from) {
            from = at + needle.count
            // Preceded by whitespace or a prefix's colon, followed by optional space and "=".
            guard at > 0, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ":")].contains(lower[at - 1]) else { continue }
            var i = from
            while i < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[i]) { i += 1 }
            guard i < text.count, text[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < text.count, [0x20, 0x09, 0x0A, 0x0D].contains(text[i]) { i += 1 }
            guard i < text.count, text[i] == UInt8(ascii: "\"") || text[i] == UInt8(ascii: "'") else { continue }
            let quote = text[i]
            let end = text[(i + 1)...].firstIndex(of: quote) ?? text.count
            out.append(text[(i + 1)..<end])
        }
        return out
    }

    /// Where a URL starting at `start` ends: at the quote or parenthesis that opened it, else
    /// at whitespace or markup.
    private static func urlEnd(_ text: [UInt8], start: Int) -> Int {
        var j = start - 1
        while j >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(text[j]) { j -= 1 }
        let opener: UInt8? = j >= 0 ? text[j] : nil
        let closers: Set<UInt8>
        switch opener {
        case UInt8(ascii: "\""): closers = [UInt8(ascii: "\"")]
        case UInt8(ascii: "'"): closers = [UInt8(ascii: "'")]
        case UInt8(ascii: "("): closers = [UInt8(ascii: ")"), UInt8(ascii: "\""), UInt8(ascii: "'")]
        default: closers = [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"), 0x20, 0x09, 0x0A, 0x0D]
        }
        var i = start
        while i < text.count, !closers.contains(text[i]) { i += 1 }
        return i
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first, haystack[(i + 1)..<(i + needle.count)].elementsEqual(needle.dropFirst()) { return i }
            i += 1
        }
        return nil
    }

    private static func clip(_ s: String) -> String {
        s.count > 60 ? "\"\(s.prefix(57))...\"" : "\"\(s)\""
    }
}
