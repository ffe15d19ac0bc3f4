import Foundation
import RefkitCSV
import RefkitModel

/// Reads `kit/report/progress.csv`, the counts the last `refkit report` left for progress pages
/// and leaderboards, into a `ProgressSummary`.
///
/// The file is refkit's own record, written by `CSVWriter`, so it is read by refkit's strict
/// reader and every row must be exactly as written: a damaged file is an error naming its line,
/// and the fix is to run the report again, which writes the whole file afresh. No file means no
/// report has been run yet (nil). An empty file (0 bytes: a disk that filled, a crash) means the
/// same, with a warning: it is derived data, and refusing to build would keep the whole site
/// from being published until the original export is found again. Blank rows (a hand edit's
/// last line) are skipped, as in follow-ups.csv.
public enum ProgressLoader {
    /// Far above what a million referrers write (about 30 bytes a row); a bigger file is not
    /// refkit's, and is refused before it is read into memory.
    static let maximumBytes = 64 << 20

    static let fix = "run `refkit report` again: it writes this file afresh from the export"

    public static func load(kitDirectory: URL) throws(LoadError) -> (summary: ProgressSummary, bytes: [UInt8])? {
        var ignored: [Diagnostic] = []
        return try load(kitDirectory: kitDirectory, warnings: &ignored)
    }

    /// As `load(kitDirectory:)`, adding a warning for an empty file.
    public static func load(kitDirectory: URL, warnings: inout [Diagnostic]) throws(LoadError) -> (summary: ProgressSummary, bytes: [UInt8])? {
        let url = kitDirectory.appendingPathComponent(ProgressSummary.kitPath)
        let file = ProgressSummary.displayPath
        // Not followed through a link: the kit's files are regular files refkit wrote.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return nil }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw LoadError([Diagnostic(SourceLocation(file: file), "this is not a regular file (a link, a folder or a device)", fix: "delete it and " + fix)])
        }
        if let size = attributes[.size] as? Int, size > maximumBytes {
            throw LoadError([Diagnostic(SourceLocation(file: file), "the file is \(size) bytes, more than refkit ever writes (\(maximumBytes))", fix: fix)])
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LoadError([Diagnostic(SourceLocation(file: file), "cannot read the file (\(error.localizedDescription))", fix: "check that it is readable, or " + fix)])
        }
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else {
            warnings.append(Diagnostic(SourceLocation(file: file), "the file is empty, so progress pages and leaderboards show zero as before any report",
                                       fix: fix))
            return nil
        }
        return (try parse(bytes), bytes)
    }

    public static func parse(_ bytes: [UInt8]) throws(LoadError) -> ProgressSummary {
        let file = ProgressSummary.displayPath
        let parsed = CSVRecords.read(bytes)
        var problems: [Diagnostic] = parsed.errors.map { Diagnostic(SourceLocation(file: file, line: $0.line), $0.message, fix: fix) }
        var records = parsed.records[...]
        let header = records.popFirst()
        guard header?.fields == ProgressSummary.columns else {
            throw LoadError([Diagnostic(SourceLocation(file: file, line: header?.line ?? 1),
                                        "the header is not \"\(ProgressSummary.columns.joined(separator: ","))\"", fix: fix)])
        }
        var referrers: [InviteCode: ReferrerProgress] = [:]
        referrers.reserveCapacity(records.count)
        for record in records where !record.fields.allSatisfy(\.isEmpty) {
            let cells = record.fields.map(FormulaGuard.unprotect)
            guard cells.count == 4, isCode(cells[0]), let friends = count(cells[1]), let waiting = count(cells[2]),
                  cells[3].isEmpty || Day(cells[3]) != nil else {
                problems.append(Diagnostic(SourceLocation(file: file, line: record.line),
                                           "the row is not `code,friends,waiting,first` (a code, two counts and a date or nothing)", fix: fix))
                continue
            }
            let code = InviteCode(uncheckedRawValue: cells[0])
            guard referrers[code] == nil else {
                problems.append(Diagnostic(SourceLocation(file: file, line: record.line), "the code \(cells[0]) has a second row", fix: fix))
                continue
            }
            referrers[code] = ReferrerProgress(friends: friends, waiting: waiting, first: Day(cells[3]))
        }
        guard problems.isEmpty else { throw LoadError(problems) }
        return ProgressSummary(referrers: referrers)
    }

    /// A code as the ledger stores it: Crockford symbols, upper case, no separators.
    static func isCode(_ cell: String) -> Bool {
        !cell.isEmpty && cell.utf8.count <= 32 && cell.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || ((0x41...0x5A).contains(b) && b != 0x49 && b != 0x4C && b != 0x4F && b != 0x55)
        }
    }

    /// A count as refkit writes it: ASCII digits, no sign, at most nine of them.
    static func count(_ cell: String) -> Int? {
        guard !cell.isEmpty, cell.utf8.count <= 9, cell.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(cell)
    }
}
