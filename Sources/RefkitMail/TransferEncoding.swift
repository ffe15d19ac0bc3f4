import Foundation

/// How a MIME part's body is written (RFC 2045 6). Both keep lines within 76 characters.
enum TransferEncoding: String {
    case quotedPrintable = "quoted-printable"
    case base64

    /// Quoted-printable keeps Latin text readable in the file; base64 is a third of the size
    /// for CJK, where nearly every byte would become `=XX`.
    static func choose(for text: String) -> TransferEncoding {
        var nonASCII = 0
        var total = 0
        for byte in text.utf8 {
            total += 1
            if byte >= 0x80 { nonASCII += 1 }
        }
        return nonASCII * 5 > total ? .base64 : .quotedPrintable
    }

    /// Encodes `text`, whose lines end in LF, with CRLF line ends.
    func encode(_ text: String) -> String {
        switch self {
        case .base64:
            let encoded = Base64.encode(Array(text.replacingLineEnds("\r\n").utf8))
            var out = ""
            out.reserveCapacity(encoded.utf8.count + encoded.utf8.count / 38 + 2)
            var line = encoded[...]
            while !line.isEmpty {
                out += line.prefix(76)
                out += "\r\n"
                line = line.dropFirst(76)
            }
            return out
        case .quotedPrintable:
            return QuotedPrintable.encode(text)
        }
    }
}

enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}

enum QuotedPrintable {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// RFC 2045 6.7, with hard line breaks as CRLF and soft breaks (`=`) so that no line
    /// passes 76 characters. `From ` at the start of a line is written `=46rom ` so that an
    /// mbox reader never takes it for a message separator.
    static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let lines = text.replacingLineEnds("\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            // A trailing empty "line" is the text's final LF, already written.
            if index == lines.count - 1, line.isEmpty, index > 0 { break }
            let bytes = Array(line.utf8)
            var lineLength = 0
            for (i, byte) in bytes.enumerated() {
                let isLast = i == bytes.count - 1
                var piece: [UInt8]
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 0x20 || byte == 0x09) && !isLast)
                if i == 0, byte == UInt8(ascii: "F"), bytes.starts(with: Array("From ".utf8)) {
                    piece = escaped(byte)
                } else if i == 0, byte == UInt8(ascii: ".") {
                    // A lone dot would end the message in SMTP.
                    piece = escaped(byte)
                } else {
                    piece = literal ? [byte] : escaped(byte)
                }
                // Keep room for the `=` of a soft break unless this is the line's last piece.
                let limit = isLast ? 76 : 75
                if lineLength + piece.count > limit {
                    out += [UInt8(ascii: "="), 13, 10]
                    lineLength = 0
                }
                out += piece
                lineLength += piece.count
            }
            out += [13, 10]
        }
        return String(decoding: out, as: UTF8.self)
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
