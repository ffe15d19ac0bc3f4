import RefkitModel

// Per-cell work with fast paths for plain ASCII, the common case: 100,000 rows are half a
// million cells, and Character-based trimming and splitting dominated loading time.

extension ReferrerLoader {
    /// `EmailCheck.isValid` in one pass over the bytes of an ASCII address, the same rules;
    /// anything else goes to `EmailCheck`.
    static func isValidEmail(_ text: String) -> Bool {
        var at: Int?
        var count = 0
        for b in text.utf8 {
            if b >= 0x80 { return EmailCheck.isValid(text) }
            switch b {
            case 0...0x20, 0x7F, UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\\"),
                 UInt8(ascii: "["), UInt8(ascii: "]"):
                return false
            case UInt8(ascii: "@"):
                if at != nil { return false }
                at = count
            default:
                break
            }
            count += 1
        }
        guard let at, at > 0 else { return false }
        let domain = text.utf8.dropFirst(at + 1)
        guard let first = domain.first, let last = domain.last else { return false }
        return domain.contains(UInt8(ascii: ".")) && first != UInt8(ascii: ".") && last != UInt8(ascii: ".")
    }

    /// `Referrer.normalize(email:)` with the trimming fast path.
    static func normalizedEmail(_ email: String) -> String {
        email.trimmingWhitespace().lowercased()
    }
}
