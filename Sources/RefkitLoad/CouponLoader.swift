import Foundation
import RefkitModel

/// Reads `content/coupons.csv`: `program,reward,coupon` and an optional `expires`.
///
/// Strict, because a coupon is money: an unknown programme or reward, a coupon listed twice,
/// an empty cell or an expiry that is not a date stops the report with the line, and nothing
/// is written. Codes are compared as the till compares them (`Coupon.identity`).
enum CouponLoader {
    static let file = "content/coupons.csv"
    static let columns = ["program", "reward", "coupon", "expires"]

    static func load(_ data: Data, programs: [Program], log: DiagnosticLog) -> [Coupon] {
        guard let csv = ContentCSV.read(data, file: file, required: ["program", "reward", "coupon"], known: columns, log: log) else { return [] }
        let bySlug = Dictionary(programs.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let slugs = programs.map(\.slug).sorted()
        var coupons: [Coupon] = []
        var firstLine: [String: Int] = [:]
        for row in csv.rows {
            func report(_ message: String, fix: String? = nil) {
                log.add(SourceLocation(file: file, line: row.line), message, fix: fix)
            }
            var ok = true
            for name in ["program", "reward", "coupon"] where csv.cell(row, name).trimmingWhitespace().isEmpty {
                report("the `\(name)` cell is empty", fix: "fill it in or delete the row")
                ok = false
            }
            guard ok else { continue }
            let slug = csv.cell(row, "program").trimmingWhitespace()
            guard let program = bySlug[slug] else {
                report("there is no programme \"\(Self.shown(slug))\"",
                       fix: Suggestion.closest(to: slug, in: slugs).map { "did you mean `\($0)`?" } ?? "use one of: " + slugs.joined(separator: ", "))
                continue
            }
            let rewardText = csv.cell(row, "reward").trimmingWhitespace()
            guard let kind = CouponKind(name: rewardText) else {
                report("the reward \"\(Self.shown(rewardText))\" is not one a coupon can pay",
                       fix: "use `referral` (a per-referral reward), a tier's referral count such as `3`, or `friend` (the friend's welcome offer)")
                continue
            }
            if case .tier(let n) = kind, !program.defaultEdition.tiers.contains(where: { $0.referrals == n }) {
                let tiers = program.defaultEdition.tiers.map { String($0.referrals) }
                report("programme \(slug) has no tier at \(n) referrals",
                       fix: tiers.isEmpty ? "the programme has no tiers: use `referral` or `friend`" : "use one of its tiers: " + tiers.joined(separator: ", "))
                continue
            }
            if kind == .referral, program.effectiveRewardRule == .tiers {
                report("programme \(slug) pays tiers only (`reward_rule: tiers`), so no reward takes a `referral` coupon",
                       fix: "use a tier's count, or set `reward_rule: per_referral` or `both` in its front matter")
                continue
            }
            let code = csv.cell(row, "coupon").trimmingWhitespace()
            if let problem = ContentCSV.unsafeCode(code) {
                report("the coupon \(problem)", fix: "export the codes again from the till or shop system; a coupon code is letters, digits and punctuation")
                continue
            }
            var expires: Day?
            let expiresText = csv.cell(row, "expires").trimmingWhitespace()
            if !expiresText.isEmpty {
                guard let day = Day(expiresText) else {
                    report("the expiry \"\(Self.shown(expiresText))\" is not a date", fix: "write it as YYYY-MM-DD, or leave the cell empty when the coupon does not expire")
                    continue
                }
                expires = day
            }
            let identity = Coupon.identity(code)
            if let first = firstLine[identity] {
                report("the coupon \(code) is listed twice, on line \(first) and on line \(row.line)",
                       fix: "keep one row per coupon: a code handed out twice is honoured once at the till")
                continue
            }
            firstLine[identity] = row.line
            coupons.append(Coupon(program: slug, kind: kind, code: code, expires: expires, line: row.line))
        }
        return coupons
    }

    /// One warning per bank the programme's `reward_rule` never draws from: tier coupons under
    /// `per_referral`. Such a bank would be reported as untouched in every report, with nothing
    /// to say why. (The reverse, `referral` coupons under `tiers`, is refused by `load`.) Named
    /// by the line of the bank's first row.
    static func unusedBanks(_ coupons: [Coupon], programs: [Program]) -> [Diagnostic] {
        let bySlug = Dictionary(programs.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>(), warnings: [Diagnostic] = []
        for coupon in coupons {
            guard case .tier = coupon.kind, let program = bySlug[coupon.program], program.effectiveRewardRule == .perReferral,
                  seen.insert(coupon.program + "\u{0}" + coupon.kind.name).inserted else { continue }
            let rule = program.effectiveRewardRule.rawValue
            warnings.append(Diagnostic(SourceLocation(file: file, line: coupon.line),
                                       "programme \(coupon.program) pays per referral (`reward_rule: \(rule)`), so its `\(coupon.kind.name)` coupons (tier \(coupon.kind.name)) are never handed out",
                                       fix: "remove the bank's rows from \(file), or set `reward_rule: both` (or `tiers`) in \(program.defaultEdition.file)"))
        }
        return warnings
    }

    /// A cell's text in a message, with controls and bidirectional characters as `<U+XXXX>`
    /// and cut short: it comes from an export and goes to a terminal.
    static func shown(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars.prefix(60) {
            if ReferrerLoader.isInvisibleControl(s) { out += "<U+" + String(s.value, radix: 16, uppercase: true) + ">" } else { out.unicodeScalars.append(s) }
        }
        return text.unicodeScalars.count > 60 ? out + "…" : out
    }
}
