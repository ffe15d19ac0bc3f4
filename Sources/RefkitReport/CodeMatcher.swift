import RefkitCodes
import RefkitModel

/// Finds the issued code a friend meant, however it was typed.
///
/// Input is normalised as everywhere in refkit (case, spaces, hyphens, O→0, I/L→1) and the check
/// symbol must match. A code that does not check is matched only when exactly one issued code is
/// one edit away (a substituted, swapped, missing or extra symbol): with two candidates a guess
/// could pay the wrong referrer.
public struct CodeMatcher: Sendable {
    public enum Match: Hashable, Sendable {
        /// The code as typed, after normalisation.
        case exact(InviteCode)
        /// A mistyped code with exactly one issued code one edit away.
        case corrected(InviteCode)
        /// Several issued codes are one edit away.
        case ambiguous([InviteCode])
        /// Empty, or no issued code matches.
        case unknown
    }

    let issued: Set<InviteCode>
    let length: Int?

    /// - Parameters:
    ///   - issued: every code in the ledger.
    ///   - length: `codes.length` from site.yaml; nil accepts every length.
    public init(issued: Set<InviteCode>, length: Int? = nil) {
        self.issued = issued
        self.length = length
    }

    public func match(_ typed: String) -> Match {
        let text = typed.trimmingWhitespace()
        guard !text.isEmpty else { return .unknown }
        if let code = InviteCode.parse(text) {
            // A valid code no one was given is not a typo of someone else's: the check symbol
            // matched, so all its symbols are probably as printed.
            return issued.contains(code) ? .exact(code) : .unknown
        }
        let candidates = InviteCode.suggestions(for: text, length: length, among: issued)
        switch candidates.count {
        case 0: return .unknown
        case 1: return .corrected(candidates[0])
        default: return .ambiguous(candidates)
        }
    }
}
