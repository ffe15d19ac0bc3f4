import Foundation
import RefkitModel

/// Reads `content/unsubscribed.csv`: an `email` column (others, such as a date or a reason a
/// mail tool exports, are ignored), decoded and delimited as `referrers.csv` is.
///
/// Every problem is reported at its line: a cell with invisible or control characters (a bidi
/// override or NUL could make two spellings look alike to a person), or a value that is not an
/// address at all. Refusing is safer than guessing: an address that silently matched nothing
/// would mail someone who asked not to be mailed.
enum UnsubscribedLoader {
    static let maximumColumns = 100
    static let maximumCellBytes = 1_000

    static func load(_ data: Data, file: String) -> (Unsubscribed, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func report(_ line: Int?, _ message: String, fix: String? = nil) {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: line), message, fix: fix))
        }
        let opened: CSVText.Opened
        switch CSVText.open(data, file: file, maximumCells: maximumColumns, maximumCellBytes: maximumCellBytes) {
        case let .success(o): opened = o
        case let .failure(refusal):
            let diagnostic = refusal.diagnostic(file: file, emptyFix: "start it with the header `email`, one address a line below it, or delete the file",
                                                headerFix: "start the file with the header `email`") { oversized in
                switch oversized {
                case let .tooManyCells(line, cells):
                    (line, "the row has \(cells) cells; refkit reads at most \(maximumColumns) columns", "keep the `email` column and delete the others")
                case let .cellTooLong(line, _):
                    (line, "a cell is longer than \(maximumCellBytes) bytes", "an address is at most 254 characters: check the row")
                }
            }
            return (Unsubscribed(), [diagnostic])
        }
        let (reader, header) = (opened.reader, opened.header)
        var line = opened.firstRowLine
        let keys = header.map(CSVText.columnKey)
        guard let column = keys.firstIndex(of: "email") ?? keys.firstIndex(of: "email_address") ?? keys.firstIndex(of: "e_mail") else {
            report(1, "there is no `email` column", fix: "name the column of addresses `email`; the header has "
                       + header.map { "`\(VisibleText.escaped($0.trimmingWhitespace()))`" }.joined(separator: ", "))
            return (Unsubscribed(), diagnostics)
        }
        var emails: [String] = []
        while let row = reader.next() {
            let start = line
            line += CSVText.lineBreaks(in: row) + 1
            let cell = column < row.count ? row[column].trimmingWhitespace() : ""
            if cell.isEmpty { continue }
            if let bad = cell.unicodeScalars.first(where: { s in
                s.properties.generalCategory == .control || s.properties.generalCategory == .format || s.properties.generalCategory == .lineSeparator
            }) {
                report(start, "the address has an invisible or control character (\(VisibleText.code(bad)))",
                       fix: "type the address again by hand, without pasting it")
                continue
            }
            guard cell.contains("@"), !cell.hasPrefix("@"), !cell.hasSuffix("@") else {
                report(start, "\"\(VisibleText.escaped(cell))\" is not an email address", fix: "write one address a row, such as ana@example.com")
                continue
            }
            emails.append(cell)
        }
        return (Unsubscribed(emails), diagnostics)
    }
}
