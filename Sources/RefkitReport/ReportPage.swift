import Foundation
import Mustache
import RefkitCSV
import RefkitModel
import RefkitMustache

/// Renders `kit/report/index.html` from the theme's `site-templates/report/index.mustache`.
///
/// The page is private (it names referrers and friends) and self-contained: inline CSS and
/// SVG, no script, nothing fetched, so it can be mailed or opened offline. Every value goes in
/// through Mustache's escaping; the SVG is built here with its own escaping.
public struct ReportPage: Sendable {
    /// The template's name in `Theme.templates`.
    public static let templateName = "report/index"
    public static let kitPath = "report/index.html"

    let template: MustacheTemplate
    let source: TemplateSource

    /// - Throws: `ReportError` when the template does not parse.
    public init(template source: TemplateSource) throws(ReportError) {
        do {
            template = try HTMLTemplate.parse(source.text)
        } catch let error as MustacheTemplate.ParserError {
            throw ReportError([Diagnostic(SourceLocation(file: source.file, line: max(1, error.context.lineNumber - HTMLTemplate.lineOffset),
                                                         column: error.context.columnNumber),
                                          "the report template has a Mustache error (\(error.error))")])
        } catch {
            throw ReportError(source.file, "the report template has a Mustache error (\(error))")
        }
        self.source = source
    }

    /// What the page shows besides the analysis.
    public struct Extras: Sendable {
        public var brand: String
        /// `#RRGGBB`.
        public var color: String
        public var format: SubmissionExport.Format
        public var rewards: [RewardLedger.Row]
        /// Rows appended by this run.
        public var newRewardLines: Set<Int>
        public var drafts: Int
        /// Rewards held for confirmation, coupon banks, welcome drafts written.
        public var held: [HeldReward] = []
        public var couponLevels: [CouponBank.Level] = []
        public var welcomeDrafts = 0
        /// What the report went on despite (unused coupon banks, friends without a welcome offer).
        public var warnings: [Diagnostic] = []
        public init(brand: String, color: String, format: SubmissionExport.Format, rewards: [RewardLedger.Row],
                    newRewardLines: Set<Int>, drafts: Int) {
            self.brand = brand
            self.color = color
            self.format = format
            self.rewards = rewards
            self.newRewardLines = newRewardLines
            self.drafts = drafts
        }
    }

    /// Referrers listed on the page at most: the rest are in the counts.
    public static let referrerRows = 200
    /// Rows of rewards.csv listed on the page at most, newest first: the file has them all.
    public static let rewardRows = 1_000

    /// - Throws: `ReportError` when the template uses a name that is not a variable.
    public func render(_ a: ReportAnalysis, _ extras: Extras) throws(ReportError) -> OutputFile {
        let context = PageContext(values(a, extras))
        let html = template.render(context)
        if !context.misses.isEmpty {
            let known = context.values.keys.sorted().joined(separator: ", ")
            throw ReportError(context.misses.sorted().map {
                Diagnostic(SourceLocation(file: source.file), "the report template uses {{\($0)}}, which is not a variable",
                           fix: "use one of " + known + ", or a field of the list it is in (see README.md, \"The report\")")
            })
        }
        return OutputFile(area: .kit, path: Self.kitPath, text: html, isPrivate: true)
    }

    func values(_ a: ReportAnalysis, _ x: Extras) -> [String: Any] {
        let g = a.group
        func pct(_ part: Int, _ whole: Int) -> String { whole > 0 ? String(format: "%.1f%%", 100 * Double(part) / Double(whole)) : "–" }
        var v: [String: Any] = [:]
        v["brand"] = x.brand
        v["color"] = x.color
        v["today"] = a.today.description
        v["export_format"] = x.format.rawValue
        v["rows_total"] = String(a.submissions.count)
        v["counted"] = String(a.counted)
        let flagged = a.submissions.count { !$0.counts }
        v["flagged"] = String(flagged)
        v["has_conversions"] = a.usesConversions
        v["converted"] = String(a.converted)
        v["conversion_rate"] = pct(a.converted, a.counted + a.walkIns)
        v["has_walk_ins"] = a.walkIns > 0
        v["walk_ins"] = String(a.walkIns)
        v["has_order_value"] = a.orderValue > 0
        v["order_value"] = String(format: "%.2f", a.orderValue)
        v["rewards_new"] = String(x.newRewardLines.count)
        v["rewards_total"] = String(x.rewards.count { $0.isReward })
        v["rewards_rows"] = String(x.rewards.count)
        v["success_rule"] = a.usesConversions ? "the friend becomes a customer (the conversions file)"
            : a.rewardsFrom == .submissions ? "the friend's form is counted (site.yaml: report: rewards_from: submissions); what looks like fraud is held until you confirm it"
            : "the friend becomes a customer, and no conversions file was given, so no referral counts towards rewards in this report"
        v["counts_no_successes"] = a.countsNoSuccesses
        v["metric"] = a.usesConversions ? "conversion" : "submission"
        v["metric_verb"] = a.usesConversions ? "became a customer" : "sent the form"

        // Funnels.
        v["funnels"] = FunnelDimension.allCases.compactMap { dimension -> [String: Any]? in
            let rows = a.funnel(by: dimension)
            guard !rows.isEmpty else { return nil }
            let widest = max(1, rows.map { $0.invited ?? $0.submitted }.max() ?? 1)
            return ["title": dimension.rawValue, "rows": rows.map { row -> [String: Any] in
                let rate = row.invited.map { pct(row.submitted, $0) } ?? pct(row.submitted, rows.reduce(0) { $0 + $1.submitted }) + " of all"
                let ratio = row.invited.map { $0 > 0 ? Double(row.submitted) / Double($0) : 0 } ?? Double(row.submitted) / Double(widest)
                return ["label": row.label, "invited": row.invited.map(String.init) ?? "–", "submitted": String(row.submitted),
                        "converted": a.usesConversions ? String(row.converted) : "–", "submit_rate": rate,
                        "bar_width": String(format: "%.1f", min(100, 100 * ratio))]
            }]
        }

        // Chart.
        let timeline = a.timeline
        v["has_chart"] = !timeline.isEmpty
        v["chart_svg"] = ReportChart.svg(timeline, conversions: a.usesConversions)

        // A/B.
        let tests = a.abTests
        v["has_ab_tests"] = !tests.isEmpty
        v["ab_tests"] = tests.map { test -> [String: Any] in
            ["program": test.program, "arms": test.arms.map { arm -> [String: Any] in
                let c = arm.comparison
                let x = test.metric == .conversion ? arm.referrersWithConversion : arm.referrersWithSubmission
                var verdictClass = "wait"
                if let p = c?.p, p < 0.05 { verdictClass = "good" }
                return ["name": arm.name, "referrers": String(arm.referrers), "submissions": String(arm.submissions),
                        "conversions": a.usesConversions ? String(arm.conversions) : "–",
                        "rate": "\(x) (\(String(format: "%.1f%%", 100 * arm.rate)))",
                        "low": String(format: "%.1f%%", 100 * arm.low), "high": String(format: "%.1f%%", 100 * arm.high),
                        "interval_svg": ReportChart.interval(low: arm.low, rate: arm.rate, high: arm.high),
                        "is_control": c == nil, "verdict": c?.verdict ?? "", "verdict_class": verdictClass,
                        "has_p": c?.p != nil, "z": String(format: "%.2f", c?.z ?? 0), "p": String(format: "%.3f", c?.p ?? 1)]
            }]
        }

        // Referrers and tiers.
        let results = a.referrerResults
        var reached: [String: Int] = [:]
        for r in results {
            for tier in a.tiers(of: r.referrer.program) where tier.referrals <= r.successes {
                reached[r.referrer.program + "\u{0}" + String(tier.referrals), default: 0] += 1
            }
        }
        let tierRows = a.programs.flatMap { p in
            a.tiers(of: p.slug).map { t -> [String: Any] in
                ["program": p.slug, "referrals": String(t.referrals), "reward": t.reward,
                 "reached": String(reached[p.slug + "\u{0}" + String(t.referrals)] ?? 0)]
            }
        }
        v["has_tiers"] = !tierRows.isEmpty
        v["tiers"] = tierRows
        v["has_referrers"] = !results.isEmpty
        v["referrers_truncated"] = results.count > Self.referrerRows
        v["referrers_shown"] = String(min(results.count, Self.referrerRows))
        v["referrers_total"] = String(results.count)
        v["referrers"] = results.prefix(Self.referrerRows).enumerated().map { i, r -> [String: Any] in
            ["rank": String(i + 1), "name": r.referrer.name, "code": r.referrer.code.formatted(group: g), "program": r.referrer.program,
             "language": r.referrer.language.rawValue, "variant": r.referrer.variant, "submitted": String(r.submitted),
             "converted": a.usesConversions ? String(r.converted) : "–",
             "tier": r.tier.map { "\($0.referrals): \($0.reward)" } ?? "–"]
        }

        // Rewards, newest first.
        v["has_rewards"] = !x.rewards.isEmpty
        v["has_drafts"] = x.drafts > 0
        v["drafts_new"] = String(x.drafts)
        v["rewards_truncated"] = x.rewards.count > Self.rewardRows
        v["rewards_shown"] = String(min(x.rewards.count, Self.rewardRows))
        v["rewards"] = x.rewards.suffix(Self.rewardRows).reversed().map { row -> [String: Any] in
            ["date": row.date.description, "name": a.referrer(row.code)?.name ?? "", "code": row.code.formatted(group: g),
             "friend": row.friend, "tier": row.tier, "reward": row.reward, "is_new": x.newRewardLines.contains(row.line),
             "line": String(row.line), "coupon": row.coupon, "coupon_status": Self.statusText(row.status)]
        }
        v["has_warnings"] = !x.warnings.isEmpty
        v["warnings_count"] = String(x.warnings.count)
        // Capped like the other lists: a till export of thousands of mangled addresses would
        // otherwise be thousands of paragraphs. The command prints every one.
        v["warnings_truncated"] = x.warnings.count > Self.referrerRows
        v["warnings_shown"] = String(min(x.warnings.count, Self.referrerRows))
        v["warnings"] = x.warnings.prefix(Self.referrerRows).map { ["text": $0.description] as [String: Any] }
        v["has_welcome_drafts"] = x.welcomeDrafts > 0
        v["welcome_drafts_new"] = String(x.welcomeDrafts)

        // Coupon banks: what is left, what is still owed.
        v["has_coupon_levels"] = !x.couponLevels.isEmpty
        v["coupon_levels"] = x.couponLevels.map { l -> [String: Any] in
            ["program": l.program, "reward": l.kind.label, "left": String(l.left), "handed_out": String(l.handedOut),
             "owed": String(l.owed), "is_owed": l.owed > 0, "is_low": l.isLow]
        }
        let owed = x.couponLevels.filter { $0.owed > 0 }
        v["has_owed_coupons"] = !owed.isEmpty
        v["owed_coupons"] = owed.map { ["program": $0.program, "reward": $0.kind.label, "owed": String($0.owed)] as [String: Any] }

        // Rewards held until the marketer confirms the referrals they rest on.
        v["has_held"] = !x.held.isEmpty
        v["held_count"] = String(x.held.count)
        v["held"] = x.held.prefix(Self.referrerRows).map { h -> [String: Any] in
            ["date": h.reward.date.description, "name": a.referrer(h.reward.code)?.name ?? "", "code": h.reward.code.formatted(group: g),
             "tier": h.reward.tier, "reward": h.reward.reward,
             "reasons": h.reasons.map { "\($0.friend): \($0.why.explanation)" }.joined(separator: "; ")]
        }
        var confirmLines: [String] = [], seen = Set<String>()
        for h in x.held {
            for r in h.reasons where seen.insert(h.reward.code.rawValue + "\u{0}" + r.friend).inserted {
                confirmLines.append(Self.confirmWriter.line([h.reward.code.formatted(group: g), r.friend]))
            }
        }
        v["confirm_lines"] = "code,friend\n" + confirmLines.joined()

        // Checks.
        v["flags"] = a.flagCounts.map { ["label": $0.kind.rawValue, "count": String($0.count)] as [String: Any] }
        let corrections = a.corrected
        v["has_corrections"] = !corrections.isEmpty
        v["corrections_count"] = String(corrections.count)
        v["corrections"] = corrections.map { o -> [String: Any] in
            ["line": String(o.submission.line), "typed": o.submission.code, "code": o.code!.formatted(group: g),
             "name": a.referrer(o.code!)?.name ?? ""]
        }
        let flaggedRows = a.submissions.filter { !$0.counts }
        v["has_flagged_rows"] = !flaggedRows.isEmpty
        v["flagged_rows"] = flaggedRows.map { o -> [String: Any] in
            ["line": String(o.submission.line), "date": o.submission.date?.description ?? o.submission.dateText,
             "code": o.submission.code, "friend": o.submission.friendEmail, "reason": o.flag!.explanation(group: g)]
        }
        let conversionFlags = (a.conversions ?? []).filter { $0.flag != nil }
        // With several conversions files (`--conversions` given more than once), a line names its file.
        let severalFiles = Set((a.conversions ?? []).map(\.conversion.file)).count > 1
        v["has_conversion_flags"] = !conversionFlags.isEmpty
        v["conversion_flags_count"] = String(conversionFlags.count)
        v["conversion_flags"] = conversionFlags.map { o -> [String: Any] in
            ["line": severalFiles ? o.conversion.file + ":" + String(o.conversion.line) : String(o.conversion.line), "email": o.conversion.email, "code": o.conversion.code,
             "reason": o.flag!.explanation(group: g)]
        }
        return v
    }
}

extension ReportPage {
    static func statusText(_ status: RewardLedger.CouponStatus) -> String {
        switch status {
        case .none: ""
        case .paid: "paid"
        case .owed: "owed: no coupon left"
        case .pays(let line): "pays the reward owed on line \(line)"
        }
    }

    /// The lines to paste into content/confirmed.csv: through refkit's one CSV writer, since
    /// a friend's address comes from a public form.
    static let confirmWriter = CSVWriter(lineEnd: .lf)
}

/// The page's root context: it records the names the template asked for and did not find.
///
/// swift-mustache renders an unknown name as nothing. A lookup inside a list's row that
/// misses falls back to the root last, so every miss anywhere ends here.
final class PageContext: MustacheParent {
    let values: [String: Any]
    private(set) var misses: Set<String> = []

    init(_ values: [String: Any]) { self.values = values }

    func child(named name: String) -> Any? {
        if let value = values[name] { return value }
        misses.insert(name)
        return nil
    }
}
