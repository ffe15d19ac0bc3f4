import Foundation
import RefkitModel

/// The code ledger, `kit/codes.csv`: the source of truth for which code belongs to whom.
///
/// It is an append-only event log with the columns `program,code,email,name,language,issued,status`.
/// A code, once written, belongs to its (programme, email) forever: reordering
/// `referrers.csv`, correcting a name, changing the secret or removing the referrer never
/// changes it, and it is never given to anyone else. The latest row of a code gives its status.
///
/// Every change appends rows to the end of the original bytes; `bytes` always starts with the
/// bytes the ledger was loaded from. Loading checks every row against the secret that issued
/// it and against `kit/codes.seal` (Ledger+Verification.swift): a hand edit is refused at its
/// line, except a status switched between `active` and `inactive`.
public struct Ledger: Sendable {
    public static let columns = ["program", "code", "email", "name", "language", "issued", "status"]
    /// Path inside the kit.
    public static let kitPath = "codes.csv"
    /// Path as shown in messages.
    public static let displayPath = "kit/codes.csv"

    struct Owner: Hashable, Sendable {
        var program: String
        var email: String
    }

    /// The file's bytes: as loaded, plus any rows appended since.
    public private(set) var bytes: Data
    /// Every row, in file order.
    public private(set) var entries: [LedgerEntry]
    /// How many bytes were loaded; appending never touches them.
    public private(set) var loadedByteCount: Int

    /// Index in `entries` of each code's latest row.
    private var latestIndex: [InviteCode: Int] = [:]
    /// Each owner's code.
    private var codeByOwner: [Owner: InviteCode] = [:]
    /// Codes in the order they first appear.
    public private(set) var codes: [InviteCode] = []
    /// The line a row appended now would start on.
    private(set) var nextLine: Int
    /// The loaded file does not end with a line break: the first appended row needs one.
    private var needsLineBreak = false
    /// The seal the loaded rows matched (`verify`), so that re-sealing computes tags for new
    /// rows only.
    var verifiedSeal: LedgerSeal?

    /// An empty ledger, before the first build.
    public init() {
        bytes = Data()
        entries = []
        loadedByteCount = 0
        nextLine = 1
    }

    /// Reads `kit/codes.csv` and checks every row against the secrets in the kit (and
    /// `REFKIT_SECRET`) and against `kit/codes.seal`; an empty ledger if there is no file yet.
    /// For commands that only read the kit: a missing secret is an error, never a new one.
    public static func load(kitDirectory: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Ledger {
        try load(kitDirectory: kitDirectory, keyring: Keyring.existing(environment: environment, kitDirectory: kitDirectory))
    }

    /// Reads `kit/codes.csv` and checks it against `keyring` and `kit/codes.seal`. Throws
    /// `LedgerError` naming every line refkit did not write as it is (see `verify`).
    public static func load(kitDirectory: URL, keyring: Keyring?) throws -> Ledger {
        let url = kitDirectory.appendingPathComponent(kitPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            // A seal without its ledger: the ledger was deleted, not never made.
            if FileManager.default.fileExists(atPath: kitDirectory.appendingPathComponent(LedgerSeal.kitPath).path) {
                throw LedgerError([Diagnostic(SourceLocation(file: displayPath), "kit/codes.csv is missing, but kit/codes.seal shows that refkit wrote it",
                                              fix: "restore kit/codes.csv from a backup: it is the only record of which code belongs to whom")])
            }
            return Ledger()
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LedgerError([Diagnostic(SourceLocation(file: displayPath), "cannot read the ledger (\(error.localizedDescription))",
                                          fix: "make the file readable by the user running refkit")])
        }
        var ledger = try Ledger(bytes: data)
        // No seal is read under a secret made just now: the ledger is refused for the missing
        // secret, which is what happened, not for a seal that does not match.
        let seal = try keyring.flatMap { $0.isNew ? nil : try LedgerSeal.load(kitDirectory: kitDirectory, keyring: $0) }
        try ledger.verify(keyring: keyring, seal: seal)
        return ledger
    }

    /// Parses and checks a ledger's form: cells, and one owner per code and one code per owner.
    /// Throws `LedgerError` listing every problem, each at its line. Whether the rows are
    /// what refkit wrote needs the secrets: `load(kitDirectory:keyring:)` checks that too.
    public init(bytes data: Data) throws {
        self.init()
        bytes = data
        guard !data.isEmpty else { return }
        let raw = [UInt8](data)
        let parsed = LedgerCSV.read(raw)
        var problems: [Diagnostic] = []
        func problem(_ line: Int, _ message: String) {
            problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: line), message, fix: LedgerError.restoreFix))
        }
        for error in parsed.errors { problem(error.line, error.message) }

        var records = parsed.records[...]
        let header = records.popFirst()
        if header?.fields.map({ $0.trimmingWhitespace().lowercased() }) != Ledger.columns {
            problem(header?.line ?? 1, "the header is not \"\(Ledger.columns.joined(separator: ","))\"")
        }

        // Where each code and each owner was first seen, to name both lines of a conflict.
        var ownerOfCode: [InviteCode: (owner: Owner, line: Int)] = [:]
        var codeOfOwner: [Owner: (code: InviteCode, line: Int)] = [:]
        ownerOfCode.reserveCapacity(records.count)
        codeOfOwner.reserveCapacity(records.count)
        var entries: [LedgerEntry] = []
        entries.reserveCapacity(records.count)
        // A ledger has a handful of distinct languages and days in 100,000 rows: parse each once.
        var languages: [String: LanguageTag?] = [:]
        var days: [String: Day?] = [:]

        for record in records {
            let line = record.line
            // A blank line, or a row of empty cells (`,,,,,,`), is what an editor or a
            // spreadsheet leaves after the last row: it holds nothing to check or to lose, and
            // "restore from a backup" would be the wrong advice for it.
            if record.fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            guard record.fields.count == Ledger.columns.count else {
                problem(line, "the row has \(record.fields.count) cells, not \(Ledger.columns.count) (\(Ledger.columns.joined(separator: ",")))")
                continue
            }
            let f = record.fields.map(LedgerCSV.decode)
            var ok = true
            let program = f[0].trimmingWhitespace()
            if program.isEmpty { problem(line, "the programme is empty"); ok = false }
            let code = InviteCode.parse(f[1])
            if code == nil { problem(line, "\"\(f[1])\" is not a valid invite code (wrong length, symbol or check symbol)"); ok = false }
            let email = Referrer.normalize(email: f[2])
            if email.isEmpty { problem(line, "the email is empty"); ok = false }
            let languageText = f[4].trimmingWhitespace()
            let language = languages[languageText] ?? { let t = LanguageTag(languageText); languages[languageText] = t; return t }()
            if language == nil { problem(line, "\"\(f[4])\" is not a language tag"); ok = false }
            let dayText = f[5].trimmingWhitespace()
            let day = days[dayText] ?? { let d = Day(dayText); days[dayText] = d; return d }()
            if day == nil { problem(line, "\"\(f[5])\" is not a date in the form YYYY-MM-DD"); ok = false }
            // The one cell edited by hand, often in a spreadsheet, whose autocorrect writes
            // `Inactive`: case is not what the status says.
            let status = LedgerEntry.Status(rawValue: f[6].trimmingWhitespace().lowercased())
            if status == nil { problem(line, "the status \"\(f[6])\" is neither \"active\" nor \"inactive\""); ok = false }
            guard ok, let code, let language, let day, let status else { continue }

            let owner = Owner(program: program, email: email)
            if let seen = ownerOfCode[code], seen.owner != owner {
                problem(line, "code \(code.formatted()) belongs to \(seen.owner.email) in \(seen.owner.program) on line \(seen.line) and to \(email) in \(program) on line \(line)")
                continue
            }
            if let seen = codeOfOwner[owner], seen.code != code {
                problem(line, "\(email) has two codes in \(program): \(seen.code.formatted()) on line \(seen.line) and \(code.formatted()) on line \(line)")
                continue
            }
            if ownerOfCode[code] == nil { ownerOfCode[code] = (owner, line) }
            if codeOfOwner[owner] == nil { codeOfOwner[owner] = (code, line) }
            entries.append(LedgerEntry(program: program, code: code, email: email, name: f[3], language: language,
                                       issued: day, status: status, line: line))
        }
        guard problems.isEmpty else {
            throw LedgerError(problems.sorted { $0.location < $1.location })
        }
        self.entries.reserveCapacity(entries.count)
        latestIndex.reserveCapacity(ownerOfCode.count)
        codeByOwner.reserveCapacity(codeOfOwner.count)
        codes.reserveCapacity(ownerOfCode.count)
        for entry in entries { index(entry) }
        self.loadedByteCount = data.count
        needsLineBreak = !parsed.endsWithNewline
        nextLine = parsed.nextLine
    }

    private mutating func index(_ entry: LedgerEntry) {
        if latestIndex[entry.code] == nil { codes.append(entry.code) }
        latestIndex[entry.code] = entries.count
        entries.append(entry)
        codeByOwner[entry.owner] = entry.code
    }

    /// Appends a row, in memory. The header comes first in an empty ledger.
    mutating func append(program: String, code: InviteCode, email: String, name: String, language: LanguageTag,
                         day: Day, status: LedgerEntry.Status, group: Int) {
        ensureHeader()
        if needsLineBreak {
            bytes.append(0x0A)
            needsLineBreak = false
        }
        let entry = LedgerEntry(program: program, code: code, email: email, name: name, language: language,
                                issued: day, status: status, line: nextLine)
        let text = LedgerCSV.line([program, code.formatted(group: group), entry.email, name, language.rawValue,
                                   day.description, status.rawValue])
        bytes.append(contentsOf: text.utf8)
        // Names may hold line breaks inside quotes; each is a physical line.
        nextLine += text.utf8.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
        index(entry)
    }

    /// Writes the header into an empty ledger, so that even a programme with no referrers
    /// yet has a well-formed file.
    mutating func ensureHeader() {
        guard bytes.isEmpty else { return }
        bytes.append(contentsOf: LedgerCSV.line(Ledger.columns).utf8)
        nextLine = 2
    }

    // MARK: Lookups

    public var isEmpty: Bool { entries.isEmpty }

    /// The code an email has in a programme, active or not.
    public func code(program: String, email: String) -> InviteCode? {
        codeByOwner[Owner(program: program, email: Referrer.normalize(email: email))]
    }

    func code(of owner: Owner) -> InviteCode? { codeByOwner[owner] }

    /// Makes room for `count` more codes, so that issuing many does not rehash repeatedly.
    mutating func reserveCapacity(adding count: Int) {
        entries.reserveCapacity(entries.count + count)
        latestIndex.reserveCapacity(latestIndex.count + count)
        codeByOwner.reserveCapacity(codeByOwner.count + count)
        codes.reserveCapacity(codes.count + count)
    }

    /// The latest row of a code: its owner's details and status.
    public func latest(_ code: InviteCode) -> LedgerEntry? {
        latestIndex[code].map { entries[$0] }
    }

    /// Every code ever issued, in any programme.
    public var issuedCodes: Set<InviteCode> { Set(latestIndex.keys) }

    /// The ledger as the file to keep in the kit (private: it holds emails and names).
    public var outputFile: OutputFile {
        OutputFile(area: .kit, path: Ledger.kitPath, bytes: bytes, isPrivate: true)
    }
}
