import Foundation
import RefkitModel

/// Gives every referrer their code, recording new codes and status changes in the ledger.
public enum CodeIssuer {
    /// Issues codes for this build's referrers.
    ///
    /// Rows are appended in a fixed order, so the same inputs always give the same bytes and a
    /// second run with the same inputs appends nothing:
    /// 1. referrers in input order: a new code (`active`), a reactivation (`active` again, same
    ///    code), or an `active` row recording a changed name or language;
    /// 2. then codes whose owner is no longer among the referrers, in the order the ledger first
    ///    lists them: an `inactive` row.
    ///
    /// A new code is derived from the secret; if another owner already has it (anywhere in the
    /// ledger, since codes name pages under one `/r/` folder), the attempt counter goes up
    /// until the code is free. The ledger wins over derivation: a code in the ledger is kept
    /// even if the secret changed (`refkit codes rotate-secret` keeps the old secret in
    /// `kit/retired-secrets`, so its rows still check). The result carries the ledger's new
    /// seal, made under `secret`.
    ///
    /// - Parameter settings: `length` is clamped to `InviteCode.dataLengths`; the site loader
    ///   should reject other values with a message first.
    public static func issue(referrers: [Referrer], ledger: Ledger, secret: Secret, settings: CodeSettings, today: Day) -> IssuedCodes {
        let length = min(max(settings.length, InviteCode.dataLengths.lowerBound), InviteCode.dataLengths.upperBound)
        let group = settings.group
        let deriver = CodeDeriver(secret: secret, length: length)
        var ledger = ledger
        let original = ledger.bytes
        ledger.ensureHeader()
        ledger.reserveCapacity(adding: referrers.count)
        var counts = IssuedCodes.Counts()
        var assignments: [IssuedCodes.Assignment] = []
        assignments.reserveCapacity(referrers.count)
        var current = Set<Ledger.Owner>()
        current.reserveCapacity(referrers.count)

        for referrer in referrers {
            let owner = Ledger.Owner(program: referrer.program, email: Referrer.normalize(email: referrer.email))
            let firstTime = current.insert(owner).inserted
            if let code = ledger.code(of: owner), let latest = ledger.latest(code) {
                if latest.status == .inactive {
                    ledger.append(program: owner.program, code: code, email: owner.email, name: referrer.name,
                                  language: referrer.language, day: today, status: .active, group: group)
                    counts.reactivated += 1
                } else if latest.name != referrer.name || latest.language != referrer.language {
                    ledger.append(program: owner.program, code: code, email: owner.email, name: referrer.name,
                                  language: referrer.language, day: today, status: .active, group: group)
                    counts.updated += 1
                } else if firstTime {
                    counts.unchanged += 1
                }
                assignments.append(IssuedCodes.Assignment(referrer: referrer, code: code))
                continue
            }
            var attempt: UInt32 = 0
            var code = deriver.code(program: owner.program, email: owner.email, attempt: attempt)
            while ledger.latest(code) != nil {
                // Someone else has it (the owner's own code was found above). With 40 bits this
                // is about one chance in 10⁷ per code at 100,000 codes; the counter makes the
                // outcome deterministic.
                attempt += 1
                code = deriver.code(program: owner.program, email: owner.email, attempt: attempt)
            }
            ledger.append(program: owner.program, code: code, email: owner.email, name: referrer.name,
                          language: referrer.language, day: today, status: .active, group: group)
            counts.new += 1
            assignments.append(IssuedCodes.Assignment(referrer: referrer, code: code))
        }

        for code in ledger.codes {
            guard let latest = ledger.latest(code), latest.status == .active, !current.contains(latest.owner) else { continue }
            ledger.append(program: latest.program, code: code, email: latest.email, name: latest.name,
                          language: latest.language, day: today, status: .inactive, group: group)
            counts.deactivated += 1
        }

        // The ledger is history: whatever happened above, the old bytes come first, unchanged.
        precondition(ledger.bytes.count >= original.count && ledger.bytes.prefix(original.count) == original,
                     "the ledger must only grow at its end")
        // Sealed under the secret that issues: the next load finds any row edited since.
        let seal = LedgerSeal(ledger: ledger, secret: secret)
        return IssuedCodes(ledger: ledger, assignments: assignments, counts: counts,
                           sealFile: seal.outputFile(secret: secret))
    }
}

/// What `CodeIssuer.issue` did. (Not `Issue`, which Swift Testing takes.)
public struct IssuedCodes: Sendable {
    /// A referrer and their code.
    public struct Assignment: Hashable, Sendable {
        public var referrer: Referrer
        public var code: InviteCode
        public init(referrer: Referrer, code: InviteCode) {
            self.referrer = referrer
            self.code = code
        }
    }

    public struct Counts: Hashable, Sendable, CustomStringConvertible {
        /// Codes issued for the first time.
        public var new = 0
        /// Codes of referrers who came back, active again.
        public var reactivated = 0
        /// Codes of referrers no longer in `referrers.csv`.
        public var deactivated = 0
        /// Active codes whose owner's name or language changed.
        public var updated = 0
        /// Active codes with nothing to record.
        public var unchanged = 0

        public init() {}

        /// Rows appended to the ledger.
        public var appended: Int { new + reactivated + deactivated + updated }

        public var description: String {
            "\(new) new, \(reactivated) reactivated, \(deactivated) deactivated, \(updated) updated, \(unchanged) unchanged"
        }
    }

    /// The ledger after this build: the loaded bytes followed by the appended rows.
    public var ledger: Ledger
    /// Every referrer given, in input order, with their code.
    public var assignments: [Assignment]
    public var counts: Counts

    /// `kit/codes.seal` to write beside it (see `LedgerSeal`).
    public var sealFile: OutputFile

    /// `kit/codes.csv` to write: private, since it holds emails and names.
    public var file: OutputFile { ledger.outputFile }

    /// Codes by referrer (programme and normalised email), for renderers.
    public func code(for referrer: Referrer) -> InviteCode? {
        ledger.code(program: referrer.program, email: referrer.email)
    }
}
