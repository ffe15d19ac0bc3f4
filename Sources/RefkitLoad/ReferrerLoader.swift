import CSV
import Foundation
import RefkitModel

/// Reads `content/referrers.csv`, the list of happy customers, as spreadsheets export it.
///
/// The first row names the columns: `email` and `name` are required; `first_name`, `lang` and
/// `program` are optional; every other column is kept, in file order, as `Referrer.extra` for
/// templates and the mail merge. Header names ignore case, and spaces or hyphens count as
/// underscores (`First Name` is `first_name`).
///
/// Accepted: UTF-8 with or without a byte order mark, UTF-16 with one, CRLF or LF, `,`, `;` or
/// tab as delimiter (chosen from the header line), quoted cells holding delimiters, quotes and
/// line breaks. Refused with a message: legacy code pages (see `CSVText`).
///
/// Every problem is reported, each at the physical line its row starts on: a quoted cell with
/// line breaks spans several lines, and the next row's number counts them.
public struct ReferrerLoader {
    /// Columns with a meaning of their own.
    public static let knownColumns = ["email", "name", "first_name", "lang", "program"]
    static let requiredColumns = ["email", "name"]

    /// Loads referrers for the programmes of a project: a row without `lang` gets the site
    /// language, or its programme's default language when the programme is not in the site
    /// language.
    public static func load(_ data: Data, file: String, site: Site, programs: [Program]) -> (referrers: [Referrer], diagnostics: [Diagnostic]) {
        var languages: [String: Set<LanguageTag>] = [:]
        var defaults: [String: LanguageTag] = [:]
        for program in programs {
            languages[program.slug] = Set(program.languages)
            defaults[program.slug] = program.defaultEdition.language
        }
        return load(data, file: file, defaultLanguage: site.language, mainProgram: programs.first?.slug ?? "",
                    programLanguages: languages, programDefaultLanguages: defaults)
    }

    /// Loads referrers.
    ///
    /// - Parameters:
    ///   - file: the path shown in diagnostics, such as `content/referrers.csv`.
    ///   - defaultLanguage: for rows without `lang`: the site language.
    ///   - mainProgram: for rows without `program`.
    ///   - programLanguages: every programme slug and the languages it has editions in.
    ///   - programDefaultLanguages: for rows without `lang` whose programme lacks
    ///     `defaultLanguage`; without an entry such rows are reported.
    /// - Returns: the referrers of rows without problems, in file order, and every problem.
    public static func load(_ data: Data, file: String, defaultLanguage: LanguageTag, mainProgram: String,
                            programLanguages: [String: Set<LanguageTag>],
                            programDefaultLanguages: [String: LanguageTag] = [:]) -> (referrers: [Referrer], diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        func report(_ line: Int?, _ message: String, fix: String? = nil) {
            diagnostics.append(Diagnostic(SourceLocation(file: file, line: line), message, fix: fix))
        }

        let opened: CSVText.Opened
        switch CSVText.open(data, file: file, maximumCells: Self.maximumColumns, maximumCellBytes: Self.maximumCellBytes) {
        case let .success(o): opened = o
        case let .failure(.oversized(.cellTooLong(line, column))):
            // The header is within the limits when a later row is not: reading it is cheap.
            let text: String? = if case let .text(t) = CSVText.decode(data, file: file) { t } else { nil }
            let header = line > 1 ? text.flatMap { try? CSVReader(string: $0, hasHeaderRow: false, trimFields: false, delimiter: CSVText.delimiter(of: $0)) }?.next() : nil
            let name = header.flatMap { column <= $0.count ? $0[column - 1].trimmingWhitespace() : nil }.flatMap { $0.isEmpty ? nil : $0 }
            let cell = name.map { "the `\($0)` cell" } ?? "cell \(column) of \(line == 1 ? "the header" : "the row")"
            report(line, "\(cell) is longer than \(Self.maximumCellBytes) bytes",
                   fix: "shorten it: the list holds names and short values, not documents")
            return ([], diagnostics)
        case let .failure(refusal):
            // Refused before the reader builds the rows: the rest of the file is not read.
            let headerFix = "start the file with a header row such as `email,name,lang`"
            return ([], [refusal.diagnostic(file: file, emptyFix: "start it with a header row such as `email,name,lang`", headerFix: headerFix) { oversized in
                guard case let .tooManyCells(line, cells) = oversized else { preconditionFailure("a long cell is worded above") }
                return (line, "\(line == 1 ? "the header" : "the row") has \(cells) cells; refkit reads at most \(Self.maximumColumns) columns",
                        "delete the columns you do not need: refkit needs `email` and `name`, and other columns are only for templates and the mail merge")
            }])
        }
        let (reader, header, delimiter) = (opened.reader, opened.header, opened.delimiter)
        let headerLine = 1
        var line = opened.firstRowLine
        let names = header.map { $0.trimmingWhitespace() }
        let keys = names.map(CSVText.columnKey)
        var column: [String: Int] = [:]
        for (i, key) in keys.enumerated() where !key.isEmpty {
            if let first = column[key] {
                if knownColumns.contains(key) {
                    report(headerLine, "the column `\(key)` appears twice (columns \(first + 1) and \(i + 1))", fix: "keep one of them")
                }
            } else {
                column[key] = i
            }
        }
        for required in requiredColumns where column[required] == nil {
            let near = names.first { Suggestion.closest(to: CSVText.columnKey($0), in: [required]) != nil && !knownColumns.contains(CSVText.columnKey($0)) }
            let fix = near.map { "rename the column `\($0)` to `\(required)`" }
                ?? "add a `\(required)` column; the header has " + names.map { "`\($0)`" }.joined(separator: ", ")
            report(headerLine, "the required column `\(required)` is missing", fix: fix)
        }
        guard let emailColumn = column["email"], let nameColumn = column["name"] else { return ([], diagnostics) }
        let firstNameColumn = column["first_name"], langColumn = column["lang"], programColumn = column["program"]
        // Columns without a name are the empty ones spreadsheets export beyond the data.
        let extraColumns = keys.indices.filter { !names[$0].isEmpty && !knownColumns.contains(keys[$0]) }
        let programList = programLanguages.keys.sorted()

        var referrers: [Referrer] = []
        var firstLineOfEmail: [String: Int] = [:]
        // A handful of distinct tags in 100,000 rows: parse each once.
        var tags: [String: LanguageTag?] = [:]

        while let row = reader.next() {
            let rowLine = line
            line += CSVText.lineBreaks(in: row) + 1
            // Blank lines and the empty rows spreadsheets leave at the end (`,,,`).
            if row.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }

            func cell(_ i: Int?) -> String {
                guard let i, i < row.count else { return "" }
                return row[i]
            }
            var ok = true
            if row.count > header.count, row[header.count...].contains(where: { !$0.trimmingWhitespace().isEmpty }) {
                report(rowLine, "the row has \(row.count) cells but the header has \(header.count)",
                       fix: "put cells that contain `\(delimiter)` in double quotes, or add a name for the extra column")
                ok = false
            }

            let email = cell(emailColumn).trimmingWhitespace()
            if email.isEmpty {
                report(rowLine, "the email is empty", fix: "fill in the `email` cell or delete the row")
                ok = false
            } else if !isValidEmail(email) {
                report(rowLine, "\"\(email)\" is not an email address", fix: "correct the `email` cell")
                ok = false
            } else {
                let key = normalizedEmail(email)
                if let first = firstLineOfEmail[key] {
                    report(rowLine, "\(email) is listed twice, on line \(first) and on line \(rowLine)",
                           fix: "keep one row per email (emails are compared ignoring case)")
                    ok = false
                } else {
                    firstLineOfEmail[key] = rowLine
                }
            }

            let name = cell(nameColumn).trimmingWhitespace()
            if name.isEmpty {
                report(rowLine, "the name is empty", fix: "fill in the `name` cell")
                ok = false
            }
            // Names end up in pages, mail headers, PDFs and file-less but visible places:
            // invisible characters there are either an attack (U+202E flips the text around
            // it) or spreadsheet debris, never part of a name.
            for (column, text) in [("name", name), ("first_name", cell(firstNameColumn))] {
                if let bad = text.unicodeScalars.first(where: Self.isInvisibleControl) {
                    report(rowLine, "the `\(column)` cell contains the invisible character U+\(String(bad.value, radix: 16, uppercase: true))",
                           fix: "retype the cell; invisible characters often come from copying out of web pages")
                    ok = false
                }
            }
            // The first name goes on the public personal page and the postcard: an address
            // there (the email pasted one column off) would publish it.
            if cell(firstNameColumn).unicodeScalars.contains(where: { $0 == "@" || $0 == "\u{FF20}" }) {
                report(rowLine, "the `first_name` cell holds an email address, and the personal page would publish it",
                       fix: "put only the given name in first_name (Marie for Marie Dupont)")
                ok = false
            }
            if name.count > Self.maximumNameLength {
                report(rowLine, "the name is \(name.count) characters long", fix: "shorten it to at most \(Self.maximumNameLength) characters")
                ok = false
            }

            var program = cell(programColumn).trimmingWhitespace()
            if program.isEmpty { program = mainProgram }
            let languages = programLanguages[program]
            if languages == nil {
                let fix = Suggestion.closest(to: program, in: programList).map { "did you mean `\($0)`?" }
                    ?? "use one of: " + programList.joined(separator: ", ")
                report(rowLine, "there is no programme \"\(program)\"", fix: fix)
                ok = false
            }

            let langText = cell(langColumn).trimmingWhitespace()
            var language: LanguageTag?
            if langText.isEmpty {
                if let languages, !languages.contains(defaultLanguage), let fallback = programDefaultLanguages[program] {
                    language = fallback
                } else {
                    language = defaultLanguage
                }
            } else {
                language = tags[langText] ?? { let t = LanguageTag(langText); tags[langText] = t; return t }()
                if language == nil {
                    report(rowLine, "\"\(langText)\" is not a language tag", fix: "use a BCP 47 tag such as `en`, `fr`, `ja` or `zh-Hans`")
                    ok = false
                }
            }
            if let languages, let tag = language, !languages.contains(tag) {
                let available = languages.sorted().map(\.rawValue).joined(separator: ", ")
                let what = langText.isEmpty ? "the row has no `lang`, and" : "the language \(tag) is unknown:"
                report(rowLine, "\(what) programme \(program) has no edition in \(tag)",
                       fix: "use one of: \(available), or add the translation")
                ok = false
            }

            guard ok, let language else { continue }
            let given = cell(firstNameColumn).trimmingWhitespace()
            referrers.append(Referrer(
                email: email, name: name,
                firstName: given.isEmpty ? Referrer.firstName(fromName: name, language: language) : given,
                language: language, program: program,
                extra: extraColumns.map { Referrer.Field(name: names[$0], value: cell($0)) },
                line: rowLine))
        }
        return (referrers, diagnostics)
    }

    /// No one's name is longer; anything longer is a pasted paragraph.
    static let maximumNameLength = 200

    /// Far more than any export of customers has (a CRM's runs to a few dozen); every row is
    /// padded to the header's width and carried into drafts and the merge file, so a header
    /// of a million columns cost minutes and gigabytes.
    public static let maximumColumns = 1_000
    /// About 10,000 Latin letters or 3,300 Chinese characters: a long note fits, a pasted file
    /// does not.
    public static let maximumCellBytes = 10_000

    /// Controls (line breaks, NUL, escape), bidirectional overrides and isolates, and the
    /// zero-width space and byte-order mark. The zero-width joiner stays: emoji and several
    /// scripts need it.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0x200B || v == 0xFEFF || v == 0x200E || v == 0x200F
    }
}
