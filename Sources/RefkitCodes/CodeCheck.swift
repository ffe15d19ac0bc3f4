import RefkitModel

/// The answer to `refkit codes check CODE`.
public struct CodeCheck: Hashable, Sendable, CustomStringConvertible {
    public enum Verdict: Hashable, Sendable {
        /// Issued and active: the only verdict that exits 0.
        case active
        /// Issued, but its referrer was removed.
        case inactive
        /// The check symbol is right but no one has this code.
        case notIssued
        /// Not a code: a character that is no symbol, the wrong length or the check symbol
        /// does not match.
        case invalid
    }

    /// What was typed.
    public var input: String
    /// The input in canonical symbols, `?` for characters that are not symbols.
    public var normalized: String
    /// The code when the input is one (valid check symbol).
    public var code: InviteCode?
    public var verdict: Verdict
    /// Whose it is, when issued.
    public var record: CodeRecord?
    /// For a code that is not issued or not valid: issued codes one typo away, active first.
    public var suggestions: [CodeRecord]
    /// Symbols per printed group, for `description`.
    public var group: Int

    /// 0 for a valid issued active code, 1 otherwise.
    public var exitCode: Int32 { verdict == .active ? 0 : 1 }

    /// One or two sentences for the terminal. The name shown is the first name only.
    public var description: String {
        let shown = code?.formatted(group: group) ?? normalized
        var text: String
        switch verdict {
        case .active:
            text = "\(shown) is active: programme \(record!.program), \(record!.shownName), issued \(record!.issued)."
        case .inactive:
            text = "\(shown) is inactive since \(record!.changed): programme \(record!.program), \(record!.shownName). Its page is gone and it is never reissued."
        case .notIssued:
            text = "\(shown) is well formed but was never issued."
        case .invalid:
            text = "\(shown) is not a valid code."
        }
        if !suggestions.isEmpty {
            let list = suggestions.map { "\($0.code.formatted(group: group)) (\($0.program), \($0.shownName), \($0.status.rawValue))" }
            text += " Did you mean " + list.joined(separator: " or ") + "?"
        }
        return text
    }
}

extension Ledger {
    /// Checks what someone typed against the ledger: valid, whose, and what they probably meant.
    public func check(_ input: String, group: Int = 4) -> CodeCheck {
        let normalized = InviteCode.normalize(input)
        if let code = InviteCode.parse(input) {
            if let record = record(for: code) {
                return CodeCheck(input: input, normalized: normalized, code: code,
                                 verdict: record.status == .active ? .active : .inactive,
                                 record: record, suggestions: [], group: group)
            }
            // A well-formed code no one has: maybe a two-symbol typo that happens to check.
            return CodeCheck(input: input, normalized: normalized, code: code, verdict: .notIssued,
                             record: nil, suggestions: [], group: group)
        }
        let candidates = InviteCode.suggestions(for: input, among: issuedCodes)
            .compactMap { record(for: $0) }
            .sorted { ($0.status == .active ? 0 : 1, $0.code) < ($1.status == .active ? 0 : 1, $1.code) }
        return CodeCheck(input: input, normalized: normalized, code: nil, verdict: .invalid,
                         record: nil, suggestions: candidates, group: group)
    }
}
