import Foundation
import Testing
@testable import RefkitMail

/// The byte-level fast paths of composing a draft (quoted-printable written through a pointer
/// into a buffer sized for the worst case, header cleaning into UTF-8 bytes): they must give
/// what the RFCs and the scalar walk give, on the inputs that stress them.
@Suite("Draft encoding fast paths")
struct DraftEncodingTests {
    /// RFC 2045 6.7 decoding: soft breaks removed, `=XX` decoded, hard breaks as CRLF.
    static func decode(_ encoded: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        func hex(_ b: UInt8) -> UInt8 { b <= 0x39 ? b - 0x30 : b - 0x37 }
        while i < encoded.count {
            if encoded[i] == 0x3D {
                if i + 2 < encoded.count, encoded[i + 1] == 13, encoded[i + 2] == 10 { i += 3; continue }
                out.append(hex(encoded[i + 1]) << 4 | hex(encoded[i + 2]))
                i += 3
            } else {
                out.append(encoded[i])
                i += 1
            }
        }
        return out
    }

    @Test("Quoted-printable decodes back to the text with CRLF line ends, every line within 76, on worst-case inputs", arguments: [
        "",
        "=",
        String(repeating: "=", count: 1_000),
        String(repeating: "\u{1F600}", count: 300),
        String(repeating: "\r", count: 50) + "a\r\nb\nc\r",
        String(repeating: "x", count: 75) + " \n" + String(repeating: " ", count: 200) + "\n.\nFrom here\n\u{0}\u{7F}\t",
        String(repeating: "é \"\u{301} \u{202E}", count: 120),
    ])
    func quotedPrintable(text: String) {
        var encoded: [UInt8] = []
        QuotedPrintable.encode(Array(text.utf8), into: &encoded)
        let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 76 })
        #expect(encoded.allSatisfy { $0 < 0x80 })
        // The encoder ends the last line with CRLF unless the text already did.
        var expected = Array(text.replacingLineEnds("\r\n").utf8)
        if !expected.ends(with: [13, 10]) { expected += [13, 10] }
        #expect(Self.decode(encoded) == expected)
    }

    @Test("Cleaning into bytes keeps one-, two-, three- and four-byte scalars and joins only between non-ASCII", arguments: [
        ("\u{1F600}\u{0085}é\u{2028}日本\t\u{10FFFF}", "\u{1F600} é 日本 \u{10FFFF}"),
        ("  \u{1F468}\u{200D}\u{1F469} a\u{200D}b \u{FEFF}", "\u{1F468}\u{200D}\u{1F469} ab"),
        ("\u{0}\u{7F}\u{9F}", ""),
    ])
    func clean(input: String, output: String) {
        #expect(HeaderText.clean(input) == output)
        #expect(Array(HeaderText.clean(input).utf8) == Array(output.utf8))
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix) }
}
