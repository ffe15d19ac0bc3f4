import Foundation
import RefkitCSV
import RefkitModel

/// `kit/report/follow-ups.csv`: every follow-up drafted, appended once and never rewritten, so
/// that however often the report runs nobody gets a follow-up more often than the cadence
/// allows. Columns `date,segment,code,recipient`; the recipient is the address as normalised
/// (trimmed, lower case).
public struct FollowUpLog: Sendable {
    public static let columns = ["date", "segment", "code", "recipient"]
    public static let kitPath = "report/follow-ups.csv"
    public static let displayPath = "kit/report/follow-ups.csv"

    public struct Row: Hashable, Sendable {
        public var date: Day
        public var segment: FollowUpSegment
        public var code: InviteCode
        public var recipient: String
        public var line: Int
    }

    public private(set) var bytes: Data
    public private(set) var rows: [Row] = []
    private var nudges: [InviteCode: (count: Int, last: Day)] = [:]
    private var sent: Set<String> = []
    private var nextLine = 2
    private var needsLineBreak = false

    /// Reads the previous file; empty data is a log with nothing drafted yet.
    public init(bytes data: Data) throws(ReportError) {
        bytes = data
        guard !data.isEmpty else { return }
        let parsed = CSVRecords.read([UInt8](data))
        let fix = "restore the file from a backup, or delete the damaged row (its follow-up may then be drafted again)"
        var problems = parsed.errors.map { Diagnostic(SourceLocation(file: Self.displayPath, line: $0.line), $0.message, fix: fix) }
        var records = parsed.records[...]
        let header = records.popFirst()
        guard header?.fields.map({ $0.trimmingWhitespace().lowercased() }) == Self.columns else {
            throw ReportError(Self.displayPath, line: header?.line ?? 1, "the header is not \"\(Self.columns.joined(separator: ","))\"",
                              fix: "restore the file from a backup; refkit only ever appends to it")
        }
        for record in records where !record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
            let cells = record.fields.map(FormulaGuard.unprotect)
            guard cells.count == 4, let date = Day(cells[0].trimmingWhitespace()), let segment = FollowUpSegment(rawValue: cells[1]),
                  let code = InviteCode.parse(cells[2]), Self.isAddress(cells[3]) else {
                problems.append(Diagnostic(SourceLocation(file: Self.displayPath, line: record.line), "the row is not `date,segment,code,recipient`", fix: fix))
                continue
            }
            remember(Row(date: date, segment: segment, code: code, recipient: cells[3], line: record.line))
        }
        // refkit ends every row it appends with a line break. A last row without one was cut
        // short (a disk that filled, a copy interrupted), and may still read as a row:
        // `crlf@ex` for `crlf@example.fr` would let that friend be reminded again.
        if !parsed.endsWithNewline, let last = records.last, problems.isEmpty,
           !last.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
            problems.append(Diagnostic(SourceLocation(file: Self.displayPath, line: last.line),
                                       "the last row has no line break after it, so it may have been cut short (refkit ends every row it writes)",
                                       fix: "restore the file from a backup; if the row is whole, add a line break at the end of the file"))
        }
        guard problems.isEmpty else { throw ReportError(problems.sorted { $0.location < $1.location }) }
        nextLine = parsed.nextLine
        needsLineBreak = !parsed.endsWithNewline
    }

    /// An address a draft could have gone to: one `@`, something before it, and a domain with
    /// a dot (or `localhost`), as `MailAddress.isValid` requires of every recipient.
    static func isAddress(_ cell: String) -> Bool {
        let parts = cell.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && (parts[1].contains(".") || parts[1] == "localhost")
            && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
    }

    /// A drafted follow-up found in the kit, for `rebuilt(from:group:)`.
    public struct KeptDraft: Sendable {
        /// The log line in its name (`DATE-NNNNN-CODE.eml`).
        public var line: Int
        public var date: Day
        public var segment: FollowUpSegment
        public var code: InviteCode
        public var recipient: String

        public init(line: Int, date: Day, segment: FollowUpSegment, code: InviteCode, recipient: String) {
            (self.line, self.date, self.segment, self.code, self.recipient) = (line, date, segment, code, recipient)
        }
    }

    /// A log rebuilt from the drafts kept in `kit/report/follow-ups/`, each at the line its
    /// name gives: the lines of drafts since deleted stay blank (read as nothing), so the next
    /// draft's name follows the highest kept one and never takes a kept draft's name.
    public static func rebuilt(from drafts: [KeptDraft], group: Int) throws(ReportError) -> FollowUpLog {
        var text = writer.line(columns)
        var line = 2
        // Two drafts never share a line; should a hand-made copy do so, the first one stands.
        for d in drafts.sorted(by: { $0.line < $1.line }) where d.line >= line {
            text += String(repeating: "\n", count: d.line - line)
            text += writer.line([d.date.description, d.segment.rawValue, d.code.formatted(group: group), d.recipient])
            line = d.line + 1
        }
        return try FollowUpLog(bytes: Data(text.utf8))
    }

    private mutating func remember(_ row: Row) {
        rows.append(row)
        sent.insert(Self.key(row.segment, row.code, row.recipient))
        if row.segment == .nudge {
            let known = nudges[row.code]
            nudges[row.code] = ((known?.count ?? 0) + 1, max(known?.last ?? row.date, row.date))
        }
    }

    static func key(_ segment: FollowUpSegment, _ code: InviteCode, _ recipient: String) -> String {
        segment.rawValue + "\u{0}" + code.rawValue + "\u{0}" + EmailIdentity.key(recipient)
    }

    /// How many nudges a referrer has had, and the day of the last.
    public func nudges(_ code: InviteCode) -> (count: Int, last: Day?) {
        nudges[code].map { ($0.count, $0.last) } ?? (0, nil)
    }

    /// Whether this segment's follow-up went to this recipient for this code already.
    public func contains(_ segment: FollowUpSegment, _ code: InviteCode, _ recipient: String) -> Bool {
        sent.contains(Self.key(segment, code, recipient))
    }

    /// Appends one row and returns its line.
    public mutating func append(date: Day, segment: FollowUpSegment, code: InviteCode, recipient: String, group: Int) -> Int {
        if bytes.isEmpty { bytes.append(contentsOf: Self.writer.line(Self.columns).utf8) }
        if needsLineBreak {
            bytes.append(0x0A)
            needsLineBreak = false
        }
        let cells = [date.description, segment.rawValue, code.formatted(group: group), recipient]
        bytes.append(contentsOf: Self.writer.line(cells).utf8)
        let line = nextLine
        nextLine += 1 + CSVRecords.lineBreaks(in: cells)
        remember(Row(date: date, segment: segment, code: code, recipient: recipient, line: line))
        return line
    }

    public var outputFile: OutputFile { OutputFile(area: .kit, path: Self.kitPath, bytes: bytes, isPrivate: true) }

    /// refkit's one CSV writer: a recipient comes from a public form.
    static let writer = CSVWriter(lineEnd: .lf)
}

/// The follow-ups `refkit report` drafts, each from the programme's `email:` message of the
/// same name.
public enum FollowUpSegment: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Active referrers with no counted referral some days after their code was issued.
    case nudge
    /// Friends whose form counted and who have not converted some days later.
    case friendReminder = "friend_reminder"
    /// Every active referrer, some days before a limited-time programme ends.
    case deadline

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}
