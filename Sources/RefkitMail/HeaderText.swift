/// Everything that turns a value into header text: cleaning, RFC 2047 encoded words and
/// folding.
///
/// Values reach headers from a CSV anyone may have edited, so cleaning is not optional: a
/// CR or LF would start a new header (`Bob\r\nBcc: x@evil`), and bidi overrides or zero-width
/// characters let a name or subject read differently from what it is.
enum HeaderText {
    /// The longest header line we write, without its CRLF (RFC 5322 2.1.1 "SHOULD").
    static let lineLimit = 78
    /// The longest encoded word (RFC 2047 2).
    static let wordLimit = 75

    // MARK: Cleaning

    /// Turns control characters and line or paragraph separators into spaces, drops invisible
    /// formatting characters, collapses runs of breaking white space and trims the ends.
    ///
    /// No-break spaces (U+00A0, U+202F) are kept: French puts them before `!` and `?`.
    static func clean(_ text: String) -> String {
        // Most values are clean already; a pass over the bytes says so without building a
        // new string (the scalar walk below was the largest cost of a prototyped draft).
        if isClean(text) { return text }
        // Into UTF-8 bytes, not a `String.UnicodeScalarView`: appending scalar by scalar to
        // a string was most of this walk, which every draft's preheader takes (its text has
        // line breaks).
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            let v = scalar.value
            if isBreakingSpaceOrControl(v) {
                pendingSpace = !out.isEmpty
                continue
            }
            if isInvisible(v) {
                // Zero-width joiners are part of emoji sequences and of Indic and Arabic
                // spelling; they stay only between two non-ASCII characters, where they join
                // something, and go everywhere else (`pay\u{200D}pal`).
                let joins = (v == 0x200C || v == 0x200D)
                    && i > 0 && i + 1 < scalars.count
                    && !scalars[i - 1].isASCII && !scalars[i + 1].isASCII
                    && !isInvisible(scalars[i - 1].value) && !isInvisible(scalars[i + 1].value)
                if !joins { continue }
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            appendUTF8(v, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The UTF-8 bytes of the scalar `v`.
    private static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6)); out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12)); out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18)); out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F)); out.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// True when `clean` would return `text` unchanged: no controls, no leading, trailing or
    /// double spaces, and none of the lead bytes of the scalars `clean` removes or replaces
    /// (C2: C1 controls; D8: U+061C; E1: U+180E; E2: U+2028, U+200B..., U+202A...; EF: U+FEFF).
    /// Conservative: a text with those lead bytes (an é is C3, kana E3) takes the full walk.
    static func isClean(_ text: String) -> Bool {
        var previousSpace = true
        for byte in text.utf8 {
            if byte == 0x20 {
                if previousSpace { return false }
                previousSpace = true
                continue
            }
            previousSpace = false
            if byte < 0x20 || byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE1 || byte == 0xE2 || byte == 0xEF { return false }
        }
        return !previousSpace || text.utf8.isEmpty
    }

    private static func isBreakingSpaceOrControl(_ v: UInt32) -> Bool {
        v < 0x21 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029
    }

    /// Bidi embeddings, overrides and isolates, directional marks, zero-width characters and
    /// the byte order mark.
    static func isInvisible(_ v: UInt32) -> Bool {
        switch v {
        case 0x061C, 0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F, 0xFEFF: return true
        default: return false
        }
    }

    // MARK: Encoded words (RFC 2047)

    enum WordEncoding {
        /// `Q`: readable when the text is mostly ASCII (French, Malay).
        case q
        /// `B`: shorter for CJK.
        case b
    }

    /// The bytes `Q` may leave as they are in any header, phrases included (RFC 2047 5 (3)).
    private static func isQSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"):
            return true
        default:
            return false
        }
    }

    private static func qLength<C: Collection<UInt8>>(_ bytes: C) -> Int {
        bytes.reduce(0) { $0 + (isQSafe($1) || $1 == 0x20 ? 1 : 3) }
    }

    private static func payloadLength(_ byteCount: Int, _ qCount: Int, _ encoding: WordEncoding) -> Int {
        switch encoding {
        case .b: return (byteCount + 2) / 3 * 4
        case .q: return qCount
        }
    }

    /// `=?UTF-8?X?` and `?=`.
    private static let wordOverhead = 12

    /// Splits `text` into encoded words. The first word fits in `firstRoom` characters, the
    /// others in 75. Words break between grapheme clusters, so no character (and no accented
    /// letter or emoji sequence) is split across two words; a single cluster too long for one
    /// word is split between Unicode scalars, never inside one.
    static func encodedWords(_ text: String, firstRoom: Int) -> [String] {
        let all = Array(text.utf8)
        // Q stays readable in the file, so it wins unless it is half as long again as B.
        let encoding: WordEncoding = qLength(all) * 2 <= payloadLength(all.count, 0, .b) * 3 ? .q : .b
        var words: [String] = []
        var chunk: [UInt8] = []
        var chunkQ = 0

        func room() -> Int { min(wordLimit, words.isEmpty ? firstRoom : wordLimit) - wordOverhead }
        func fits(_ extra: [UInt8]) -> Bool {
            payloadLength(chunk.count + extra.count, chunkQ + qLength(extra), encoding) <= room()
        }
        func flush() {
            guard !chunk.isEmpty else { return }
            words.append(word(chunk, encoding))
            chunk.removeAll(keepingCapacity: true)
            chunkQ = 0
        }
        func add(_ bytes: [UInt8]) {
            chunk += bytes
            chunkQ += qLength(bytes)
        }

        for character in text {
            let bytes = Array(character.utf8)
            if fits(bytes) { add(bytes); continue }
            flush()
            if fits(bytes) { add(bytes); continue }
            // A cluster longer than a whole word (a long emoji sequence, a letter with many
            // combining marks): split it between scalars.
            for scalar in character.unicodeScalars {
                let scalarBytes = Array(scalar.utf8)
                if !fits(scalarBytes) { flush() }
                add(scalarBytes)
            }
        }
        flush()
        return words
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    private static func word(_ bytes: [UInt8], _ encoding: WordEncoding) -> String {
        switch encoding {
        case .b:
            return "=?UTF-8?B?" + Base64.encode(bytes) + "?="
        case .q:
            var out = Array("=?UTF-8?Q?".utf8)
            for byte in bytes {
                if isQSafe(byte) {
                    out.append(byte)
                } else if byte == 0x20 {
                    out.append(UInt8(ascii: "_"))
                } else {
                    out += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                }
            }
            out += Array("?=".utf8)
            return String(decoding: out, as: UTF8.self)
        }
    }

    // MARK: Folding

    /// Joins `tokens` with single spaces after `Name: `, breaking the line before a token
    /// whenever the line would pass 78 characters. Returns the header with its CRLF.
    static func fold(name: String, tokens: [String]) -> String {
        var out = name + ":"
        var lineLength = out.utf8.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > lineLimit, lineLength > name.utf8.count + 1 {
                out += "\r\n"
                lineLength = 0
            }
            out += " " + token
            lineLength += 1 + length
        }
        return out + "\r\n"
    }

    /// An unstructured header such as `Subject`: plain ASCII words when they fold within 78
    /// characters, encoded words otherwise.
    static func unstructured(name: String, value: String) -> String {
        let value = clean(value)
        let words = value.split(separator: " ").map(String.init)
        if isPlainASCII(value) {
            let first = name.utf8.count + 2
            let fitsPlain = words.enumerated().allSatisfy { i, word in
                word.utf8.count + (i == 0 ? first : 1) <= lineLimit
            }
            if fitsPlain { return fold(name: name, tokens: words) }
        }
        return fold(name: name, tokens: encodedWords(value, firstRoom: lineLimit - name.utf8.count - 2))
    }

    /// An address header: `Name: display name <address>` with the name as an atom sequence,
    /// a quoted string or encoded words.
    static func mailbox(name: String, displayName: String?, address: String) -> String {
        let display = clean(displayName ?? "")
        guard !display.isEmpty else { return fold(name: name, tokens: [address]) }
        let first = name.utf8.count + 2
        var tokens: [String]
        if isPlainASCII(display) {
            let phrase = display.unicodeScalars.allSatisfy(isAtext) ? display : quoted(display)
            tokens = phrase.split(separator: " ").map(String.init)
            let fitsPlain = tokens.enumerated().allSatisfy { i, word in
                word.utf8.count + (i == 0 ? first : 1) <= lineLimit
            }
            if !fitsPlain { tokens = encodedWords(display, firstRoom: lineLimit - first) }
        } else {
            tokens = encodedWords(display, firstRoom: lineLimit - first)
        }
        return fold(name: name, tokens: tokens + ["<" + address + ">"])
    }

    /// Printable ASCII that cannot be mistaken for an encoded word.
    private static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { (0x20...0x7E).contains($0) } && !text.contains("=?")
    }

    /// RFC 5322 atext plus the space between atoms.
    private static func isAtext(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        let c = Character(scalar)
        return c.isLetter || c.isNumber || "!#$%&'*+-/=?^_`{|}~ ".contains(c)
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
