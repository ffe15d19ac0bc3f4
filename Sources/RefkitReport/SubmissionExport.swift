import Foundation
import RefkitCSV
import RefkitModel

/// Reads the CSV export of the form provider.
///
/// Columns are found by name, ignoring case, spaces and hyphens, so the same reader takes:
///
/// - **Netlify Forms** (Forms › Download as CSV): one column per form field, named as in the
///   form (`code`, `variant`, `program`, `lang`, `name`, `email`, `consent`), plus `created_at`
///   and, when Netlify records it, the page address in `referrer`.
/// - **Formspree** (Export › CSV): the form fields, with the time in `_date` or `Submitted At`
///   and sometimes the email as `_replyto`.
/// - **the generic format**: `date,code,variant,friend_name,friend_email,utm_source`.
///
/// The column names of the providers' exports are assumed from their documentation and
/// examples, not from a contract; the aliases below cover the variants seen. The channel is
/// `utm_source` when there is such a column, else the `utm_source` parameter of the page
/// address in `referrer` (the address the form was sent from), else a shared link.
public struct SubmissionExport: Hashable, Sendable {
    public enum Format: String, Hashable, Sendable {
        case netlify = "Netlify Forms"
        case formspree = "Formspree"
        case generic = "generic CSV"
    }

    public var format: Format
    public var submissions: [Submission]

    public init(format: Format, submissions: [Submission]) {
        self.format = format
        self.submissions = submissions
    }

    static let dateColumns = ["date", "created_at", "submitted_at", "_date", "submission_date", "created", "timestamp", "time"]
    static let codeColumns = ["code", "ref", "referral_code", "invite_code", "invitation_code"]
    static let emailColumns = ["friend_email", "email", "_replyto", "e_mail", "email_address"]
    static let nameColumns = ["friend_name", "name", "full_name"]
    static let sourceColumns = ["utm_source", "source", "channel"]
    static let pageColumns = ["referrer", "referer", "page", "page_url", "url", "_referrer"]
    public static let example = "date,code,variant,friend_name,friend_email,utm_source"

    /// Parses the export. Rows with an unreadable date are kept with `date == nil`, to be
    /// flagged; only a file without the needed columns is an error.
    public static func read(_ data: Data, file: String) throws(ReportError) -> SubmissionExport {
        let table = try CSVTable.read(data, file: file, example: example)
        var missing: [String] = []
        let date = table.column(dateColumns), code = table.column(codeColumns), email = table.column(emailColumns)
        if date == nil { missing.append("a date (`date`, `created_at` or `_date`)") }
        if code == nil { missing.append("the code (`code`)") }
        if email == nil { missing.append("the friend's email (`email` or `friend_email`)") }
        guard missing.isEmpty else {
            throw ReportError(file, line: 1, "the export has no column for " + missing.joined(separator: ", "),
                              fix: "export the form's submissions as CSV, or use the columns `\(example)`; the header has "
                                  + table.header.map { "`\($0)`" }.joined(separator: ", "))
        }
        let name = table.column(nameColumns), variant = table.column(["variant"])
        let source = table.column(sourceColumns), page = table.column(pageColumns)
        // The form's hidden `lang` field: the page the friend sent it from. Optional.
        let language = table.column(["lang", "language", "friend_lang"])
        let format: Format
        if table.keys.contains("created_at") || table.keys.contains("form_name") { format = .netlify }
        else if table.keys.contains("_date") || table.keys.contains("submitted_at") || table.keys.contains("_replyto") { format = .formspree }
        else { format = .generic }

        let submissions = table.rows.map { row -> Submission in
            let cells = row.cells
            let dateText = cells.cell(date)
            var utm = cells.cell(source)
            if utm.isEmpty { utm = utmSource(inAddress: cells.cell(page)) }
            return Submission(line: row.line, date: ExportDate.day(dateText), dateText: dateText, code: cells.cell(code),
                              variant: cells.cell(variant), friendName: cells.cell(name), friendEmail: cells.cell(email),
                              channel: Channel(utmSource: utm), language: cells.cell(language))
        }
        return SubmissionExport(format: format, submissions: submissions)
    }

    /// `utm_source` from a page address such as `https://x.example/r/K7QM4TZ9X/?utm_source=postcard&utm_medium=print`.
    static func utmSource(inAddress address: String) -> String {
        guard let query = address.split(separator: "?", maxSplits: 1).dropFirst().first else { return "" }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "utm_source" { return String(parts[1]).removingPercentEncoding ?? String(parts[1]) }
        }
        return ""
    }
}

/// Reads the conversions file: friends who became customers, as a till or shop exports them, or
/// as the counter page exports its redemptions (`redemptions-YYYY-MM-DD.csv`).
///
/// Columns: `email` or `code` (or both), `date`, and optionally `value` (the order's value).
/// The counter's export has `RedemptionExport.columns`: its `redemption_id` marks it, and its
/// cells went through refkit's formula guard, which is undone here as for refkit's own files.
public enum ConversionExport {
    public static let example = "email,code,date,value"

    public static func read(_ data: Data, file: String) throws(ReportError) -> [Conversion] {
        var table = try CSVTable.read(data, file: file, example: example)
        let id = table.column([RedemptionExport.idColumn])
        if id != nil {
            table.rows = table.rows.map { ($0.line, $0.cells.map(FormulaGuard.unprotect)) }
        }
        let email = table.column(["email", "friend_email", "customer_email", "e_mail", "email_address"])
        let code = table.column(["code", "ref", "referral_code", "invite_code"])
        let date = table.column(["date", "order_date", "created_at", "converted", "conversion_date", "day"])
        let value = table.column(["value", "order_value", "amount", "total", "order_total"])
        guard email != nil || code != nil, date != nil else {
            throw ReportError(file, line: 1, "the conversions file needs a `date` column and an `email` or `code` column",
                              fix: "use the columns `\(example)`; the header has " + table.header.map { "`\($0)`" }.joined(separator: ", "))
        }
        return table.rows.map { row in
            let dateText = row.cells.cell(date)
            return Conversion(line: row.line, email: row.cells.cell(email), code: row.cells.cell(code),
                              date: ExportDate.day(dateText), dateText: dateText, value: amount(row.cells.cell(value)),
                              redemptionID: row.cells.cell(id), file: file)
        }
    }

    /// Several conversions files as one list, in the order given, each counter redemption once:
    /// a redemption id seen before (the same export read twice, or two devices' exports that
    /// overlap) is dropped. Returns how many were dropped.
    public static func merge(_ files: [[Conversion]]) -> (conversions: [Conversion], repeated: Int) {
        var seen = Set<String>()
        var out: [Conversion] = []
        var repeated = 0
        for conversion in files.joined() {
            if conversion.isRedemption, !seen.insert(conversion.redemptionID).inserted {
                repeated += 1
                continue
            }
            out.append(conversion)
        }
        return (out, repeated)
    }

    /// `12.50`, `12,50`, `€12.50`, `1 234,50 €`, `$1,234.50`: digits with one decimal separator,
    /// the last `.` or `,` followed by one or two digits.
    static func amount(_ text: String) -> Double? {
        let kept = text.filter { $0.isASCIIDigit || $0 == "." || $0 == "," || $0 == "-" }
        guard kept.contains(where: \.isASCIIDigit) else { return nil }
        var normalized = kept
        if let last = kept.lastIndex(where: { $0 == "." || $0 == "," }), kept.distance(from: last, to: kept.endIndex) <= 3 {
            let whole = kept[..<last].filter { $0 != "." && $0 != "," }
            normalized = whole + "." + kept[kept.index(after: last)...]
        } else {
            normalized = kept.filter { $0 != "." && $0 != "," }
        }
        return Double(normalized)
    }
}

/// Dates as exports write them: `2027-03-02`, `2027-03-02T14:05:11.000Z`, `2027-03-02 14:05:11 UTC`,
/// `2027/03/02`. Only year-first forms are read: `03/02/2027` is the 2nd of March in one country
/// and the 3rd of February in another, and a wrong guess would move rewards.
enum ExportDate {
    static func day(_ text: String) -> Day? {
        let head = String(text.prefix(10)).replacingOccurrences(of: "/", with: "-")
        guard text.count == 10 || (text.count > 10 && !text[text.index(text.startIndex, offsetBy: 10)].isASCIIDigit) else { return nil }
        return Day(head)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
