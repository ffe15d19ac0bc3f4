extension Referrer {
    /// The first name to show when `referrers.csv` has no `first_name` cell for a row.
    ///
    /// - Latin and other space-separated scripts: the first word ("Marie Dupont" → "Marie",
    ///   "Siti Nurhaliza binti Ahmad" → "Siti", "  Jean-Luc  Picard " → "Jean-Luc"); in the
    ///   "Family, Given" form that address books export, the first word after the comma
    ///   ("Dupont, Jean-Luc" → "Jean-Luc"), unless that is a suffix ("King, Jr.").
    /// - Chinese, Japanese and Korean: the whole name, with or without a space ("山田花子",
    ///   "山田 花子", "王小明"). These are written family name first, and a surname alone must
    ///   never be printed as if it were a first name; the whole name is polite in all three.
    ///
    /// Names written family name first in Latin script (Vietnamese, Hungarian) cannot be told
    /// apart; a `first_name` column settles them.
    ///
    /// The loader and `refkit codes check` (from ledger names) both use this one rule.
    public static func firstName(fromName name: String) -> String {
        let bytes = name.utf8
        if bytes.allSatisfy({ $0 < 0x80 }), !bytes.contains(UInt8(ascii: ",")) {
            // Plain ASCII without a comma, as most names in a big list: the first word, found
            // on the bytes. Same result as below, several times faster.
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
            guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
            let end = bytes[start...].firstIndex(where: isSpace) ?? bytes.endIndex
            return String(name[start..<end])
        }
        let words = name.split(whereSeparator: \.isWhitespace)
        if name.unicodeScalars.contains(where: \.isHanKanaOrHangul) {
            return words.joined(separator: " ")
        }
        let parts = name.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            let given = parts[1].split(whereSeparator: \.isWhitespace)
            if let first = given.first, !nameSuffixes.contains(first.lowercased()) { return String(first) }
            if let first = parts[0].split(whereSeparator: \.isWhitespace).first { return String(first) }
        }
        return words.first.map(String.init) ?? ""
    }

    /// What may follow a comma without being a given name.
    public static let nameSuffixes: Set<String> = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d.", "esq", "esq."]
}

extension Unicode.Scalar {
    /// Han ideographs, kana and Hangul: the scripts of names written family name first.
    public var isHanKanaOrHangul: Bool {
        switch value {
        case 0x1100...0x11FF, 0x3040...0x30FF, 0x3130...0x318F, 0x31F0...0x31FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF66...0xFF9F,
             0x20000...0x3134F:
            return true
        default:
            return false
        }
    }
}
