/// A rendered text cut at the places where per-referrer values go: literal byte runs with
/// holes between them. `MessagePrototype` makes these by rendering once with sentinel values
/// and cutting at the sentinels; a draft is then the runs with each hole's value escaped for
/// the context its sentinel landed in.
struct Segmented: Sendable, Equatable {
    /// `holes.count + 1` runs: the text before the first hole, between holes, after the last.
    var runs: [[UInt8]]
    var holes: [Hole]

    /// Which value goes in a hole and how it must be escaped there.
    struct Hole: Sendable, Equatable {
        var slot: Int
        var context: Context
    }

    /// What the rendering pipeline did to the sentinel, read off the form it came out in.
    enum Context: Sendable, Equatable {
        /// As written: the subject and text part (Mustache in text mode, no escaping).
        case raw
        /// A cmark text node in HTML: backslash escapes removed, then `& < > "` escaped.
        case markdownText
        /// A cmark code span or code block in HTML: the Markdown-escaped form, HTML-escaped.
        case markdownCode
        /// A cmark link destination: backslash escapes removed, then cmark's href escaping.
        case markdownHref
        /// A text node in `Markdown.Rendered.text`: backslash escapes removed.
        case plainText
        /// A code node in `Markdown.Rendered.text`: the Markdown-escaped form.
        case plainCode
        /// `{{name}}` in the layout: refkit's HTML escaping by scalar (`Markup.escape`).
        case layoutEscaped
        /// `{{{name}}}` in the layout.
        case layoutRaw
    }

    var byteCount: Int { runs.reduce(0) { $0 + $1.count } }

    /// The runs with `value(hole, &out)` appending each hole's bytes.
    func fill(into out: inout [UInt8], _ value: (Hole, inout [UInt8]) -> Void) {
        out += runs[0]
        for index in holes.indices {
            value(holes[index], &out)
            out += runs[index + 1]
        }
    }
}

/// The private-use code points that mark where a value went. Templates that already contain
/// code points in this block are never prototyped (their text would look like markers).
enum Sentinel {
    /// Message values: slot `i` starts with U+E000+i and ends with U+E400+i.
    static let messageStart: UInt32 = 0xE000
    static let messageEnd: UInt32 = 0xE400
    /// Layout values: slot `j` starts with U+E800+j and ends with U+EC00+j.
    static let layoutStart: UInt32 = 0xE800
    static let layoutEnd: UInt32 = 0xEC00
    static let maxSlots = 0x400

    static func isReserved(_ scalar: Unicode.Scalar) -> Bool { (0xE000...0xEFFF).contains(scalar.value) }

    /// The sentinel for message slot `slot`. The `\&` in the middle tells contexts apart: cmark
    /// turns it into `&amp;` in text, keeps the backslash in code, and Mustache leaves it alone
    /// in text mode.
    static func message(_ slot: Int) -> String {
        String(Unicode.Scalar(messageStart + UInt32(slot))!) + "\\&" + String(Unicode.Scalar(messageEnd + UInt32(slot))!)
    }

    /// The sentinel for layout slot `slot`: the `&` comes out as `&amp;` where Mustache escapes
    /// (`{{name}}`) and as is where it does not (`{{{name}}}`).
    static func layout(_ slot: Int) -> String {
        String(Unicode.Scalar(layoutStart + UInt32(slot))!) + "&" + String(Unicode.Scalar(layoutEnd + UInt32(slot))!)
    }

    /// The forms a sentinel's middle may take and the context each one means.
    typealias Forms = [(middle: [UInt8], context: Segmented.Context)]

    /// Cuts `text` at its sentinels. Nil when a marker is left over, a middle has a form not in
    /// `forms`, or a start and end do not match: the prototype cannot be trusted then.
    /// `hrefContext`: the context of percent-encoded sentinels (cmark's link destinations);
    /// nil rejects them.
    static func cut(_ text: String, start: UInt32, end: UInt32, forms: Forms,
                    hrefContext: Segmented.Context? = nil) -> Segmented? {
        let bytes = Array(text.utf8)
        var runs: [[UInt8]] = []
        var holes: [Segmented.Hole] = []
        var run: [UInt8] = []
        var i = 0
        let n = bytes.count

        // U+E000...U+EFFF is EE 80 80 ... EE BF BF in UTF-8.
        func scalar(at p: Int) -> UInt32? {
            guard p + 2 < n, bytes[p] == 0xEE, bytes[p + 1] & 0xC0 == 0x80, bytes[p + 2] & 0xC0 == 0x80 else { return nil }
            return 0xE000 | (UInt32(bytes[p + 1] & 0x3F) << 6) | UInt32(bytes[p + 2] & 0x3F)
        }
        func hexByte(at p: Int) -> UInt8? {
            guard p + 2 < n, bytes[p] == UInt8(ascii: "%") else { return nil }
            func digit(_ b: UInt8) -> UInt8? {
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - 48
                case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - 55
                default: return nil
                }
            }
            guard let high = digit(bytes[p + 1]), let low = digit(bytes[p + 2]) else { return nil }
            return high << 4 | low
        }
        func percentScalar(at p: Int) -> UInt32? {
            guard let a = hexByte(at: p), a == 0xEE, let b = hexByte(at: p + 3), let c = hexByte(at: p + 6),
                  b & 0xC0 == 0x80, c & 0xC0 == 0x80 else { return nil }
            return 0xE000 | (UInt32(b & 0x3F) << 6) | UInt32(c & 0x3F)
        }
        func matches(_ pattern: [UInt8], at p: Int) -> Bool {
            p + pattern.count <= n && bytes[p..<(p + pattern.count)].elementsEqual(pattern)
        }

        while i < n {
            if let s = scalar(at: i) {
                guard s >= start, s < start + UInt32(maxSlots) else { return nil }
                let slot = Int(s - start)
                var found: (Int, Segmented.Context)?
                for form in forms where matches(form.middle, at: i + 3) {
                    if scalar(at: i + 3 + form.middle.count) == end + UInt32(slot) {
                        found = (i + 3 + form.middle.count + 3, form.context)
                        break
                    }
                }
                guard let (next, context) = found else { return nil }
                runs.append(run)
                run = []
                holes.append(Segmented.Hole(slot: slot, context: context))
                i = next
                continue
            }
            if bytes[i] == UInt8(ascii: "%"), let s = percentScalar(at: i) {
                // cmark percent-encodes the markers in a link destination and writes `&` as `&amp;`.
                guard let hrefContext, s >= start, s < start + UInt32(maxSlots) else { return nil }
                let slot = Int(s - start)
                let amp = Array("&amp;".utf8)
                guard matches(amp, at: i + 9), percentScalar(at: i + 9 + amp.count) == end + UInt32(slot) else { return nil }
                runs.append(run)
                run = []
                holes.append(Segmented.Hole(slot: slot, context: hrefContext))
                i += 9 + amp.count + 9
                continue
            }
            if bytes[i] == 0xEE, i + 2 < n, bytes[i + 1] >= 0x80, bytes[i + 1] <= 0xBF { return nil }
            run.append(bytes[i])
            i += 1
        }
        runs.append(run)
        return Segmented(runs: runs, holes: holes)
    }
}
