import Foundation
import RefkitModel

/// A code's current state, folded from its ledger rows: for `refkit codes` and `codes check`.
public struct CodeRecord: Hashable, Sendable {
    public var program: String
    public var code: InviteCode
    public var email: String
    /// The latest name recorded.
    public var name: String
    /// What pages and messages may show: see `Referrer.firstName(fromName:)`.
    public var firstName: String
    /// The first name, or a note that there is none to show (the counter sees this, not the surname).
    public var shownName: String { firstName.isEmpty ? "no first name on file" : firstName }
    public var language: LanguageTag
    public var status: LedgerEntry.Status
    /// When the code was first issued.
    public var issued: Day
    /// When its latest row was written.
    public var changed: Day
    /// Line of the latest row.
    public var line: Int
}

extension Ledger {
    /// Every code's current state, in the order codes were first issued.
    public var records: [CodeRecord] {
        var firstDay: [InviteCode: Day] = [:]
        for entry in entries where firstDay[entry.code] == nil { firstDay[entry.code] = entry.issued }
        return codes.compactMap { code in
            guard let latest = latest(code) else { return nil }
            return CodeRecord(program: latest.program, code: code, email: latest.email, name: latest.name,
                              firstName: Referrer.firstName(fromName: latest.name, language: latest.language), language: latest.language,
                              status: latest.status, issued: firstDay[code] ?? latest.issued, changed: latest.issued,
                              line: latest.line)
        }
    }

    /// The current state of one code.
    public func record(for code: InviteCode) -> CodeRecord? {
        guard let latest = latest(code) else { return nil }
        let issued = entries.first { $0.code == code }?.issued ?? latest.issued
        return CodeRecord(program: latest.program, code: code, email: latest.email, name: latest.name,
                          firstName: Referrer.firstName(fromName: latest.name, language: latest.language), language: latest.language,
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
