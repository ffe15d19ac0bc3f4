extension Referrer {
    /// The name a public list (a leaderboard) shows: the first name and the initial of the
    /// family name ("Marie D."), or the given name alone for a name in Chinese, Japanese or
    /// Korean script or a referrer whose language writes the family name first, where an
    /// initial would be most of the surname. Empty when there is no first name to show.
    ///
    /// The family name is what the full name holds besides the first name: the part before the
    /// comma of "Dupont, Marie", else the last word. Its initial is its first Character, so a
    /// letter with its accents stays whole ("É."); never more than that one Character.
    public var publicName: String {
        let first = firstName.trimmingWhitespace()
        guard !first.isEmpty else { return "" }
        let familyFirst = Referrer.familyNameFirstLanguages.contains(language.language.lowercased())
        if familyFirst || name.unicodeScalars.contains(where: \.isHanKanaOrHangul) { return first }
        let family: Substring?
        let parts = name.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2, !Referrer.nameSuffixes.contains(String(parts[1]).trimmingWhitespace().lowercased()) {
            family = parts[0].split(whereSeparator: \.isWhitespace).first
        } else {
            let words = name.split(whereSeparator: \.isWhitespace)
            family = words.count >= 2 && words.last.map(String.init) != first ? words.last : nil
        }
        guard let initial = family?.first(where: { $0.isLetter }) else { return first }
        return first + " " + String(initial).uppercased() + "."
    }
}
