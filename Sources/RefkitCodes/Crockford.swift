import Foundation

/// Crockford base32: 32 symbols chosen to survive being read aloud, handwritten and retyped.
///
/// There is no I, L, O or U: I and L read as 1 and O as 0 when typed, and U is left out so
/// that codes do not spell common English obscenities. Each symbol carries 5 bits and is
/// also an element of GF(32) (see `GF32`).
enum Crockford {
    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    static let symbols: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Symbol value for an ASCII byte, after Crockford's reading rules: case-insensitive,
    /// O → 0, I and L → 1. Nil for U and anything outside the alphabet.
    static let values: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 128)
        for (i, s) in symbols.enumerated() {
            table[Int(s)] = UInt8(i)
            table[Int(Character(String(UnicodeScalar(s))).lowercased().utf8.first!)] = UInt8(i)
        }
        for (letter, value) in [("O", 0), ("o", 0), ("I", 1), ("i", 1), ("L", 1), ("l", 1)] {
            table[Int(letter.utf8.first!)] = UInt8(value)
        }
        return table
    }()

    /// Characters people put between groups or type by accident; they carry no symbol.
    /// Hyphen-like marks include the ones phones and word processors substitute ("‐", "–", "—",
    /// "−") and the Japanese long-vowel mark "ー", which an IME produces for "-".
    static let separators: Set<Unicode.Scalar> = ["-", "‐", "‑", "‒", "–", "—", "―", "−", "ー", "_", "."]

    /// One entry per meaningful character of `input`: its symbol value, or nil where the
    /// character is not a symbol (such as U). Separators and white space are dropped first.
    ///
    /// NFKC folds full-width input (`ＫＱ７`, typed with a Japanese IME) to ASCII first.
    static func values(of input: String) -> [UInt8?] {
        var out: [UInt8?] = []
        out.reserveCapacity(input.utf8.count)
        if input.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII, as nearly every code is: a table lookup per byte.
            for b in input.utf8 {
                if b == 0x20 || (0x09...0x0D).contains(b) || b == 0x2D || b == 0x5F || b == 0x2E { continue } // white space, - _ .
                out.append(values[Int(b)])
            }
            return out
        }
        let folded = input.precomposedStringWithCompatibilityMapping
        for scalar in folded.unicodeScalars {
            if scalar.properties.isWhitespace || separators.contains(scalar) { continue }
            out.append(scalar.isASCII ? values[Int(scalar.value)] : nil)
        }
        return out
    }

    static func string(_ values: [UInt8]) -> String {
        String(decoding: values.map { symbols[Int($0)] }, as: UTF8.self)
    }
}
