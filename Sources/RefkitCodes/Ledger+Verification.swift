import Foundation
import RefkitModel

// Checking a parsed ledger against the secrets and the seal.
//
// `Ledger(bytes:)` checks the file's form and that no code has two owners. A hand edit that
// keeps that form (two codes swapped, an email changed, a row deleted) needs the secrets:
//
// - Rows the last build wrote are compared with `kit/codes.seal`, row by row: the code
//   itself, a keyed tag of the owner (programme and email) and one of the name, language
//   and date. A deleted or inserted row shifts the rows after it, which the comparison names.
// - Rows the seal does not cover (a ledger from before seals, or rows added since) are checked
//   against the secret that issued them: each code's first row must derive from its
//   programme and email (`CodeDeriver`), with the attempt counter moving past codes that
//   earlier rows already hold, exactly as `CodeIssuer` issued it.
//
// The status is never checked: switching a code between active and inactive by hand is
// allowed. Names and languages are history: referrers.csv is their source, and a change there
// is recorded by the next build as a new row, so a past row is never edited.
extension Ledger {
    /// At most this many rows are named one by one; beyond it a line says how many more.
    static let problemsShown = 20

    static let editFix = "undo the edit, or restore kit/codes.csv from a backup; refkit only appends to it and never edits past rows"

    /// Checks every row; throws `LedgerError` (or `SecretError` for the secret) naming each
    /// line that refkit did not write as it is. On success the seal is kept for re-sealing.
    mutating func verify(keyring: Keyring?, seal: LedgerSeal?) throws {
        verifiedSeal = nil
        guard !entries.isEmpty || seal?.rows.isEmpty == false else {
            verifiedSeal = seal
            return
        }
        guard let keyring, !keyring.isNew else {
            throw SecretError(Diagnostic(
                SourceLocation(file: "kit/" + Secret.kitPath),
                "kit/secret is missing, but kit/codes.csv holds \(codes.count) code(s) issued under a secret; they cannot be checked, and new codes would come from another secret",
                fix: "restore kit/secret (and kit/retired-secrets, if there was one) from a backup. If it is lost for good, run `refkit codes rotate-secret --lost` to vouch for the ledger as it is"))
        }
        var problems: [Diagnostic] = []
        let tagger = SealTagger(secret: keyring.current)
        var sealed = 0
        if let seal {
            sealed = checkSeal(seal, secret: keyring.current, tagger: tagger, problems: &problems)
            // After a structural change every later row differs: stop at what the seal found.
            if !problems.isEmpty { throw LedgerError(problems) }
        }
        checkUnsealed(from: sealed, keyring: keyring, problems: &problems)
        if !problems.isEmpty { throw LedgerError(problems) }
        verifiedSeal = seal
    }

    // MARK: The seal

    /// Compares the rows with the seal; returns how many leading rows it vouches for.
    private func checkSeal(_ seal: LedgerSeal, secret: Secret, tagger: SealTagger, problems: inout [Diagnostic]) -> Int {
        let expected = seal.rows
        let common = min(entries.count, expected.count)
        let rows = LedgerSeal.rows(of: entries[..<common], secret: secret)
        let mismatched = (0..<common).filter { rows[$0] != expected[$0] }
        func line(_ i: Int) -> Int { entries[i].line }
        func code(_ raw: String) -> String { InviteCode(uncheckedRawValue: raw).formatted() }
        let deleteFix = "restore kit/codes.csv from a backup: issued codes are never removed (a referrer who leaves gets an `inactive` row)"

        if entries.count < expected.count {
            let first = mismatched.first ?? common
            if first == common {
                let missing = expected[common...].prefix(5).map { code($0.code) }.joined(separator: ", ")
                problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: nextLine),
                                           "the last \(expected.count - common) row(s) the last build wrote are missing (code \(missing)\(expected.count - common > 5 ? ", ..." : "")): rows were deleted from the end",
                                           fix: deleteFix))
                return 0
            }
            if first + 1 < expected.count, rows[first] == expected[first + 1] {
                problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: line(first)),
                                           "the row the last build wrote just above this line (code \(code(expected[first].code))) is missing: a row was deleted (the seal has \(expected.count) rows, the file \(entries.count))",
                                           fix: deleteFix))
                return 0
            }
        }
        if let first = mismatched.first, first + 1 < entries.count, tagger.row(entries[first + 1]) == expected[first] {
            let copy = (0..<entries.count).first { $0 != first && entries[$0] == entries[first].withLine(entries[$0].line) }
            problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: line(first)),
                                       "refkit did not write this row: it was inserted above the row the last build wrote here\(copy.map { " (a copy of line \(line($0)))" } ?? "")",
                                       fix: "delete the inserted row, or restore kit/codes.csv from a backup"))
            return 0
        }

        let programs = Set(entries.map(\.program))
        for i in mismatched.prefix(Ledger.problemsShown) {
            let entry = entries[i], found = rows[i], wanted = expected[i]
            var message: String
            var fix = Ledger.editFix
            if found.code != wanted.code {
                if let j = mismatched.first(where: { $0 != i && rows[$0].code == wanted.code && expected[$0].code == found.code }) {
                    message = "code \(entry.code.formatted()) is the one the last build wrote on line \(line(j)), which now has this line's code \(code(wanted.code)): the two codes were swapped"
                } else if found.owner == wanted.owner {
                    message = "the code was \(code(wanted.code)) when refkit wrote this row; it is now \(entry.code.formatted()), which was not issued to this email"
                } else {
                    message = "the code was \(code(wanted.code)) and the email or programme differ too: this is not the row refkit wrote here"
                }
            } else if found.owner != wanted.owner {
                if let was = programs.first(where: { $0 != entry.program && tagger.owner(program: $0, email: entry.email) == wanted.owner }) {
                    message = "the programme was \"\(was)\" when refkit issued code \(entry.code.formatted()) on this line; it is now \"\(entry.program)\""
                } else {
                    message = "the email is not the one code \(entry.code.formatted()) was issued to on this line: the email was changed"
                }
            } else {
                message = "the name, language or date is not what refkit wrote on this line (code \(entry.code.formatted()))"
                fix = "undo the edit (names and languages come from content/referrers.csv: a change there is recorded by the next build as a new row), or restore kit/codes.csv from a backup"
            }
            problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: line(i)), message, fix: fix))
        }
        if mismatched.count > Ledger.problemsShown {
            problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: line(mismatched[Ledger.problemsShown])),
                                       "and \(mismatched.count - Ledger.problemsShown) more row(s) differ from what refkit wrote", fix: Ledger.editFix))
        }
        if problems.isEmpty, entries.count < expected.count {
            problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: nextLine),
                                       "the file has \(entries.count) rows but the last build wrote \(expected.count): rows were deleted", fix: deleteFix))
        }
        return expected.count
    }

    // MARK: Rows the seal does not cover

    /// Checks rows `from...`: each code's first row against the secret that issued it, and
    /// every later row for a change refkit would have written.
    private func checkUnsealed(from sealed: Int, keyring: Keyring, problems: inout [Diagnostic]) {
        guard sealed < entries.count else { return }
        var firstRow: [InviteCode: Int] = [:]
        var latestRow: [InviteCode: Int] = [:]
        firstRow.reserveCapacity(codes.count)
        latestRow.reserveCapacity(codes.count)
        // One deriver per issuing secret and code length, keyed by both (`issuerIndex`).
        var derivers: [Int: CodeDeriver] = [:]
        // (row, the code its programme and email derive to), for the messages.
        var failures: [(row: Int, expected: InviteCode?)] = []
        var checked = 0

        // Each unsealed code's first-attempt code, computed ahead on every core; the loop below
        // follows the attempts further only where that one is taken.
        var firstSeen = Set<InviteCode>()
        firstSeen.reserveCapacity(codes.count)
        var firstRows: [Int] = []
        for (i, entry) in entries.enumerated() where firstSeen.insert(entry.code).inserted && i >= sealed { firstRows.append(i) }
        let all = entries
        let ring = keyring
        let firstAttempts = ParallelRows.map(firstRows.count) { [firstRows] range -> [InviteCode?] in
            var derivers: [Int: CodeDeriver] = [:]
            return firstRows[range].map { i -> InviteCode? in
                let entry = all[i]
                let issuer = ring.issuerIndex(ofRow: i + 1)
                let length = entry.code.rawValue.utf8.count - 1
                let key = issuer * 64 + length
                guard let deriver = derivers[key] ?? ring.secret(at: issuer).map({ CodeDeriver(secret: $0, length: length) }) else { return nil }
                derivers[key] = deriver
                return deriver.code(program: entry.program, email: entry.email)
            }
        }
        var firstAttempt: [Int: InviteCode] = [:]
        firstAttempt.reserveCapacity(firstRows.count)
        for (i, code) in zip(firstRows, firstAttempts) { if let code { firstAttempt[i] = code } }

        for (i, entry) in entries.enumerated() {
            defer { latestRow[entry.code] = i }
            if let previous = latestRow[entry.code] {
                let p = entries[previous]
                if i >= sealed, p.name == entry.name, p.language == entry.language, p.status == entry.status {
                    problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: entry.line),
                                               "this row repeats line \(p.line) (code \(entry.code.formatted())): refkit never writes a row that changes nothing",
                                               fix: "delete the copy on line \(entry.line), or restore kit/codes.csv from a backup"))
                }
                continue
            }
            firstRow[entry.code] = i
            guard i >= sealed else { continue }
            checked += 1
            if firstAttempt[i] == entry.code { continue }
            let issuer = keyring.issuerIndex(ofRow: i + 1)
            let length = entry.code.rawValue.utf8.count - 1
            let key = issuer * 64 + length
            guard let deriver = derivers[key] ?? keyring.secret(at: issuer).map({ CodeDeriver(secret: $0, length: length) }) else {
                failures.append((i, nil))
                continue
            }
            derivers[key] = deriver
            var attempt: UInt32 = 0
            var derived = deriver.code(program: entry.program, email: entry.email, attempt: attempt)
            // The issuer moved past codes that earlier rows held; so does the check, and only
            // past those, so a hand-made row cannot borrow a higher attempt.
            while derived != entry.code, let holder = firstRow[derived], holder < i, attempt < 64 {
                attempt += 1
                derived = deriver.code(program: entry.program, email: entry.email, attempt: attempt)
            }
            // The messages name the first attempt's code: the one the row's email would have
            // had, had nobody held it.
            if derived != entry.code { failures.append((i, attempt == 0 ? derived : deriver.code(program: entry.program, email: entry.email))) }
        }
        guard !failures.isEmpty else { return }

        if failures.count == checked, checked > 3, failures.allSatisfy({ keyring.issuerIndex(ofRow: $0.row + 1) == keyring.retired.count }) {
            problems.append(Diagnostic(
                SourceLocation(file: "kit/" + Secret.kitPath),
                "none of the \(checked) codes of kit/codes.csv comes from kit/secret (secret \(keyring.currentKeyID)): the secret was replaced or regenerated",
                fix: "restore the kit/secret that issued them from a backup. If it is lost for good, run `refkit codes rotate-secret --lost` to vouch for the ledger as it is"))
            return
        }
        let expectedBy = Dictionary(failures.compactMap { f in f.expected.map { ($0, f.row) } }, uniquingKeysWith: { a, _ in a })
        for failure in failures.prefix(Ledger.problemsShown) {
            let entry = entries[failure.row]
            let issuer = keyring.issuer(ofRow: failure.row + 1)
            var message: String
            if failure.expected == nil {
                message = "code \(entry.code.formatted()) lies in the rows of the lost secret \(issuer.keyID), which only kit/codes.seal vouches for, and the seal does not cover it"
            } else if let other = expectedBy[entry.code], other != failure.row, entries[other].code == failure.expected {
                message = "code \(entry.code.formatted()) was issued to the email of line \(entries[other].line), and that line's code to this row's email: the codes or the emails of the two lines were swapped"
            } else if let other = keyring.known.first(where: { $0.keyID != issuer.keyID
                        && CodeDeriver(secret: $0.secret, length: entry.code.rawValue.utf8.count - 1).code(program: entry.program, email: entry.email) == entry.code }) {
                message = "code \(entry.code.formatted()) was issued under secret \(other.keyID), but this row lies among the rows of secret \(issuer.keyID): the row was moved or copied"
            } else {
                message = "code \(entry.code.formatted()) does not come from this row's programme and email under the secret that issued the row (\(issuer.keyID)): the code, the email or the programme was changed, or the row was made by hand"
            }
            problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: entry.line), message, fix: Ledger.editFix))
        }
        if failures.count > Ledger.problemsShown {
            problems.append(Diagnostic(SourceLocation(file: Ledger.displayPath, line: entries[failures[Ledger.problemsShown].row].line),
                                       "and \(failures.count - Ledger.problemsShown) more code(s) that do not come from their rows", fix: Ledger.editFix))
        }
    }
}

extension LedgerEntry {
    func withLine(_ line: Int) -> LedgerEntry {
        var copy = self
        copy.line = line
        return copy
    }
}
