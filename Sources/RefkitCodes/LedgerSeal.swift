import Crypto
import Foundation
import RefkitModel

/// `kit/codes.seal`: what every row of `kit/codes.csv` held when refkit last wrote it, so that
/// an edit, a deleted row or an inserted one is noticed on the next load, at its line.
///
/// One line per ledger row: the code, then two tags (32 bits of an HMAC under the current
/// secret each): one of the programme and email, the code's owner, and one of the name,
/// language and date. The status is left out on purpose: marketers may switch a code between
/// `active` and `inactive` by hand. Emails and names appear only as keyed tags, so the seal
/// repeats no personal data. A last line holds an HMAC of everything before it, so the seal
/// itself cannot be edited or cut short to hide a deleted row.
public struct LedgerSeal: Sendable, Equatable {
    public static let kitPath = "codes.seal"
    public static let displayPath = "kit/" + kitPath
    static let magic = "refkit ledger seal v1"

    struct Row: Equatable, Sendable {
        /// The code's symbols, without hyphens.
        var code: String
        var owner: UInt32
        var details: UInt32
    }

    /// `Secret.keyID` of the secret the tags and the MAC are made with.
    var keyID: String
    var rows: [Row]

    /// Seals a whole ledger. Rows of the seal it was loaded with (checked, same secret) are
    /// taken as they are, so a build computes tags for its new rows only.
    public init(ledger: Ledger, secret: Secret) {
        keyID = secret.keyID
        var reused = 0
        if let loaded = ledger.verifiedSeal, loaded.keyID == keyID {
            reused = min(loaded.rows.count, ledger.entries.count)
            rows = Array(loaded.rows.prefix(reused))
        } else {
            rows = []
        }
        rows.reserveCapacity(ledger.entries.count)
        rows += LedgerSeal.rows(of: ledger.entries[reused...], secret: secret)
    }

    /// The seal rows of `entries`, on every core.
    static func rows(of entries: ArraySlice<LedgerEntry>, secret: Secret) -> [Row] {
        let start = entries.startIndex
        return ParallelRows.map(entries.count) { range in
            let tagger = SealTagger(secret: secret)
            return entries[(start + range.lowerBound)..<(start + range.upperBound)].map(tagger.row)
        }
    }

    init(keyID: String, rows: [Row]) {
        self.keyID = keyID
        self.rows = rows
    }

    /// The file, private like the ledger.
    public func outputFile(secret: Secret) -> OutputFile {
        OutputFile(area: .kit, path: LedgerSeal.kitPath, bytes: bytes(secret: secret), isPrivate: true)
    }

    func bytes(secret: Secret) -> Data {
        var text = "\(LedgerSeal.magic)\nkey \(keyID)\nrows \(rows.count)\n"
        text.reserveCapacity(text.utf8.count + rows.count * 30 + 70)
        for row in rows {
            text += row.code
            text += " "
            text += SealTagger.hex(row.owner)
            text += " "
            text += SealTagger.hex(row.details)
            text += "\n"
        }
        var data = Data(text.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: data, using: secret.key)
        data.append(contentsOf: ("mac " + mac.map { SealTagger.hex(byte: $0) }.joined() + "\n").utf8)
        return data
    }

    /// Reads `kit/codes.seal`; nil when there is none (a ledger written before refkit sealed
    /// it, or a seal deleted by hand: the rows are then checked against the secrets alone).
    ///
    /// Throws when the seal was made under another secret than the current one (the secret
    /// was replaced) or does not match its own MAC (the seal was edited).
    static func load(kitDirectory: URL, keyring: Keyring) throws -> LedgerSeal? {
        let url = kitDirectory.appendingPathComponent(kitPath)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw LedgerError([Diagnostic(SourceLocation(file: displayPath), "cannot read the seal (\(error.localizedDescription))",
                                          fix: "make the file readable by the user running refkit")])
        }
        return try parse(data, keyring: keyring)
    }

    static let restoreFix = "restore kit/codes.seal and kit/codes.csv together from a backup; refkit writes the seal with every build and it is never edited by hand"

    static func parse(_ data: Data, keyring: Keyring) throws -> LedgerSeal {
        func damaged(_ line: Int, _ message: String) -> LedgerError {
            LedgerError([Diagnostic(SourceLocation(file: displayPath, line: line), message, fix: restoreFix)])
        }
        let bytes = [UInt8](data)
        // Line starts, so that the MAC can cover exactly the bytes before its own line.
        var lines: [Range<Int>] = []
        lines.reserveCapacity(bytes.count / 28 + 4)
        var start = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            lines.append(start..<i)
            start = i + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        func text(_ i: Int) -> String { String(decoding: bytes[lines[i]], as: UTF8.self) }

        guard lines.count >= 4, text(0) == magic else { throw damaged(1, "this is not a refkit ledger seal") }
        let keyLine = text(1)
        guard keyLine.hasPrefix("key "), keyLine.utf8.count == 12 else { throw damaged(2, "the key line is damaged") }
        let keyID = String(keyLine.dropFirst(4))
        guard keyID == keyring.currentKeyID else {
            let retired = keyring.retired.contains { $0.keyID == keyID }
            throw LedgerError([Diagnostic(
                SourceLocation(file: "kit/" + Secret.kitPath),
                "kit/codes.csv was sealed under secret \(keyID)\(retired ? " (retired)" : ""), but kit/secret (or REFKIT_SECRET) is secret \(keyring.currentKeyID): the secret was replaced, regenerated or restored from an older copy",
                fix: "restore the kit/secret that goes with kit/codes.csv and kit/codes.seal from a backup; issued codes depend on it. To change the secret, put the old one back and run `refkit codes rotate-secret`")])
        }
        let macLine = text(lines.count - 1)
        guard macLine.hasPrefix("mac ") else { throw damaged(lines.count, "the last line is not the seal's MAC: the seal was cut short") }
        let mac = HMAC<SHA256>.authenticationCode(for: bytes[0..<lines[lines.count - 1].lowerBound], using: keyring.current.key)
        guard mac.map({ SealTagger.hex(byte: $0) }).joined() == macLine.dropFirst(4) else {
            throw damaged(lines.count, "the seal does not match its MAC: it was edited")
        }
        let rowsLine = text(2)
        guard rowsLine.hasPrefix("rows "), let count = Int(rowsLine.dropFirst(5)), count == lines.count - 4 else {
            throw damaged(3, "the row count does not match the rows")
        }
        var rows: [Row] = []
        rows.reserveCapacity(count)
        for i in 3..<(lines.count - 1) {
            let fields = bytes[lines[i]].split(separator: 0x20)
            guard fields.count == 3, let owner = SealTagger.parseHex(fields[1]), let details = SealTagger.parseHex(fields[2]) else {
                throw damaged(i + 1, "the row is damaged")
            }
            rows.append(Row(code: String(decoding: fields[0], as: UTF8.self), owner: owner, details: details))
        }
        return LedgerSeal(keyID: keyID, rows: rows)
    }
}

/// The seal's per-row tags under one secret. Each tag is its own HMAC with a fixed label and
/// length-prefixed fields, so that ("ab", "c") and ("a", "bc") differ and an owner tag can
/// never stand for a details tag.
struct SealTagger {
    private let keyed: HMAC<SHA256>

    init(secret: Secret) {
        keyed = HMAC<SHA256>(key: secret.key)
    }

    func row(_ entry: LedgerEntry) -> LedgerSeal.Row {
        LedgerSeal.Row(code: entry.code.rawValue, owner: owner(program: entry.program, email: entry.email),
                       details: details(entry))
    }

    func owner(program: String, email: String) -> UInt32 {
        tag(["refkit-seal-owner-v1", program, email])
    }

    func details(_ entry: LedgerEntry) -> UInt32 {
        tag(["refkit-seal-details-v1", entry.name, entry.language.rawValue, entry.issued.description])
    }

    private func tag(_ parts: [String]) -> UInt32 {
        var message: [UInt8] = []
        message.reserveCapacity(96)
        for part in parts {
            message.append(contentsOf: UInt32(part.utf8.count).bigEndianBytes)
            message.append(contentsOf: part.utf8)
        }
        var hmac = keyed
        hmac.update(data: message)
        let mac = hmac.finalize()
        return mac.withUnsafeBytes { b in UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3]) }
    }

    static func hex(_ value: UInt32) -> String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 8 - s.utf8.count) + s
    }

    static func hex(byte: UInt8) -> String {
        byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
    }

    static func parseHex(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        guard bytes.count == 8 else { return nil }
        var value: UInt32 = 0
        for b in bytes {
            guard let v = Secret.hexValue(b) else { return nil }
            value = value << 4 | UInt32(v)
        }
        return value
    }
}
