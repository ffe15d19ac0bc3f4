import Foundation
import RefkitModel

/// A code's current state, folded from its ledger rows: for `refkit codes` and `codes check`.
public struct CodeRecord: Hashable, Sendable {
    public var program: String
    public var code: InviteCode
    public var email: String
    /// The latest name recorded.
    public var name: String
    /// What pages and messages may show: see `CodeRecord.firstName(of:)`.
    public var firstName: String
    public var language: LanguageTag
    public var status: LedgerEntry.Status
    /// When the code was first issued.
    public var issued: Day
    /// When its latest row was written.
    public var changed: Day
    /// Line of the latest row.
    public var line: Int

    /// The first name shown for a full name, by the rule `content/referrers.csv` uses when it has
    /// no `first_name` column: the first word of a Latin-script name (after the comma in
    /// "Family, Given"); the whole name when it is
    /// written in Chinese, Japanese or Korean script, where the family name comes first and a
    /// surname alone must never pass for a first name.
    ///
    /// RefkitLoad has the same rule (`Referrer.firstName(fromName:)`); both belong in
    /// RefkitModel once the lead moves them, so that the two cannot drift apart.
    public static func firstName(of name: String) -> String {
        let trimmed = name.trimmingWhitespace()
        if trimmed.unicodeScalars.contains(where: \.isCJKIdeographOrKana) {
            return trimmed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let parts = trimmed.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 2 {
            let given = parts[1].split(whereSeparator: \.isWhitespace)
            if let first = given.first, !nameSuffixes.contains(first.lowercased()) { return String(first) }
            if let first = parts[0].split(whereSeparator: \.isWhitespace).first { return String(first) }
        }
        return trimmed.split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
    }

    /// What may follow a comma without being a given name ("King, Jr.").
    static let nameSuffixes: Set<String> = ["jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d.", "md", "m.d.", "esq", "esq."]
}

extension Unicode.Scalar {
    /// Han, kana and Hangul: scripts in which names are written family name first.
    var isCJKIdeographOrKana: Bool {
        switch value {
        case 0x1100...0x11FF, 0x3040...0x30FF, 0x3130...0x318F, 0x31F0...0x31FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0xFF66...0xFF9F,
             0x20000...0x3134F:
            return true
        default:
            return false
        }
    }
}

extension Ledger {
    /// Every code's current state, in the order codes were first issued.
    public var records: [CodeRecord] {
        var firstDay: [InviteCode: Day] = [:]
        for entry in entries where firstDay[entry.code] == nil { firstDay[entry.code] = entry.issued }
        return codes.compactMap { code in
            guard let latest = latest(code) else { return nil }
            return CodeRecord(program: latest.program, code: code, email: latest.email, name: latest.name,
                              firstName: CodeRecord.firstName(of: latest.name), language: latest.language,
                              status: latest.status, issued: firstDay[code] ?? latest.issued, changed: latest.issued,
                              line: latest.line)
        }
    }

    /// The current state of one code.
    public func record(for code: InviteCode) -> CodeRecord? {
        guard let latest = latest(code) else { return nil }
        let issued = entries.first { $0.code == code }?.issued ?? latest.issued
        return CodeRecord(program: latest.program, code: code, email: latest.email, name: latest.name,
                          firstName: CodeRecord.firstName(of: latest.name), language: latest.language,
                          status: latest.status, issued: issued, changed: latest.issued, line: latest.line)
    }

    /// `refkit codes`: the codes of a programme and status whose name, email or code contains
    /// `search`. The search ignores case and accents, and matches codes however they are typed
    /// (`k7qm 4tz9` finds `K7QM-4TZ9-X`). Nil filters match everything.
    public func records(program: String? = nil, status: LedgerEntry.Status? = nil, matching search: String? = nil) -> [CodeRecord] {
        let needle = search.map { $0.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
        let folded = needle.map(Ledger.fold)
        let codeNeedle: String? = needle.flatMap { text in
            let symbols = InviteCode.normalize(text)
            return symbols.isEmpty || symbols.contains("?") ? nil : symbols
        }
        return records.filter { record in
            if let program, record.program != program { return false }
            if let status, record.status != status { return false }
            guard let folded else { return true }
            if let codeNeedle, record.code.rawValue.contains(codeNeedle) { return true }
            return Ledger.fold(record.name).contains(folded) || record.email.contains(folded)
        }
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }
}
