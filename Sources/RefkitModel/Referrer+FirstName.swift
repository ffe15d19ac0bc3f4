extension Referrer {
    /// The given name to show when `referrers.csv` has no `first_name` cell for a row; empty
    /// when the name does not say which part is the given name. A public page (and a postcard)
    /// shows this at most, never a surname: an empty result means no name, and the loader
    /// warns with the row's line, asking for `first_name`.
    ///
    /// - Latin and other space-separated scripts, given name first: the first word ("Marie
    ///   Dupont" → "Marie", "Siti Nurhaliza binti Ahmad" → "Siti", "  Jean-Luc  Picard " →
    ///   "Jean-Luc"); in the "Family, Given" form that address books export, the first word
    ///   after the comma ("Dupont, Jean-Luc" → "Jean-Luc"), unless that is a suffix ("King, Jr.").
    /// - Chinese, Japanese and Korean script: written family name first, so the words after the
    ///   first ("山田 花子" → "花子", "王 小明" → "小明"). Without a space ("山田花子",
    ///   "王小明", "김민준") the surname's length is unknown (1 to 3 characters, compound
    ///   surnames such as 欧阳 and 남궁): no name. Nor when the first word is not in CJK
    ///   script ("David 王"), whose order cannot be told.
    /// - Latin script for a referrer whose language writes family names first (`language` zh,
    ///   ja, ko, vi, hu): "Yamada Hanako" and "Hanako Yamada" are both common, so there is no
    ///   telling which word is the surname: no name, unless the comma form says.
    ///
    /// The loader and `refkit codes check` (from ledger names) both use this one rule.
    public static func firstName(fromName name: String, language: LanguageTag? = nil) -> String {
        let familyFirst = language.map { familyNameFirstLanguages.contains($0.language.lowercased()) } ?? false
        let bytes = name.utf8
        if !familyFirst, bytes.allSatisfy({ $0 < 0x80 }), !bytes.contains(UInt8(ascii: ",")) {
            // Plain ASCII without a comma, as most names in a big list: the first word, found
            // on the bytes. Same result as below, several times faster.
            func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
            guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
            let end = bytes[start...].firstIndex(where: isSpace) ?? bytes.endIndex
            return String(name[start..<end])
        }
        let words = name.split(whereSeparator: \.isWhitespace)
        if name.unicodeScalars.contains(where: \.isHanKanaOrHangul) {
            // Family name first only when the first word is itself in CJK script: in "David 王"
            // the 王 is the surname, whatever the order.
            guard words.count >= 2, words[0].unicodeScalars.contains(where: \.isHanKanaOrHangul) else { return "" }
            return words.dropFirst().joined(separator: " ")
        }
        let parts = name.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            let given = parts[1].split(whereSeparator: \.isWhitespace)
            if let first = given.first, !nameSuffixes.contains(first.lowercased()) { return String(first) }
            if familyFirst { return "" }
            if let first = parts[0].split(whereSeparator: \.isWhitespace).first { return String(first) }
        }
        // One word is whatever the person goes by; several, in a family-first language, may
        // start with the surname.
        if familyFirst { return words.count == 1 ? String(words[0]) : "" }
        return words.first.map(String.init) ?? ""
    }

    /// Languages (primary subtags) whose names are written family name first.
    public static let familyNameFirstLanguages: Set<String> = ["zh", "ja", "ko", "vi", "hu"]

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
