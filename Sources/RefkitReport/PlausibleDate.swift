import RefkitModel

/// The days a row of an export can really have been written on: from 2000-01-01 to the day
/// after the report's today (`--now`).
///
/// `0000-01-01` and `0001-01-01` are real days to `Day`, and an export's date cell is typed by
/// whoever sends the public form (or by a till with an unset clock). Counted, such a row sorts
/// before every genuine one, takes the "first" place of its friend from the real submission
/// and is never late for a deadline. Nothing in refkit predates 2000; a day after today allows
/// for an export written in UTC ahead of the local date. Rows outside are flagged, not counted.
enum PlausibleDate {
    static let earliest = Day(year: 2000, month: 1, day: 1)!

    static func latest(today: Day) -> Day { Day(ordinal: today.ordinal + 1) }

    static func contains(_ day: Day, today: Day) -> Bool {
        day >= earliest && day <= latest(today: today)
    }

    static func explanation(_ day: Day, latest: Day) -> String {
        day < earliest ? "\(day) is before \(earliest): not a real submission date"
            : "\(day) is after \(latest), the day after today: not a real submission date"
    }
}
