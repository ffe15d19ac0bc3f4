import Foundation
import RefkitCSV
import RefkitCodes
import RefkitModel

/// `kit/report/rewards.csv`: every reward earned, appended once and never rewritten.
///
/// Columns `code,friend,tier,reward,date,coupon,status`. Each run starts from the previous
/// file's bytes and appends only rewards whose key (`EarnedReward.key`: a tier once per
/// referrer, a per-referral reward or a welcome offer once per friend) is not in it yet, so
/// running the report again on the same or a longer export adds nothing twice, and what a shop
/// already handed out stays on record even if a later export no longer shows it.
///
/// Coupons (`status`):
/// - empty: the reward's kind has no coupon bank; `coupon` is empty.
/// - `paid`: `coupon` is the code handed out with it.
/// - `owed`: the bank had no usable coupon left; `coupon` is empty.
/// - `pays line N`: a later row that pays the owed reward on line N with `coupon`, repeating
///   its code, friend, tier, reward and date. The owed row itself is never changed.
/// A coupon is used once it is in any row's `coupon` cell, so the bank's order and which used
/// codes a new export of `coupons.csv` still lists do not matter.
///
/// Files written before coupons (`code,friend,tier,reward,date`) read as rewards without one.
/// The first run that appends to such a file rewrites its header line, once, to name the two
/// new columns; no row is touched.
public struct RewardLedger: Sendable {
    public static let columns = ["code", "friend", "tier", "reward", "date", "coupon", "status"]
    /// The header before coupons.
    static let columnsBeforeCoupons = Array(columns.prefix(5))
    /// Path inside the kit.
    public static let kitPath = "report/rewards.csv"
    public static let displayPath = "kit/report/rewards.csv"

    public enum CouponStatus: Hashable, Sendable {
        case none, paid, owed
        /// Pays the owed reward on this line.
        case pays(line: Int)

        var text: String {
            switch self {
            case .none: ""
            case .paid: "paid"
            case .owed: "owed"
            case .pays(let line): "pays line \(line)"
            }
        }

        init?(text: String) {
            switch text.trimmingWhitespace().lowercased() {
            case "": self = .none
            case "paid": self = .paid
            case "owed": self = .owed
            case let t where t.hasPrefix("pays line "):
                guard let n = Int(t.dropFirst("pays line ".count)), n >= 2 else { return nil }
                self = .pays(line: n)
            default: return nil
            }
        }
    }

    public struct Row: Hashable, Sendable {
        public var code: InviteCode
        public var friend: String
        public var tier: String
        public var reward: String
        public var date: Day
        public var line: Int
        public var coupon: String = ""
        public var status: CouponStatus = .none

        var key: String { EarnedReward.key(code: code, tier: tier, friend: friend) }
        public var kind: CouponKind? { CouponKind.of(tier: tier) }
        /// A reward row rather than the payment of an owed one.
        public var isReward: Bool { if case .pays = status { false } else { true } }
    }

    public private(set) var bytes: Data
    public private(set) var rows: [Row]
    /// How many bytes came from the previous run.
    public let loadedByteCount: Int
    private var keys: Set<String>
    private var nextLine: Int
    /// The previous file does not end with a line break: the first appended row needs one.
    private var needsLineBreak = false
    /// The previous file has the header from before coupons.
    private var oldHeader = false

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
        let saveAgain = "open it in your spreadsheet and save it again as \"CSV UTF-8\" with commas between cells (LibreOffice: character set Unicode (UTF-8), field delimiter `,`), or restore it from a backup"
        if String(validating: data, as: UTF8.self) == nil {
            throw ReportError(Self.displayPath, line: 1, "the file is not UTF-8: a spreadsheet saved it in another character set (Windows-1252?)",
                              fix: saveAgain)
        }
        let parsed = CSVRecords.read([UInt8](data))
        var problems: [Diagnostic] = []
        func problem(_ line: Int, _ message: String) {
            problems.append(Diagnostic(SourceLocation(file: Self.displayPath, line: line), message, fix: Self.rowFix))
        }
        for error in parsed.errors { problem(error.line, error.message) }
        var records = parsed.records[...]
        let header = records.popFirst()
        var names = header?.fields.map { $0.trimmingWhitespace().lowercased() } ?? []
        // Columns a marketer added on the right (notes, an empty one a spreadsheet left) are
        // kept and not read; refkit's own come first.
        let extra = names.count > Self.columns.count && Array(names.prefix(Self.columns.count)) == Self.columns
        if extra { names = Array(names.prefix(Self.columns.count)) }
        guard names == Self.columns || names == Self.columnsBeforeCoupons else {
            if names.count == 1, names[0].contains(";") {
                throw ReportError(Self.displayPath, line: header?.line ?? 1, "the cells are separated by `;`: a spreadsheet saved it with a regional CSV setting",
                                  fix: saveAgain)
            }
            throw ReportError(Self.displayPath, line: header?.line ?? 1, "the header is not \"\(Self.columns.joined(separator: ","))\"",
                              fix: "restore the file from a backup; refkit only ever appends to it, and reads its own columns first")
        }
        oldHeader = names == Self.columnsBeforeCoupons
        for record in records where !record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) {
            // Every cell went through `CSVWriter`, so every cell reads back through its guard.
            var cells = record.fields.map(FormulaGuard.unprotect)
            if extra, cells.count > Self.columns.count { cells = Array(cells.prefix(Self.columns.count)) }
            // Five cells: a row from before coupons, also below a header rewritten since.
            guard cells.count == 5 || cells.count == 7, let code = InviteCode.parse(cells[0]),
                  let date = Day(cells[4].trimmingWhitespace()),
                  let status = cells.count == 7 ? CouponStatus(text: cells[6]) : CouponStatus.none else {
                problem(record.line, "the row is not `\(Self.columns.joined(separator: ","))`")
                continue
            }
            let coupon = cells.count == 7 ? cells[5].trimmingWhitespace() : ""
            if Coupon.looksLikeScientificNotation(coupon) {
                problems.append(Diagnostic(SourceLocation(file: Self.displayPath, line: record.line),
                                           "the coupon \"\(coupon)\" is a long number a spreadsheet rewrote in scientific notation: which coupon it was is lost",
                                           fix: "restore the file from a backup; to keep long coupon numbers, open the file with that column as Text"))
                continue
            }
            if (status == .paid || status != .owed && status != .none) && coupon.isEmpty || (status == .none || status == .owed) && !coupon.isEmpty {
                problem(record.line, "the coupon cell does not go with the status \"\(status.text)\"")
                continue
            }
            let row = Row(code: code, friend: cells[1], tier: cells[2], reward: cells[3], date: date, line: record.line,
                          coupon: coupon, status: status)
            rows.append(row)
            keys.insert(row.key)
        }
        guard problems.isEmpty else { throw ReportError(problems.sorted { $0.location < $1.location }) }
        nextLine = parsed.nextLine
        needsLineBreak = !parsed.endsWithNewline
    }

    /// Never "delete the row": a row with a coupon records a coupon handed out, and without it
    /// the next run would hand that reward a new coupon (and draft its email) again.
    static let rowFix = "restore the file from a backup, or correct the row as refkit wrote it (dates as YYYY-MM-DD, the code, tier and coupon unchanged); do not delete a row with a coupon, or its reward is paid again with another"

    /// Appends the rewards not recorded yet, in the order given, without coupons, and returns them.
    @discardableResult
    public mutating func append(_ earned: [EarnedReward], group: Int) -> [Row] {
        var bank = CouponBank.none
        return append(earned, group: group, bank: &bank)
    }

    /// Pays owed rewards from the bank first (oldest first), then appends the rewards not
    /// recorded yet, each with the next usable coupon of its kind when its kind has a bank.
    /// Returns every row appended: payments and new rewards.
    @discardableResult
    public mutating func append(_ earned: [EarnedReward], group: Int, bank: inout CouponBank) -> [Row] {
        if bytes.isEmpty { bytes.append(contentsOf: Self.writer.line(Self.columns).utf8) }
        var added: [Row] = []
        for owed in owedRows {
            guard let kind = owed.kind, let program = bank.program(owed.code), let coupon = bank.take(program, kind) else { continue }
            var row = owed
            row.coupon = coupon.code
            row.status = .pays(line: owed.line)
            added.append(write(row, group: group))
        }
        for reward in earned where !keys.contains(reward.key) {
            keys.insert(reward.key)
            var row = Row(code: reward.code, friend: reward.friend, tier: reward.tier, reward: reward.reward, date: reward.date, line: 0)
            if let kind = reward.kind, bank.hasBank(reward.program, kind) {
                if let coupon = bank.take(reward.program, kind) {
                    row.coupon = coupon.code
                    row.status = .paid
                } else {
                    row.status = .owed
                }
            }
            added.append(write(row, group: group))
        }
        return added
    }

    /// Owed rows no later row pays yet, oldest first.
    ///
    /// A payment row repeats the owed row's code, friend and tier, and is matched to it by
    /// that key, not by the line it names: a spreadsheet sort or a row deleted above moves the
    /// lines, and matching by number would then pay the same reward again with a new coupon.
    /// `pays line N` stays in the file for the reader.
    public var owedRows: [Row] {
        var paid: [String: Int] = [:]
        for row in rows { if case .pays = row.status { paid[row.key, default: 0] += 1 } }
        return rows.filter { row in
            guard row.status == .owed else { return false }
            if let n = paid[row.key], n > 0 { paid[row.key] = n - 1; return false }
            return true
        }
    }

    private mutating func write(_ row: Row, group: Int) -> Row {
        if oldHeader {
            // Once: the header names the two columns rows now have. Only the first line changes.
            let end = bytes.firstIndex(of: 0x0A).map { bytes.index(after: $0) } ?? bytes.endIndex
            bytes.replaceSubrange(bytes.startIndex..<end, with: Data(Self.writer.line(Self.columns).utf8))
            oldHeader = false
        }
        if needsLineBreak {
            bytes.append(0x0A)
            needsLineBreak = false
        }
        var row = row
        row.line = nextLine
        let cells = [row.code.formatted(group: group), row.friend, row.tier, row.reward, row.date.description, row.coupon, row.status.text]
        bytes.append(contentsOf: Self.writer.line(cells).utf8)
        // Counted as `CSVRecords` counts them when the file is read again, so the next
        // run names the same lines.
        nextLine += 1 + CSVRecords.lineBreaks(in: cells)
        rows.append(row)
        return row
    }

    public var outputFile: OutputFile {
        OutputFile(area: .kit, path: Self.kitPath, bytes: bytes, isPrivate: true)
    }

    /// refkit's one CSV writer: quoting by bytes (a friend's email comes from a public form and
    /// may hold `"` + U+0301 or CR LF) and its formula guard (`=`, `+`, `-`, `@` first, in any
    /// width: friends type their own email into a public form).
    static let writer = CSVWriter(lineEnd: .lf)
}
