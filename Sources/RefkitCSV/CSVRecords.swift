/// Reads the CSV files refkit wrote itself and reads again (`kit/codes.csv`,
/// `kit/report/rewards.csv`): RFC 4180 with `,`, any line end
/// (LF, CRLF or a lone CR, in case a spreadsheet re-saved the file), with the physical line each
/// row starts on. Everything `CSVWriter` writes reads back as the same cells.
///
/// refkit reads its own records with this small reader instead of a CSV library because it
/// needs physical line numbers for every row and must be exact about what it accepts: a ledger
/// is a record, not user input to be guessed at. It works on bytes, so no combination of
/// quotes, combining marks and line breaks is read differently from how it was written.
public enum CSVRecords {
    /// One row as read, before the neutralising `'` is dropped.
    public struct Record: Sendable {
        /// Physical line the row starts on, counting from 1.
        public var line: Int
        public var fields: [String]
    }

    public enum ReadError: Error, Hashable, Sendable {
        case invalidUTF8(line: Int)
        case unterminatedQuote(line: Int)
        case textAfterQuote(line: Int)

        /// The physical line the damaged row starts on.
        public var line: Int {
            switch self {
            case .invalidUTF8(let line), .unterminatedQuote(let line), .textAfterQuote(let line): line
            }
        }

        /// What is wrong with the row, for a diagnostic that names the file and says how to mend it.
        public var message: String {
            switch self {
            case .invalidUTF8: "the row is not valid UTF-8"
            case .unterminatedQuote: "a quoted cell is never closed"
            case .textAfterQuote: "text follows a closing quote"
            }
        }
    }

    /// The line breaks inside a row's cells as `read` counts them (CR LF, LF or a lone CR is
    /// one), so that a writer knows the line its next row starts on.
    public static func lineBreaks(in cells: [String]) -> Int {
        var count = 0
        for cell in cells {
            var previous: UInt8 = 0
            for b in cell.utf8 {
                if b == 0x0A { if previous != 0x0D { count += 1 } } else if b == 0x0D { count += 1 }
                previous = b
            }
        }
        return count
    }

    /// Whether the scalar starting at `offset` would join a quote before it into one Character.
    static func extendsQuote(_ bytes: [UInt8], at offset: Int) -> Bool {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes[offset...].makeIterator()
        guard case .valid(let encoded) = parser.parseScalar(from: &iterator) else { return false }
        let scalar = Unicode.UTF8.decode(encoded)
        var pair = String.UnicodeScalarView()
        pair.append("\"")
        pair.append(scalar)
        return String(pair).count == 1
    }

    /// Reads every record. `nextLine` is the line a row appended after the last one would
    /// start on, once the file ends with a line break.
    public static func read(_ bytes: [UInt8]) -> (records: [Record], errors: [ReadError], nextLine: Int, endsWithNewline: Bool) {
        var records: [Record] = []
        var errors: [ReadError] = []
        var i = 0
        let n = bytes.count
        if n >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        var line = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

        func string(_ slice: ArraySlice<UInt8>, _ recordLine: Int, _ bad: inout Bool) -> String {
            if let s = String(validating: slice, as: UTF8.self) { return s }
            bad = true
            return String(decoding: slice, as: UTF8.self)
        }

        while i < n {
            let start = line
            var fields: [String] = []
            var bad = false
            var recordDone = false
            while !recordDone {
                if i < n, bytes[i] == quote {
                    // Quoted field: "" is a quote; line breaks inside count as lines.
                    i += 1
                    var value: [UInt8] = []
                    var closed = false
                    while i < n {
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < n, bytes[i + 1] == quote {
                                value.append(quote)
                                i += 2
                                continue
                            }
                            // A lone quote that a combining mark (or another extending scalar)
                            // follows: what refkit's writers before `CSVWriter` left undoubled,
                            // because they compared Characters and `"` + U+0301 is one. It
                            // cannot close the cell (a closing quote is followed by `,`, a line
                            // break or the end), so it is the quote of the value, read back as
                            // it was meant: ledgers damaged that way read again.
                            if i + 1 < n, bytes[i + 1] >= 0x80, extendsQuote(bytes, at: i + 1) {
                                value.append(quote)
                                i += 1
                                continue
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if b == lf || (b == cr && (i + 1 >= n || bytes[i + 1] != lf)) { line += 1 }
                        value.append(b)
                        i += 1
                    }
                    if !closed {
                        errors.append(.unterminatedQuote(line: start))
                        fields.append(string(value[...], start, &bad))
                        recordDone = true
                        break
                    }
                    fields.append(string(value[...], start, &bad))
                    if i < n, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr {
                        errors.append(.textAfterQuote(line: start))
                        // Skip to the end of the field so the rest of the row still reads.
                        while i < n, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { i += 1 }
                    }
                } else {
                    let fieldStart = i
                    while i < n, bytes[i] != comma, bytes[i] != lf, bytes[i] != cr { i += 1 }
                    fields.append(string(bytes[fieldStart..<i], start, &bad))
                }
                if i >= n {
                    recordDone = true
                } else if bytes[i] == comma {
                    i += 1
                } else {
                    // Line break: CRLF, LF or a lone CR.
                    if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 1 }
                    i += 1
                    line += 1
                    recordDone = true
                }
            }
            if bad { errors.append(.invalidUTF8(line: start)) }
            records.append(Record(line: start, fields: fields))
        }
        let endsWithNewline = n == 0 || bytes[n - 1] == lf || bytes[n - 1] == cr
        return (records, errors, endsWithNewline ? line : line + 1, endsWithNewline)
    }
}
