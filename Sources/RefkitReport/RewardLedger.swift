import Foundation
import RefkitCSV
import RefkitCodes
import RefkitModel

/// `kit/report/rewards.csv`: every reward earned, appended once and never rewritten.
///
/// Columns `code,friend,tier,reward,date`. Each run starts from the previous file's bytes and
/// appends only rewards whose key (`EarnedReward.key`: a tier once per referrer, a per-referral
/// reward once per friend) is not in it yet, so running the report again on the same or a
/// longer export adds nothing twice, and what a shop already handed out stays on record even
/// if a later export no longer shows it.
public struct RewardLedger: Sendable {
    public static let columns = ["code", "friend", "tier", "reward", "date"]
    /// Path inside the kit.
    public static let kitPath = "report/rewards.csv"
    public static let displayPath = "kit/report/rewards.csv"

    public struct Row: Hashable, Sendable {
        public var code: InviteCode
        public var friend: String
        public var tier: String
        public var reward: String
        public var date: Day
        public var line: Int

        var key: String {
            tier == EarnedReward.eachTier ? code.rawValue + "\u{0}each\u{0}" + friend : code.rawValue + "\u{0}" + tier
        }
    }

    public private(set) var bytes: Data
    public private(set) var rows: [Row]
    /// How many bytes came from the previous run.
    public let loadedByteCount: Int
    private var keys: Set<String>
    private var nextLine: Int
    /// The previous file does not end with a line break: the first appended row needs one.
    private var needsLineBreak = false

    /// Reads the previous file; empty data is a ledger with no rewards yet.
    public init(bytes data: Data) throws(ReportError) {
        bytes = data
        rows = []
        keys = []
        loadedByteCount = data.count
        nextLine = 2
        guard !data.isEmpty else { return }
        // refkit's own strict reader, as for the code ledger: the file is refkit's record, read
        // exactly as `CSVWriter` wrote it (and as earlier versions did), not an export to guess at.
        let parsed = CSVRecords.read([UInt8](data))
        var problems: [Diagnostic] = []
        func problem(_ line: Int, _ message: String) {
            problems.append(Diagnostic(SourceLocation(file: Self.displayPath, line: line), message, fix: Self.rowFix))
        }
        for error in parsed.errors { problem(error.line, error.message) }
        var records = parsed.records[...]
        let header = records.popFirst()
        guard header?.fields.map({ $0.trimmingWhitespace().lowercased() }) == Self.columns else {
            throw ReportError(Self.displayPath, line: header?.line ?? 1, "the header is not \"\(Self.columns.joined(separator: ","))\"",
                              fix: "restore the file from a backup; refkit only ever appends to it")
        }
        for record in records where !record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
            // Every cell went through `CSVWriter`, so every cell reads back through its guard.
            let cells = record.fields.map(FormulaGuard.unprotect)
            guard cells.count == 5, let code = InviteCode.parse(cells[0]), let date = Day(cells[4].trimmingWhitespace()) else {
                problem(record.line, "the row is not `code,friend,tier,reward,date`")
                continue
            }
            let row = Row(code: code, friend: cells[1], tier: cells[2], reward: cells[3], date: date, line: record.line)
            rows.append(row)
            keys.insert(row.key)
        }
        guard problems.isEmpty else { throw ReportError(problems.sorted { $0.location < $1.location }) }
        nextLine = parsed.nextLine
        needsLineBreak = !parsed.endsWithNewline
    }

    /// A damaged row can go: the rewards it recorded are earned again by the export, and the
    /// next run appends every one that is missing.
    static let rowFix = "restore the file from a backup, or delete the damaged row: the next `refkit report` appends again every reward the export still earns"

    /// Appends the rewards not recorded yet, in the order given, and returns them.
    @discardableResult
    public mutating func append(_ earned: [EarnedReward], group: Int) -> [Row] {
        if bytes.isEmpty { bytes.append(contentsOf: Self.writer.line(Self.columns).utf8) }
        var added: [Row] = []
        for reward in earned where !keys.contains(reward.key) {
            keys.insert(reward.key)
            if needsLineBreak {
                bytes.append(0x0A)
                needsLineBreak = false
            }
            let row = Row(code: reward.code, friend: reward.friend, tier: reward.tier, reward: reward.reward, date: reward.date, line: nextLine)
            let cells = [reward.code.formatted(group: group), reward.friend, reward.tier, reward.reward, reward.date.description]
            bytes.append(contentsOf: Self.writer.line(cells).utf8)
            // Counted as `CSVRecords` counts them when the file is read again, so the next
            // run names the same lines.
            nextLine += 1 + CSVRecords.lineBreaks(in: cells)
            rows.append(row)
            added.append(row)
        }
        return added
    }

    public var outputFile: OutputFile {
        OutputFile(area: .kit, path: Self.kitPath, bytes: bytes, isPrivate: true)
    }

    /// refkit's one CSV writer: quoting by bytes (a friend's email comes from a public form and
    /// may hold `"` + U+0301 or CR LF) and its formula guard (`=`, `+`, `-`, `@` first, in any
    /// width: friends type their own email into a public form).
    static let writer = CSVWriter(lineEnd: .lf)
}
