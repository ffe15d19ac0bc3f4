import Foundation

extension Day {
    /// The day as a person reads it in a language: "31 mars 2027", "2027年3月31日",
    /// "March 31, 2027". Pages, postcards and emails all say deadlines this way.
    public func longText(in language: LanguageTag) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return description }
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: language.rawValue)
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return formatter.string(from: date)
    }
}
