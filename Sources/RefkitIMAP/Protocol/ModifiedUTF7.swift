/// Mailbox names on the wire (RFC 3501 5.1.3): printable ASCII stands for itself, `&` is
/// `&-`, and any other run of characters is `&` + base64 of UTF-16BE (with `,` for `/`) + `-`.
/// LIST answers in this form; a name given with `--folder` is encoded with it.
public enum ModifiedUTF7 {
    public static func encode(_ name: String) -> String {
        var out = ""
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            for unit in pending { bytes += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            out += "&" + base64(bytes) + "-"
            pending.removeAll()
        }
        for scalar in name.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                out += scalar == "&" ? "&-" : String(scalar)
            } else {
                pending += Array(String(scalar).utf16)
            }
        }
        flush()
        return out
    }

    /// The name as a person reads it; nil when it is not valid modified UTF-7 (shown raw then).
    public static func decode(_ wire: String) -> String? {
        var out = ""
        var iterator = Array(wire.unicodeScalars)[...]
        while let scalar = iterator.popFirst() {
            guard scalar == "&" else { out.unicodeScalars.append(scalar); continue }
            var chunk = ""
            while let next = iterator.popFirst(), next != "-" { chunk.unicodeScalars.append(next) }
            if chunk.isEmpty { out += "&"; continue }
            guard let bytes = unbase64(chunk), bytes.count % 2 == 0 else { return nil }
            var units: [UInt16] = []
            for i in stride(from: 0, to: bytes.count, by: 2) { units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
            guard let text = String(validating: units, as: UTF16.self) else { return nil }
            out += text
        }
        return out
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    /// Base64 without padding, `,` for `/`.
    private static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            if i + 1 < bytes.count { out.append(alphabet[Int((b1 & 15) << 2 | b2 >> 6)]) }
            if i + 2 < bytes.count { out.append(alphabet[Int(b2 & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func unbase64(_ text: String) -> [UInt8]? {
        var bits = 0, value = 0
        var out: [UInt8] = []
        for byte in text.utf8 {
            guard let index = alphabet.firstIndex(of: byte) else { return nil }
            value = value << 6 | index
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((value >> bits) & 0xFF))
            }
        }
        return out
    }
}
