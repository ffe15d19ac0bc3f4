import Foundation

extension Referrer {
    /// The name a public list (a leaderboard) shows: the first name and the initial of the
    /// family name ("Marie D."), or the given name alone for a name in Chinese, Japanese or
    /// Korean script or a referrer whose language writes the family name first, where an
    /// initial would be most of the surname. Empty when there is no first name to show.
    ///
    /// The first name is the one the public pages show (`firstName`: the `first_name` cell, else
    /// derived from the name), unless it holds what a public list must not: an email address or
    /// the family name (`firstNameConcern`, from a careless list: "Marie Dupont",
    /// "zoe.blanc@example.fr"). Then it is the given name derived from `name`
    /// (`Referrer.firstName(fromName:language:)`), and when that says nothing ("Hanako Yamada"
    /// for a referrer writing in Japanese), the referrer is left off. So is one whose first name
    /// is the family name alone ("Martin" for Paul Martin), which cannot be told apart from a
    /// name they go by.
    ///
    /// The family name is what the full name holds besides the first name: the part before the
    /// comma of "Dupont, Marie", else the last word. Its initial is its first Character, so a
    /// letter with its accents stays whole ("É."); never more than that one Character.
    public var publicName: String {
        var first = firstName.trimmingWhitespace()
        if let concern = firstNameConcern {
            // "Martin" for Paul Martin: swapped columns, or the name they go by. Either way
            // the other word may be what they keep private, so neither is shown.
            if concern.hasPrefix("is the family name") { return "" }
            first = Referrer.firstName(fromName: name, language: language).trimmingWhitespace()
            if first.contains("@") || Referrer(email: email, name: name, firstName: first, language: language, program: program, line: line).firstNameConcern != nil {
                return ""
            }
        }
        guard !first.isEmpty else { return "" }
        if isFamilyNameFirst { return first }
        guard let initial = familyName?.first(where: { $0.isLetter }) else { return first }
        return first + " " + String(initial).uppercased() + "."
    }

    /// Why `firstName` must not go on a public list, or nil: it looks like an email address, or
    /// it holds the family name ("Marie Dupont", "Dupont" for Marie Dupont, "山田 花子" or
    /// "山田花子" for 山田 花子), or, for a name written family name first in Latin script, it
    /// is the whole name ("Hanako Yamada": which word is the surname cannot be told).
    public var firstNameConcern: String? {
        let first = firstName.trimmingWhitespace()
        guard !first.isEmpty else { return nil }
        if first.contains("@") || first.contains("\u{FF20}") { return "looks like an email address" }
        let words = first.split(whereSeparator: \.isWhitespace).map { Self.nameKey($0) }
        let nameWords = name.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map { Self.nameKey($0) }
        if isFamilyNameFirst {
            let nameKey = nameWords.joined()
            // In CJK script the first word is the family name when the name has a space.
            if name.unicodeScalars.contains(where: \.isHanKanaOrHangul), nameWords.count >= 2, let family = nameWords.first,
               Self.nameKey(Substring(first)).contains(family) {
                return "holds the family name \"\(name.split(whereSeparator: \.isWhitespace)[0])\""
            }
            if words.joined() == nameKey, nameWords.count >= 2 || (name.unicodeScalars.contains(where: \.isHanKanaOrHangul) && name.count >= 3) {
                return "is the whole name"
            }
            return nil
        }
        guard let family = familyName.map({ Self.nameKey($0) }), !family.isEmpty else { return nil }
        let given = Self.nameKey(Substring(Referrer.firstName(fromName: name, language: language)))
        // "Martin Martin": the family word is also the given name, so it may stand.
        if words == [family], family != given { return "is the family name \"\(familyName!)\"" }
        if words.contains(family), family != given { return "holds the family name \"\(familyName!)\"" }
        if words.count >= 2, words.dropFirst().contains(family) { return "holds the family name \"\(familyName!)\"" }
        return nil
    }

    /// Whether the referrer's name is shown by the given name alone: CJK script, or a language
    /// that writes the family name first.
    var isFamilyNameFirst: Bool {
        Referrer.familyNameFirstLanguages.contains(language.language.lowercased()) || name.unicodeScalars.contains(where: \.isHanKanaOrHangul)
    }

    /// The family name of a given-name-first name: the first word before the comma of "Dupont,
    /// Marie", else the last of two or more words; nil for a single word.
    var familyName: Substring? {
        let parts = name.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, !Referrer.nameSuffixes.contains(String(parts[1]).trimmingWhitespace().lowercased()) {
            return parts[0].split(whereSeparator: \.isWhitespace).first
        }
        let words = name.split(whereSeparator: \.isWhitespace)
        return words.count >= 2 ? words.last : nil
    }

    /// A name word as two people would write it: case and accents ignored.
    static func nameKey(_ word: Substring) -> String {
        // The loader asks this of every referrer: most names are plain ASCII.
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.lowercased() }
        return word.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }
}
