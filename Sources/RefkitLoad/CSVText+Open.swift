import CSV
import Foundation
import RefkitModel

extension CSVText {
    /// A user's CSV file ready to read row by row: decoded, its delimiter chosen, checked for a
    /// quote that never closes and for rows or cells too large to build, and its header read.
    ///
    /// Every CSV a person exports or keeps by hand goes through `open` (`referrers.csv`,
    /// `unsubscribed.csv`, the coupon and confirmation lists, the report's form exports), so
    /// each is refused for the same reasons at the same lines; the loaders only word what to do.
    public struct Opened {
        public let reader: CSVReader
        public let delimiter: UnicodeScalar
        /// The header row's cells as written.
        public let header: [String]
        /// The physical line the first row after the header starts on.
        public let firstRowLine: Int
        /// The decoded text, for a second look at the header (an oversized cell's column name).
        public let text: String
    }

    /// Why a file could not be opened.
    public enum Refusal: Error {
        /// Not UTF-8 or UTF-16 (`decode`): the diagnostic says which encoding it seems to be.
        case undecodable(Diagnostic)
        /// Empty, or only white space.
        case blank
        /// A quoted cell starts at this line and is never closed: the rest of the file would read
        /// as one cell, so say so instead of a cascade.
        case unclosedQuote(line: Int)
        /// A row or cell beyond the limits, found before the reader builds any row.
        case oversized(Oversized)
        case unreadable(String)
        case noHeader

        /// The refusal as a diagnostic of `file`: `emptyFix` and `headerFix` say what the file
        /// should start with, `oversized` words a row or cell beyond the limits.
        public func diagnostic(file: String, emptyFix: String, headerFix: String,
                               oversized: (Oversized) -> (line: Int, message: String, fix: String) = { _ in preconditionFailure("no limits were given") }) -> Diagnostic {
            func at(_ line: Int?, _ message: String, fix: String? = nil) -> Diagnostic {
                Diagnostic(SourceLocation(file: file, line: line), message, fix: fix)
            }
            switch self {
            case let .undecodable(diagnostic): return diagnostic
            case .blank: return at(nil, "the file is empty", fix: emptyFix)
            case let .unclosedQuote(line): return at(line, "a quoted cell starts here and is never closed", fix: "add the closing `\"`, or double a `\"` inside the cell")
            case let .oversized(what):
                let (line, message, fix) = oversized(what)
                return at(line, message, fix: fix)
            case let .unreadable(reason): return at(1, "cannot read the CSV (\(reason))")
            case .noHeader: return at(1, "there is no header row", fix: headerFix)
            }
        }
    }

    /// Decodes `data` (see `decode`) and opens the text.
    public static func open(_ data: Data, file: String, maximumCells: Int? = nil, maximumCellBytes: Int = .max) -> Result<Opened, Refusal> {
        switch decode(data, file: file) {
        case let .text(text): open(text: text, maximumCells: maximumCells, maximumCellBytes: maximumCellBytes)
        case let .problem(diagnostic): .failure(.undecodable(diagnostic))
        }
    }

    /// Opens decoded text whose first line is line `firstLine` of the file (2 after Excel's
    /// `sep=;` line), with `delimiter` or the one its header line uses. Without `maximumCells`
    /// nothing is measured.
    public static func open(text: String, firstLine: Int = 1, delimiter: UnicodeScalar? = nil,
                            maximumCells: Int? = nil, maximumCellBytes: Int = .max) -> Result<Opened, Refusal> {
        guard !text.unicodeScalars.allSatisfy(\.properties.isWhitespace) else { return .failure(.blank) }
        let delimiter = delimiter ?? Self.delimiter(of: text)
        if let line = unclosedQuoteLine(in: text, delimiter: delimiter) { return .failure(.unclosedQuote(line: line + firstLine - 1)) }
        if let maximumCells, let oversized = firstOversized(in: text, delimiter: delimiter, maximumCells: maximumCells, maximumCellBytes: maximumCellBytes) {
            return .failure(.oversized(oversized))
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false, trimFields: false, delimiter: delimiter)
        } catch {
            return .failure(.unreadable("\(error)"))
        }
        guard let header = reader.next() else { return .failure(.noHeader) }
        return .success(Opened(reader: reader, delimiter: delimiter, header: header,
                               firstRowLine: firstLine + lineBreaks(in: header) + 1, text: text))
    }

    /// A header cell as a key: trimmed, lower case, spaces and hyphens as underscores
    /// (`First Name` is `first_name`, `E-Mail` is `e_mail`).
    public static func columnKey(_ name: String) -> String {
        String(name.trimmingWhitespace().lowercased().map { $0 == " " || $0 == "-" ? "_" : $0 })
    }
}
