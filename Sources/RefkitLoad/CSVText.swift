import Foundation
import RefkitModel

/// Turns the bytes of a spreadsheet export into text, or says precisely why it cannot.
///
/// Spreadsheets write CSV in whatever their platform calls the default: UTF-8 with or without a
/// byte order mark, UTF-16 ("Unicode text"), or a legacy code page (Windows-1252 on Western
/// Windows, Shift-JIS on Japanese Windows). Legacy code pages are refused with a message
/// naming the likely one, rather than decoded by guesswork: a wrong guess turns every accented
/// name into mojibake on thousands of postcards.
public enum CSVText {
    enum LegacyEncoding: String {
        case windows1252 = "Windows-1252"
        case shiftJIS = "Shift-JIS"
        case gbk = "GBK"

        /// Where such files usually come from, for the message.
        var origin: String {
            switch self {
            case .windows1252: "what Excel's plain \"CSV (Comma delimited)\" writes on Western Windows"
            case .shiftJIS: "what Excel writes on Japanese Windows"
            case .gbk: "what Excel writes on Chinese Windows"
            }
        }
    }

    public enum Decoded {
        case text(String)
        case problem(Diagnostic)
    }

    public static let saveAsUTF8 = "save it as UTF-8 (In Excel: File › Save As › CSV UTF-8 (Comma delimited); Numbers and Google Sheets export UTF-8)"

    /// The text of the file without a byte order mark, or a diagnostic.
    public static func decode(_ data: Data, file: String) -> Decoded {
        let bytes = [UInt8](data)
        func fail(_ line: Int?, _ message: String) -> Decoded {
            .problem(Diagnostic(SourceLocation(file: file, line: line), message, fix: saveAsUTF8))
        }
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && Array(bytes.prefix(prefix.count)) == prefix }

        if starts([0xEF, 0xBB, 0xBF]) {
            return utf8(bytes, from: 3, file: file)
        }
        if starts([0xFF, 0xFE, 0x00, 0x00]) || starts([0x00, 0x00, 0xFE, 0xFF]) {
            return fail(1, "the file is UTF-32, which refkit does not read")
        }
        if starts([0xFF, 0xFE]) { return utf16(bytes, from: 2, bigEndian: false, file: file) }
        if starts([0xFE, 0xFF]) { return utf16(bytes, from: 2, bigEndian: true, file: file) }
        // UTF-16 without a byte order mark: ASCII characters show as a zero byte beside each
        // letter. Checked before UTF-8, which it would pass as text full of NULs.
        if bytes.count >= 4, bytes.count % 2 == 0 {
            if bytes[0] != 0, bytes[1] == 0, bytes[3] == 0 { return utf16(bytes, from: 0, bigEndian: false, file: file) }
            if bytes[0] == 0, bytes[2] == 0, bytes[1] != 0 { return utf16(bytes, from: 0, bigEndian: true, file: file) }
        }
        return utf8(bytes, from: 0, file: file)
    }

    private static func utf8(_ bytes: [UInt8], from start: Int, file: String) -> Decoded {
        let body = bytes[start...]
        if let text = String(validating: body, as: UTF8.self) { return .text(text) }
        let offset = firstInvalidUTF8(body) ?? start
        let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        var message = "the file is not UTF-8"
        if let guess = guessLegacyEncoding(body) {
            message += "; it looks like \(guess.rawValue), \(guess.origin)"
        } else {
            message += " (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) cannot start a character)"
        }
        return .problem(Diagnostic(SourceLocation(file: file, line: line), message, fix: saveAsUTF8))
    }

    private static func utf16(_ bytes: [UInt8], from start: Int, bigEndian: Bool, file: String) -> Decoded {
        guard (bytes.count - start) % 2 == 0 else {
            return .problem(Diagnostic(SourceLocation(file: file), "the file is UTF-16 but ends in the middle of a character",
                                       fix: saveAsUTF8))
        }
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - start) / 2)
        var i = start
        while i + 1 < bytes.count {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(bigEndian ? a << 8 | b : b << 8 | a)
            i += 2
        }
        guard let text = String(validating: units, as: UTF16.self) else {
            return .problem(Diagnostic(SourceLocation(file: file), "the file is UTF-16 with a broken surrogate pair",
                                       fix: saveAsUTF8))
        }
        return .text(text)
    }

    /// Offset of the first byte that does not start a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = bytes.startIndex
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// A guess at the legacy code page of text that is not UTF-8, from the shape of its bytes
    /// above 0x7F. Shift-JIS and GBK write each character as a lead byte and a trail byte,
    /// and the three differ in which lead bytes they use:
    /// - Shift-JIS leads with 0x81–0x9F for kana and common kanji, bytes that Windows-1252
    ///   uses only for rare punctuation;
    /// - GBK puts Chinese characters in 0xA1–0xFE for both bytes;
    /// - Windows-1252 text has accented letters (0xC0–0xFF) alone between ASCII letters.
    static func guessLegacyEncoding(_ bytes: ArraySlice<UInt8>) -> LegacyEncoding? {
        var sjisValid = true, sjisPairs = 0, sjisLowLeads = 0
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            if (0xA1...0xDF).contains(b) { i += 1; continue } // half-width katakana
            // Leads 0xF0–0xFC are user-defined in Shift-JIS; leaving them out keeps German and
            // Nordic letters (ö = 0xF6, ü = 0xFC) from looking Japanese.
            guard (0x81...0x9F).contains(b) || (0xE0...0xEF).contains(b), i + 1 < bytes.endIndex,
                  case let t = bytes[i + 1], (0x40...0x7E).contains(t) || (0x80...0xFC).contains(t) else {
                sjisValid = false
                break
            }
            sjisPairs += 1
            if b <= 0x9F { sjisLowLeads += 1 }
            i += 2
        }
        if sjisValid, sjisPairs > 0, sjisLowLeads * 2 >= sjisPairs { return .shiftJIS }

        var gbkValid = true, gbkPairs = 0, gbkHanzi = 0
        i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            guard (0x81...0xFE).contains(b), i + 1 < bytes.endIndex,
                  case let t = bytes[i + 1], (0x40...0x7E).contains(t) || (0x80...0xFE).contains(t) else {
                gbkValid = false
                break
            }
            gbkPairs += 1
            if b >= 0xA1, t >= 0xA1 { gbkHanzi += 1 }
            i += 2
        }
        if gbkValid, gbkPairs > 0, gbkHanzi * 5 >= gbkPairs * 4 { return .gbk }

        // Windows-1252 leaves five bytes undefined.
        let undefined: Set<UInt8> = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
        if !bytes.contains(where: undefined.contains) { return .windows1252 }
        return sjisValid ? .shiftJIS : nil
    }

    /// The delimiter of a spreadsheet export, from its header line: `,`, `;` (Excel where the
    /// decimal separator is a comma, as in France) or tab ("Unicode text"), whichever occurs
    /// most outside quotes; `,` when there is a tie or none.
    public static func delimiter(of text: String) -> UnicodeScalar {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, 0x09: 0]
        var inQuotes = false
        for b in text.utf8 {
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if b == 0x0A || b == 0x0D { break }
            if counts[b] != nil { counts[b]! += 1 }
        }
        let comma = counts[UInt8(ascii: ",")]!, semicolon = counts[UInt8(ascii: ";")]!, tab = counts[0x09]!
        if semicolon > comma, semicolon >= tab { return ";" }
        if tab > comma, tab > semicolon { return "\t" }
        return ","
    }

    /// The line of a quote that opens a cell and is never closed, which would swallow the rest
    /// of the file into one cell.
    public static func unclosedQuoteLine(in text: String, delimiter: UnicodeScalar) -> Int? {
        let quote = UInt8(ascii: "\""), d = UInt8(truncatingIfNeeded: delimiter.value), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var text = text
        return text.withUTF8 { bytes -> Int? in
            let n = bytes.count
            var i = 0, line = 1, atFieldStart = true
            // A line ends at LF, CRLF or a lone CR, as in CSV.swift's reader.
            func isLineEnd(_ i: Int) -> Bool { bytes[i] == lf || (bytes[i] == cr && (i + 1 >= n || bytes[i + 1] != lf)) }
            while i < n {
                let b = bytes[i]
                if atFieldStart, b == quote {
                    let opened = line
                    var closed = false
                    i += 1
                    while i < n {
                        if bytes[i] == quote {
                            if i + 1 < n, bytes[i + 1] == quote { i += 2; continue }
                            i += 1
                            closed = true
                            break
                        }
                        if isLineEnd(i) { line += 1 }
                        i += 1
                    }
                    if !closed { return opened }
                    atFieldStart = false
                    continue
                }
                if isLineEnd(i) { line += 1 }
                atFieldStart = b == d || b == lf || b == cr
                i += 1
            }
            return nil
        }
    }

    /// A record or cell beyond what a reader should build, found before the CSV reader builds
    /// it: a header of a million columns made every row a million cells (the rows are padded
    /// to the header), and one cell can hold a whole file.
    public enum Oversized: Equatable, Sendable {
        /// The record starting at `line` has `cells` cells.
        case tooManyCells(line: Int, cells: Int)
        /// Cell `column` (from 1) of the record starting at `line` is longer than the limit.
        case cellTooLong(line: Int, column: Int)
    }

    /// The first record with more than `maximumCells` cells or a cell of more than
    /// `maximumCellBytes` bytes of UTF-8, in one pass over the bytes that splits records and
    /// cells as CSV.swift's reader does (quotes open a cell only at its start; a doubled quote
    /// inside one is a quote; a record ends at LF, CRLF or a lone CR outside quotes). Records are
    /// named by the line they start on.
    public static func firstOversized(in text: String, delimiter: UnicodeScalar,
                                      maximumCells: Int, maximumCellBytes: Int) -> Oversized? {
        let quote = UInt8(ascii: "\""), d = UInt8(truncatingIfNeeded: delimiter.value), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var text = text
        return text.withUTF8 { bytes -> Oversized? in
            let n = bytes.count
            var i = 0, line = 1, recordLine = 1, cells = 1, cellBytes = 0
            var inQuotes = false, atCellStart = true
            while i < n {
                let b = bytes[i]
                i += 1
                if inQuotes {
                    if b == quote {
                        if i < n, bytes[i] == quote { i += 1 } else { inQuotes = false; continue }
                    } else if b == lf || (b == cr && (i >= n || bytes[i] != lf)) {
                        line += 1
                    }
                } else if b == quote, atCellStart {
                    inQuotes = true
                    atCellStart = false
                    continue
                } else if b == d {
                    cells += 1
                    cellBytes = 0
                    atCellStart = true
                    continue
                } else if b == lf || b == cr {
                    if cells > maximumCells { return .tooManyCells(line: recordLine, cells: cells) }
                    if b == cr, i < n, bytes[i] == lf { i += 1 }
                    line += 1
                    recordLine = line
                    cells = 1
                    cellBytes = 0
                    atCellStart = true
                    continue
                }
                atCellStart = false
                cellBytes += 1
                if cellBytes > maximumCellBytes { return .cellTooLong(line: recordLine, column: cells) }
            }
            return cells > maximumCells ? .tooManyCells(line: recordLine, cells: cells) : nil
        }
    }

    /// Line breaks inside a row's cells (only quoted cells have them: CRLF, LF or a lone CR),
    /// so that each row is reported at the physical line it starts on.
    public static func lineBreaks(in row: [String]) -> Int {
        var count = 0
        for field in row {
            var previous: UInt8 = 0
            for b in field.utf8 {
                if b == 0x0A { if previous != 0x0D { count += 1 } } else if b == 0x0D { count += 1 }
                previous = b
            }
        }
        return count
    }
}
