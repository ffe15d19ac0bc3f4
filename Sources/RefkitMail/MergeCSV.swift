import Foundation
import RefkitCSV
import RefkitModel

/// `mail/merge.csv` for mail-merge tools (Word, Outlook, Thunderbird's Mail Merge, YAMM): one
/// row per draft, UTF-8 with a BOM so that Excel reads it as UTF-8, CRLF line ends, RFC 4180
/// quoting.
///
/// Every cell is cleaned like a header value, since merge tools put these values into headers,
/// then written by `CSVWriter`: a cell a spreadsheet would run as a formula gets a leading `'`
/// (OWASP "CSV injection"), and quoting works on bytes.
struct MergeCSV {
    let extraColumns: [String]

    static let fixedColumns = ["email", "first_name", "name", "language", "code", "link", "subject"]

    func header() -> Data {
        Data([0xEF, 0xBB, 0xBF]) + line(Self.fixedColumns + extraColumns)
    }

    func row(_ draft: Draft, subject: String) -> Data {
        let referrer = draft.referrer
        var cells = [referrer.email.trimmingWhitespace(), referrer.firstName, referrer.name, draft.language.rawValue,
                     draft.formattedCode, draft.link, subject]
        // Every referrer's fields come in the header's order, so they are taken in one pass
        // (each column its own field, a repeated name included); looking each column up by
        // name was quadratic in the columns: 20,000 took over 300 s for 21 referrers.
        if referrer.extra.map(\.name) == extraColumns {
            cells += referrer.extra.map(\.value)
        } else {
            var values: [String: String] = [:]
            for field in referrer.extra where values[field.name] == nil { values[field.name] = field.value }
            for column in extraColumns { cells.append(values[column] ?? "") }
        }
        return line(cells)
    }

    private func line(_ cells: [String]) -> Data {
        Data(Self.writer.line(cells.map(HeaderText.clean)).utf8)
    }

    /// refkit's one CSV writer (quoting by bytes, one formula guard), with the CRLF line ends
    /// that RFC 4180 and Excel expect.
    private static let writer = CSVWriter(lineEnd: .crlf)
}
