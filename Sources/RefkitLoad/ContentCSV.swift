import Foundation
import RefkitModel

/// A small CSV file of `content/` that refkit reads by column name (`coupons.csv`,
/// `confirmed.csv`): decoded, split and sized as `referrers.csv` is (see `CSVText`), each row
/// with the physical line it starts on.
struct ContentCSV {
    struct Row {
        var line: Int
        var cells: [String]
    }

    /// Header names, lower case, spaces and hyphens as underscores.
    var columns: [String]
    var rows: [Row]

    /// Whole files larger than this are refused unread: a coupon bank of 100,000 codes is about
    /// 3 MB, and nothing a person keeps by hand is bigger.
    static let maximumBytes = 32 << 20

    /// Nil after reporting why the file cannot be read. `required` columns must be in the header.
    static func read(_ data: Data, file: String, required: [String], known: [String], log: DiagnosticLog) -> ContentCSV? {
        func report(_ line: Int?, _ message: String, fix: String? = nil) {
            log.add(SourceLocation(file: file, line: line), message, fix: fix)
        }
        guard data.count <= maximumBytes else {
            report(nil, "the file is \(data.count) bytes long; refkit reads up to \(maximumBytes >> 20) MB here",
                   fix: "check that it is the right file")
            return nil
        }
        let opened: CSVText.Opened
        switch CSVText.open(data, file: file, maximumCells: 100, maximumCellBytes: 1_000) {
        case let .success(o): opened = o
        case .failure(.blank):
            // An empty list is a list without its header, as it always was here.
            report(1, "there is no header row", fix: "start the file with `\(required.joined(separator: ","))`")
            return nil
        case let .failure(refusal):
            log.add(contentsOf: [refusal.diagnostic(file: file, emptyFix: "", headerFix: "start the file with `\(required.joined(separator: ","))`") { oversized in
                switch oversized {
                case let .tooManyCells(line, cells):
                    (line, "the row has \(cells) cells; refkit reads at most 100 here", "keep the columns " + known.joined(separator: ", "))
                case let .cellTooLong(line, column):
                    (line, "cell \(column) is longer than 1000 bytes", "check the row: these cells hold short codes and addresses")
                }
            }])
            return nil
        }
        let (reader, header, delimiter) = (opened.reader, opened.header, opened.delimiter)
        let columns = header.map(CSVText.columnKey)
        var ok = true
        for name in required where !columns.contains(name) {
            report(1, "the required column `\(name)` is missing", fix: "the header needs " + required.map { "`\($0)`" }.joined(separator: ", ")
                   + "; it has " + header.map { "`\($0.trimmingWhitespace())`" }.joined(separator: ", "))
            ok = false
        }
        for (i, name) in columns.enumerated() where !name.isEmpty && columns.firstIndex(of: name) != i {
            report(1, "the column `\(name)` appears twice", fix: "keep one of them")
            ok = false
        }
        guard ok else { return nil }
        var rows: [Row] = []
        var line = opened.firstRowLine
        while let row = reader.next() {
            let rowLine = line
            line += CSVText.lineBreaks(in: row) + 1
            if row.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            if row.count > header.count, row[header.count...].contains(where: { !$0.trimmingWhitespace().isEmpty }) {
                report(rowLine, "the row has \(row.count) cells but the header has \(header.count)",
                       fix: "put cells that contain `\(delimiter)` in double quotes")
                continue
            }
            rows.append(Row(line: rowLine, cells: row))
        }
        return ContentCSV(columns: columns, rows: rows)
    }

    func cell(_ row: Row, _ name: String) -> String {
        guard let i = columns.firstIndex(of: name), i < row.cells.count else { return "" }
        return row.cells[i]
    }

    /// Why a cell that ends up in mail, rewards.csv and the shop's till cannot be taken as it
    /// is: a control character (a line break, NUL), an invisible or bidirectional character
    /// (U+202E turns the text around it), white space inside, or a first character a spreadsheet
    /// reads as a formula (`=`, `+`, `-`, `@`, also full width). Nil when it is fine.
    static func unsafeCode(_ text: String) -> String? {
        if let bad = text.unicodeScalars.first(where: { ReferrerLoader.isInvisibleControl($0) || $0.properties.isWhitespace }) {
            let shown = "U+" + String(bad.value, radix: 16, uppercase: true)
            return bad.properties.isWhitespace && bad.value >= 0x20 ? "contains a space (\(shown))" : "contains the invisible character \(shown)"
        }
        if let first = text.unicodeScalars.first, "=+-@\u{FF1D}\u{FF0B}\u{FF0D}\u{FF20}".unicodeScalars.contains(first) {
            return "starts with `\(first)`, which a spreadsheet reads as a formula"
        }
        return nil
    }
}
