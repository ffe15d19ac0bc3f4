/// Writes CSV rows for every file refkit makes (`kit/codes.csv`, `kit/variants.csv`,
/// `kit/mail/merge.csv`, `kit/report/rewards.csv`): RFC 4180 with `,`, each cell through
/// `FormulaGuard`, then quoted when it needs to be.
///
/// Quoting works on bytes, never on `Character`: a quote followed by a combining mark (`"` +
/// U+0301) and a CR LF pair are single Characters, so a Character-based `contains("\"")` or
/// `== "\n"` misses them, and one such value in a public form used to break out of its cell.
/// Every `"` byte is doubled, whatever follows it.
public struct CSVWriter: Sendable {
    public enum LineEnd: String, Sendable {
        /// refkit's own records (the ledger, the rewards): what `git diff` and `grep` like.
        case lf = "\n"
        /// Files for other programs (mail-merge tools, Excel): what RFC 4180 says.
        case crlf = "\r\n"
    }

    public let lineEnd: LineEnd

    public init(lineEnd: LineEnd = .lf) {
        self.lineEnd = lineEnd
    }

    /// One row, with its line end. A row of one empty cell is written `""`: as an empty line,
    /// Python's `csv`, LibreOffice and refkit's export reader would skip it as blank.
    public func line(_ cells: [String]) -> String {
        if cells.count == 1, cells[0].isEmpty { return "\"\"" + lineEnd.rawValue }
        var text = ""
        text.reserveCapacity(cells.reduce(8) { $0 + $1.utf8.count + 1 })
        for (i, cell) in cells.enumerated() {
            if i > 0 { text += "," }
            text += Self.cell(cell)
        }
        return text + lineEnd.rawValue
    }

    /// One cell: guarded against formulas, and quoted when it holds a delimiter (`,`, or `;`
    /// for Excel where that is the list separator), a quote, any control character (CR, LF,
    /// tab, NUL…), a Unicode line or paragraph separator, white space at either end (which
    /// some readers trim) or a leading U+FEFF (which a reader drops as a byte order mark).
    /// Everything else is written as it is, so every value reads back.
    public static func cell(_ value: String) -> String {
        let text = FormulaGuard.protect(value)
        guard needsQuotes(text) else { return text }
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(text.utf8.count + 8)
        for b in text.utf8 {
            bytes.append(b)
            if b == 0x22 { bytes.append(0x22) }
        }
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// By bytes, one pass: this runs for every cell of a 100,000-row ledger.
    static func needsQuotes(_ text: String) -> Bool {
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for b in text.utf8 {
            switch b {
            case 0..<0x20, 0x7F, UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\""): return true
            // NEL and the other C1 controls (U+0080–U+009F, C2 80–C2 9F), LINE SEPARATOR and
            // PARAGRAPH SEPARATOR (E2 80 A8, E2 80 A9): some readers end a line at them.
            case 0x80...0x9F where previous == 0xC2: return true
            case 0xA8...0xA9 where previous == 0x80 && beforePrevious == 0xE2: return true
            default: break
            }
            beforePrevious = previous
            previous = b
        }
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        if first == 0x20 || last == 0x20 { return true }
        // U+FEFF first: a reader takes it for a byte order mark when the cell starts a file.
        if first >= 0x80, let s = text.unicodeScalars.first, s.properties.isWhitespace || s == "\u{FEFF}" { return true }
        if last >= 0x80, let s = text.unicodeScalars.last, s.properties.isWhitespace { return true }
        return false
    }
}
