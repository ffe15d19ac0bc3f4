/// Rewrites a PDF content stream so that pure black fill and stroke colours cairo writes as
/// DeviceRGB (`0 0 0 rg`, `0 0 0 RG`) become DeviceGray (`0 g`, `0 G`).
///
/// Why: Ghostscript converts DeviceRGB black to CMYK through the ICC profiles as rich black
/// (about 72/68/67/88 with its default profiles), so black text and the QR code's modules
/// would print on all four plates and blur when they misregister. DeviceGray is left as it is
/// by `-sColorConversionStrategy=CMYK` and prints on the black plate only; PDF/X-1a and X-4
/// allow it. Ghostscript's `-dBlackText`/`-dBlackVector` were tried: they turn every dark
/// colour (the brand's brown too) black. `-dUseFastColor` gives 1/1/1/0. qpdf's C API has no
/// content tokenizer, so this is a small one: it skips strings, hex strings, comments and
/// inline image data, so bytes inside them are never taken for operators.
enum BlackAsGray {
    static func rewrite(_ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.count)
        // The start of the last three tokens in `out` and whether each was a number equal to 0.
        var recent: [(start: Int, zero: Bool)] = []
        var i = 0
        let n = content.count

        func isWhite(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == 0x0C || c == 0x00 }
        func isDelimiter(_ c: UInt8) -> Bool { "()<>[]{}/%".utf8.contains(c) }
        func push(_ start: Int, zero: Bool) {
            recent.append((start, zero))
            if recent.count > 3 { recent.removeFirst() }
        }

        while i < n {
            let c = content[i]
            if isWhite(c) {
                out.append(c)
                i += 1
                continue
            }
            let start = out.count
            switch c {
            case UInt8(ascii: "%"):
                // A comment, to the end of the line.
                while i < n && content[i] != 0x0A && content[i] != 0x0D { out.append(content[i]); i += 1 }
                continue
            case UInt8(ascii: "("):
                // A literal string: balanced parentheses, backslash escapes.
                var depth = 0
                while i < n {
                    let b = content[i]
                    out.append(b)
                    i += 1
                    if b == UInt8(ascii: "\\"), i < n { out.append(content[i]); i += 1; continue }
                    if b == UInt8(ascii: "(") { depth += 1 }
                    if b == UInt8(ascii: ")") { depth -= 1; if depth == 0 { break } }
                }
                push(start, zero: false)
                continue
            case UInt8(ascii: "<"):
                if i + 1 < n && content[i + 1] == UInt8(ascii: "<") {
                    out.append(contentsOf: content[i...(i + 1)])
                    i += 2
                } else {
                    while i < n { let b = content[i]; out.append(b); i += 1; if b == UInt8(ascii: ">") { break } }
                }
                push(start, zero: false)
                continue
            case UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ")"):
                out.append(c)
                i += 1
                push(start, zero: false)
                continue
            default:
                break
            }
            // A regular token (number, operator) or a name (`/` then regular characters).
            var j = i + 1
            while j < n && !isWhite(content[j]) && !isDelimiter(content[j]) { j += 1 }
            let token = content[i..<j]
            i = j
            if token.elementsEqual("rg".utf8) || token.elementsEqual("RG".utf8), recent.count == 3, recent.allSatisfy(\.zero) {
                out.removeSubrange(recent[0].start...)
                out.append(contentsOf: token.first == UInt8(ascii: "r") ? Array("0 g".utf8) : Array("0 G".utf8))
                recent.removeAll()
                continue
            }
            out.append(contentsOf: token)
            if token.elementsEqual("ID".utf8) {
                // Inline image data: copy through to the `EI` that follows white space.
                while i < n {
                    if isWhite(content[i]), i + 2 < n + 0, content[i + 1] == UInt8(ascii: "E"), content[i + 2] == UInt8(ascii: "I"),
                       i + 3 == n || isWhite(content[i + 3]) || isDelimiter(content[i + 3]) {
                        break
                    }
                    out.append(content[i])
                    i += 1
                }
                recent.removeAll()
                continue
            }
            let zero = token.first != UInt8(ascii: "/") && Double(String(decoding: token, as: UTF8.self)) == 0
            push(start, zero: zero)
        }
        return out
    }
}
