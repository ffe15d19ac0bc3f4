import Foundation
import RefkitLoad
import RefkitModel

/// A spreadsheet export read into rows with their line numbers, through the same decoding and
/// delimiter rules as `content/referrers.csv` (`CSVText`) and CSV.swift's reader.
struct CSVTable {
    /// Header cells as written, trimmed.
    var header: [String]
    /// Header cells as keys: lower case, spaces and hyphens as underscores (`Created At` is `created_at`).
    var keys: [String]
    /// Data rows, blank rows left out, each with the physical line it starts on.
    var rows: [(line: Int, cells: [String])]

    static func read(_ data: Data, file: String, example: String) throws(ReportError) -> CSVTable {
        var text: String
        switch CSVText.decode(data, file: file) {
        case .text(let t): text = t
        case .problem(let d): throw ReportError([d])
        }
        // Excel's `sep=;` first line names the delimiter; the header is on the next line.
        var skipped = 0
        var named: UnicodeScalar?
        if text.utf8.starts(with: "sep=".utf8) {
            let scalars = Array(text.unicodeScalars.prefix(8))
            if scalars.count >= 5, [",", ";", "\t", "|"].contains(scalars[4]),
               let end = text.firstIndex(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                named = scalars[4]
                text = String(text[text.index(after: end)...])
                skipped = 1
            }
        }
        let opened: CSVText.Opened
        switch CSVText.open(text: text, firstLine: 1 + skipped, delimiter: named) {
        case let .success(o): opened = o
        case let .failure(refusal):
            let fix = "export it again with its header row, such as `\(example)`"
            throw ReportError([refusal.diagnostic(file: file, emptyFix: fix, headerFix: fix)])
        }
        let (reader, header) = (opened.reader, opened.header)
        var line = opened.firstRowLine
        var rows: [(Int, [String])] = []
        while let row = reader.next() {
            let start = line
            line += CSVText.lineBreaks(in: row) + 1
            if row.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            rows.append((start, row))
        }
        let names = header.map { $0.trimmingWhitespace() }
        let keys = names.map(CSVText.columnKey)
        var seen: [String: Int] = [:]
        for (i, k) in keys.enumerated() where !k.isEmpty {
            if let first = seen[k] {
                throw ReportError(file, line: 1 + skipped, "columns \(first + 1) and \(i + 1) are both `\(VisibleText.escaped(names[i]))`: refkit cannot tell which one holds the data",
                                  fix: "delete or rename one of them and export again")
            }
            seen[k] = i
        }
        return CSVTable(header: names, keys: keys, rows: rows)
    }

    /// The first column whose key is one of `aliases`, in the order of `aliases`.
    func column(_ aliases: [String]) -> Int? {
        for alias in aliases { if let i = keys.firstIndex(of: alias) { return i } }
        return nil
    }
}

extension Array where Element == String {
    /// The trimmed cell at `i`, or "" when the column is absent or the row is short.
    func cell(_ i: Int?) -> String {
        guard let i, i < count else { return "" }
        return self[i].trimmingWhitespace()
    }
}
