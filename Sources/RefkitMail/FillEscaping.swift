/// Byte-level copies of the escaping the full render gets from cmark and swift-mustache, used to
/// fill a prototype's holes. Each must give exactly the bytes its original gives for the values
/// `MessagePrototype` lets through; the prototype tests compare fills with full renders.
enum FillEscaping {
    /// cmark's `escape_html` (houdini, not secure mode): `&`, `<`, `>` and `"` only.
    static func cmarkHTML(_ bytes: [UInt8], into out: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): out += [0x26, 0x61, 0x6D, 0x70, 0x3B]
            case UInt8(ascii: "<"): out += [0x26, 0x6C, 0x74, 0x3B]
            case UInt8(ascii: ">"): out += [0x26, 0x67, 0x74, 0x3B]
            case UInt8(ascii: "\""): out += [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B]
            default: out.append(byte)
            }
        }
    }

    /// cmark's `houdini_escape_href`: the bytes of its HREF_SAFE table as they are, `&` and `'`
    /// as entities, everything else as `%XX`.
    static func cmarkHref(_ bytes: [UInt8], into out: inout [UInt8]) {
        for byte in bytes {
            if isHrefSafe(byte) {
                out.append(byte)
            } else if byte == UInt8(ascii: "&") {
                out += Array("&amp;".utf8)
            } else if byte == UInt8(ascii: "'") {
                out += Array("&#x27;".utf8)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
    }

    private static let hex = Array("0123456789ABCDEF".utf8)

    /// `-_.+!*(),%#@?=;:/$~` and ASCII letters and digits (cmark 0.30 `houdini_href_e.c`).
    static func isHrefSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-_.+!*(),%#@?=;:/$~".utf8.contains(byte)
        }
    }

    /// CommonMark backslash escapes (spec 2.4): `\` before ASCII punctuation is dropped.
    static func removingBackslashEscapes(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "\\")) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count, isASCIIPunctuation(bytes[i + 1]) {
                out.append(bytes[i + 1])
                i += 2
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static func isASCIIPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }
}
