import Foundation

extension Day {
    /// The day as a person reads it in a language: "31 mars 2027", "2027年3月31日",
    /// "March 31, 2027". Pages, postcards and emails all say deadlines this way.
    ///
    /// Remembered per day and language: making an ICU date formatter costs about as much as
    /// drawing a postcard, and every card and draft of a programme asks for the same deadline.
    public func longText(in language: LanguageTag) -> String {
        let key = "\(description) \(language.rawValue)"
        if let known = longTexts.withLock({ $0[key] }) { return known }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return description }
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: language.rawValue)
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        let text = formatter.string(from: date)
        longTexts.withLock { $0[key] = text }
        return text
    }
}

/// Formatted days by day and language, shared by every thread of a build. A build names a
/// handful of deadlines.
private let longTexts = Locked<[String: String]>([:])
