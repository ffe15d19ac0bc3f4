import RefkitCSV

/// The CSV dialect of `kit/codes.csv`: refkit's one CSV writer (`CSVWriter`, with its formula
/// guard) with LF line ends, and its strict reader (`CSVRecords`), which also accepts CRLF and
/// CR in case a spreadsheet re-saved the file.
///
/// Reading drops the guard's `'` with `FormulaGuard.unprotect`, the exact inverse of writing, so
/// every value round-trips; ledgers written by earlier versions read as before (they guarded
/// a leading `'` too).
enum LedgerCSV {
    typealias Record = CSVRecords.Record
    typealias ReadError = CSVRecords.ReadError

    private static let writer = CSVWriter(lineEnd: .lf)

    static func decode(_ field: String) -> String {
        FormulaGuard.unprotect(field)
    }

    static func line(_ fields: [String]) -> String {
        writer.line(fields)
    }

    /// Every record; see `CSVRecords.read`.
    static func read(_ bytes: [UInt8]) -> (records: [Record], errors: [ReadError], nextLine: Int, endsWithNewline: Bool) {
        CSVRecords.read(bytes)
    }
}
