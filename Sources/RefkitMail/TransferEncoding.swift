import Foundation

/// How a MIME part's body is written (RFC 2045 6). Both keep lines within 76 characters.
enum TransferEncoding: String {
    case quotedPrintable = "quoted-printable"
    case base64

    /// Quoted-printable keeps Latin text readable in the file; base64 is a third of the size
    /// for CJK, where nearly every byte would become `=XX`.
    static func choose(for text: String) -> TransferEncoding {
        choose(for: Array(text.utf8))
    }

    static func choose(for bytes: [UInt8]) -> TransferEncoding {
        var nonASCII = 0
        for byte in bytes where byte >= 0x80 { nonASCII += 1 }
        return nonASCII * 5 > bytes.count ? .base64 : .quotedPrintable
    }

    /// Encodes `text`, whose lines end in LF, with CRLF line ends.
    func encode(_ text: String) -> String {
        var out: [UInt8] = []
        encode(Array(text.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the encoding of `bytes` (UTF-8 text with CRLF, CR or LF line ends) to `out`,
    /// with CRLF line ends and lines of at most 76 characters.
    func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
        switch self {
        case .base64:
            Base64.encodeLines(Self.crlf(bytes), into: &out)
        case .quotedPrintable:
            QuotedPrintable.encode(bytes, into: &out)
        }
    }

    /// CRLF, CR and LF each become CRLF.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16 + 2)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 13 || byte == 10 {
                out.append(13); out.append(10)
                if byte == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
            } else {
                out.append(byte)
            }
            i += 1
        }
        return out
    }
}

enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Base64 in lines of 76 characters (57 input bytes), each ending in CRLF.
    static func encodeLines(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + bytes.count * 4 / 3 + bytes.count / 28 + 8)
        var i = 0
        var column = 0
        let n = bytes.count
        while i + 3 <= n {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(alphabet[Int(v >> 6 & 63)]); out.append(alphabet[Int(v & 63)])
            i += 3
            column += 4
            if column == 76 { out.append(13); out.append(10); column = 0 }
        }
        if i < n {
            let rest = n - i
            let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
            out.append(alphabet[Int(v >> 18 & 63)]); out.append(alphabet[Int(v >> 12 & 63)])
            out.append(rest == 2 ? alphabet[Int(v >> 6 & 63)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
            column += 4
        }
        if column > 0 { out.append(13); out.append(10) }
    }
}

enum QuotedPrintable {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// RFC 2045 6.7, with hard line breaks as CRLF and soft breaks (`=`) so that no line
    /// passes 76 characters. `From ` at the start of a line is written `=46rom ` so that an
    /// mbox reader never takes it for a message separator, and a leading `.` as `=2E` so that
    /// SMTP never takes it for the end of the message.
    static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        encode(Array(text.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ input: [UInt8], into out: inout [UInt8]) {
        // One pass over the bytes into a buffer sized for the worst case, written through a
        // pointer: this runs over every byte of every part of every draft, and `Array.append`
        // per byte (capacity and uniqueness checks) was a seventh of a draft's instructions.
        // Worst case: every byte as `=XX` (a line end becomes two), plus a soft break (`=` CRLF)
        // per 25 of those, plus the CRLF of an empty input.
        let n = input.count
        let capacity = n * 3 + (n / 25 + 1) * 3 + 2
        let hex = Self.hex
        let encoded = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, written in
            var o = 0
            input.withUnsafeBufferPointer { input in
                var lineStart = 0
                while lineStart < n || (lineStart == 0 && n == 0) {
                    var lineEnd = lineStart
                    while lineEnd < n, input[lineEnd] != 10, input[lineEnd] != 13 { lineEnd += 1 }
                    var column = 0
                    var i = lineStart
                    while i < lineEnd {
                        let byte = input[i]
                        // Most bytes: printable but `=` (or a space with more of the line after
                        // it), past the line's start, with room on the line. The checks below
                        // give them the same treatment, with more branches per byte.
                        if i != lineStart, column < 75, (byte &- 33 < 94 && byte != 0x3D) || (byte == 0x20 && i + 1 < lineEnd) {
                            buffer[o] = byte
                            o += 1
                            column += 1
                            i += 1
                            continue
                        }
                        let isLast = i == lineEnd - 1
                        let literal: Bool
                        if i == lineStart, byte == 0x46, lineEnd - i >= 5,
                           input[i + 1] == 0x72, input[i + 2] == 0x6F, input[i + 3] == 0x6D, input[i + 4] == 0x20 {
                            literal = false
                        } else if i == lineStart, byte == 0x2E {
                            literal = false
                        } else {
                            literal = (byte >= 33 && byte <= 126 && byte != 0x3D) || ((byte == 0x20 || byte == 0x09) && !isLast)
                        }
                        let width = literal ? 1 : 3
                        // Keep room for the `=` of a soft break unless this is the line's last piece.
                        if column + width > (isLast ? 76 : 75) {
                            buffer[o] = 0x3D; buffer[o + 1] = 13; buffer[o + 2] = 10
                            o += 3
                            column = 0
                        }
                        if literal {
                            buffer[o] = byte
                            o += 1
                        } else {
                            buffer[o] = 0x3D; buffer[o + 1] = hex[Int(byte >> 4)]; buffer[o + 2] = hex[Int(byte & 0xF)]
                            o += 3
                        }
                        column += width
                        i += 1
                    }
                    buffer[o] = 13; buffer[o + 1] = 10
                    o += 2
                    if lineEnd >= n { break }
                    // CRLF, CR or LF each end one line.
                    lineStart = input[lineEnd] == 13 && lineEnd + 1 < n && input[lineEnd + 1] == 10 ? lineEnd + 2 : lineEnd + 1
                    if lineStart >= n { break }
                }
            }
            written = o
        }
        out += encoded
    }

    private static func escaped(_ byte: UInt8) -> [UInt8] {
        [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
    }
}

extension String {
    /// Normalises CRLF, CR and LF to `separator`.
    func replacingLineEnds(_ separator: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count + 64)
        var previousCR = false
        for scalar in unicodeScalars {
            switch scalar {
            case "\r":
                out += separator
                previousCR = true
            case "\n":
                if !previousCR { out += separator }
                previousCR = false
            default:
                out.unicodeScalars.append(scalar)
                previousCR = false
            }
        }
        return out
    }
}
