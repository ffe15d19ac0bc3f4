import Foundation
import RefkitCSV
import RefkitModel

/// Reads `content/confirmed.csv` (`code,friend`): referrals the report held as possible fraud
/// and the marketer has checked. The report page lists each held referral as a ready line.
enum ConfirmationLoader {
    static let file = "content/confirmed.csv"

    static func load(_ data: Data, log: DiagnosticLog) -> [Confirmation] {
        guard let csv = ContentCSV.read(data, file: file, required: ["code", "friend"], known: ["code", "friend"], log: log) else { return [] }
        var out: [Confirmation] = []
        for row in csv.rows {
            // The report page writes these lines through the formula guard; a leading `'` is its own.
            let code = csv.cell(row, "code").trimmingWhitespace(), friend = FormulaGuard.unprotect(csv.cell(row, "friend")).trimmingWhitespace()
            guard !code.isEmpty, !friend.isEmpty else {
                log.add(SourceLocation(file: file, line: row.line), "the `\(code.isEmpty ? "code" : "friend")` cell is empty",
                        fix: "copy the line the report page shows for the held referral")
                continue
            }
            out.append(Confirmation(code: code, friend: friend, line: row.line))
        }
        return out
    }
}

/// Reads `content/disposable-domains.txt`: one domain a line, `#` starts a comment. They are
/// added to the list refkit ships (see `DisposableDomains` in RefkitReport).
enum DisposableDomainLoader {
    static let file = "content/disposable-domains.txt"

    static func load(_ text: String, log: DiagnosticLog) -> [String] {
        var out: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw.prefix { $0 != "#" }).trimmingWhitespace().lowercased()
            guard !line.isEmpty else { continue }
            let domain = line.hasPrefix("@") ? String(line.dropFirst()) : line
            guard domain.contains("."), domain.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == ".") }) else {
                log.add(SourceLocation(file: file, line: i + 1), "\"\(CouponLoader.shown(String(raw)))\" is not a domain",
                        fix: "write one domain a line, such as mailinator.com (an internationalised domain in its xn-- form)")
                continue
            }
            out.append(domain)
        }
        return out
    }
}
