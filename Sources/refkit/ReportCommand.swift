import ArgumentParser
import Foundation
import RefkitBuild
import RefkitModel
import RefkitReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Turn the form's submissions into results, rewards and thank-you drafts in kit/report/.",
        discussion: """
        SUBMISSIONS is the CSV export of the form provider: Netlify Forms, Formspree, or the \
        generic columns date,code,variant,friend_name,friend_email,utm_source. Codes are matched \
        through kit/codes.csv; a mistyped code counts only when exactly one issued code is one \
        edit away. Unknown codes, self-referrals, friends who submit twice and submissions after \
        a programme's deadline are flagged, not counted.

        --conversions takes friends who became customers (email or code, date, value): a till \
        or shop export, or the counter page's redemptions-YYYY-MM-DD.csv as it is. Give it once \
        per file; a redemption in several of the counter's exports counts once. A redemption \
        with the friend's email converts that friend's submission; one with a code only is a \
        walk-in. Rewards follow real customers: without --conversions no referral counts \
        towards rewards, unless site.yaml says `report: {rewards_from: submissions}`; then the \
        form counts, and referrals that look made up (too many forms for one code in a day, \
        throwaway addresses, friends' addresses one letter apart or with the same name) hold \
        their rewards until you list them in content/confirmed.csv.

        Rewards follow each programme's reward_rule (per_referral, tiers or both). With \
        content/coupons.csv each new reward takes the next unused, unexpired coupon of its kind; \
        when a bank runs out the reward is owed, and a later run pays it once the bank is refilled.

        Writes kit/report/index.html (the results page), appends new rewards to \
        kit/report/rewards.csv (never rewriting it), writes a thank-you draft per referrer \
        with a new reward to kit/report/thanks/ and, for a programme with a `welcome` message, \
        a welcome draft per new friend to kit/report/welcome/. Running it again on the same or a longer export \
        adds only what is new.

        Follow-ups: drafts in kit/report/follow-ups/SEGMENT/ (and SEGMENT.mbox) from the \
        programme's `nudge`, `friend_reminder` and `deadline` messages, as often as site.yaml's \
        mail.follow_ups allows (logged in kit/report/follow-ups.csv, so never twice), never to \
        anyone in content/unsubscribed.csv. It also writes kit/report/progress.csv, the counts \
        the next `refkit build` shows on progress pages and leaderboards.

        Examples:
          refkit report ~/Downloads/referral-submissions.csv
          refkit report netlify.csv --conversions till.csv --now 2027-04-01
          refkit report netlify.csv --conversions redemptions-2027-03-31.csv --conversions tablet2/redemptions-2027-03-31.csv
        """
    )

    @Argument(help: ArgumentHelp("The form provider's CSV export.", valueName: "submissions.csv"))
    var submissions: String

    @Option(help: ArgumentHelp("Friends who became customers: email or code, date, value; or the counter page's export. Repeat for several files.", valueName: "file"))
    var conversions: [String] = []

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("Where the private kit is.", valueName: "dir"))
    var kit: String?

    @Option(help: ArgumentHelp("Today's date for the report, for reproducible output.", valueName: "YYYY-MM-DD"))
    var now: String?

    @Flag(help: "Rebuild a lost kit/report/follow-ups.csv from the drafts kept in kit/report/follow-ups/.")
    var rebuildFollowUpLog = false

    func validate() throws {
        if let now, Day(now) == nil { throw ValidationError("--now \"\(now)\" is not a date; use YYYY-MM-DD.") }
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        var options = ReportOptions(
            root: project.rootURL,
            kitDirectory: kit.map { URL(fileURLWithPath: $0, isDirectory: true) },
            submissions: URL(fileURLWithPath: submissions, relativeTo: cwd).standardizedFileURL,
            conversions: conversions.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL },
            today: now.flatMap(Day.init) ?? .today())
        options.rebuildFollowUpLog = rebuildFollowUpLog
        let result = try ReportRun(options: options).run()
        for problem in result.warnings + result.draftProblems + result.followUpProblems {
            Terminal.plainError(Terminal.styled("warning: ", .yellow, fd: 2) + problem.description)
        }
        guard !project.quiet else { return }
        ReportSummary.print(result)
    }
}

/// The headline figures, for the terminal.
enum ReportSummary {
    static func print(_ r: ReportResult) {
        let a = r.analysis
        let rows = a.submissions.count
        let flagged = rows - a.counted
        let reasons = a.flagCounts.filter { $0.count > 0 }.map { "\($0.count) \($0.kind.rawValue)" }
        Terminal.out(Terminal.styled("Report", .green) + ": \(rows) submission(s) in the \(r.format.rawValue) export: \(a.counted) counted, \(flagged) flagged" + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: ", ") + ")") + ".")
        if !a.corrected.isEmpty {
            Terminal.out("  codes:      \(a.corrected.count) mistyped code(s) matched to the only issued code one edit away")
        }
        if let conversions = a.conversions {
            let rate = a.counted + a.walkIns > 0 ? String(format: "%.1f", 100 * Double(a.converted) / Double(a.counted + a.walkIns)) : "0"
            let notCounted = conversions.count { $0.flag != nil }
            Terminal.out("  converted:  \(a.converted) friend(s) (\(rate)%), \(a.walkIns) of them at the till without the form; \(notCounted) conversion row(s) not counted")
            // Why, for the first few: a whole export mangled by a spreadsheet (dates as
            // 25/11/2026, a `;` separator) shows here, not only on the report page.
            let flagged = conversions.filter { $0.flag != nil }
            for o in flagged.prefix(3) {
                let file = o.conversion.file.isEmpty ? "" : o.conversion.file + ":"
                Terminal.out("    " + VisibleText.escaped("\(file)\(o.conversion.line): \(o.flag!.explanation(group: a.group))"))
            }
            if flagged.count > 3 { Terminal.out("    … and \(flagged.count - 3) more on the report page") }
            for same in r.sameConversionFiles {
                Terminal.out("  " + Terminal.styled("same file", .yellow) + ":  \(same.file) holds exactly what \(same.sameAs) holds; read once")
            }
            if r.repeatedRedemptions > 0 {
                Terminal.out("  counter:    \(r.repeatedRedemptions) redemption(s) already in an earlier export, counted once")
            }
        }
        for p in a.programs {
            let funnel = a.funnel(by: .program).first { $0.label == p.slug }
            if let funnel {
                Terminal.out("  \(p.slug): \(funnel.invited ?? 0) invited → \(funnel.submitted) submitted" + (a.usesConversions ? " → \(funnel.converted) converted" : ""))
            }
        }
        for test in a.abTests {
            for arm in test.arms.dropFirst() {
                Terminal.out("  A/B \(test.program) \(arm.name) vs a: \(arm.comparison?.verdict ?? "")")
            }
        }
        if a.countsNoSuccesses {
            Terminal.out("  " + Terminal.styled("no referral counts towards rewards", .yellow) + ": rewards follow customers, and no --conversions file was given. Give the counter page's export (kit/counter/, Export) with --conversions FILE, or set `report: {rewards_from: submissions}` in content/site.yaml to count bare form submissions.")
        }
        let payments = r.newRewards.count { !$0.isReward }
        let welcomes = r.newRewards.count { $0.isReward && $0.tier == EarnedReward.friendTier }
        Terminal.out("  rewards:    \(r.newRewards.count - payments - welcomes) new" + (welcomes > 0 ? " and \(welcomes) friends' welcome offer(s)" : "")
                     + ", \(r.totalRewards) in rewards.csv; \(r.drafts.count) thank-you draft(s)"
                     + (r.welcomeDrafts.isEmpty ? "" : ", \(r.welcomeDrafts.count) welcome draft(s)"))
        if payments > 0 { Terminal.out("  coupons:    \(payments) owed reward(s) paid from the refilled bank") }
        for level in r.couponLevels {
            var line = "  coupons:    \(level.program) \"\(level.kind.name)\": \(level.left) left, \(level.handedOut) handed out"
            if level.owed > 0 { line += "; " + Terminal.styled("\(level.owed) more needed", .yellow) + " for owed rewards (add codes to content/coupons.csv)" }
            Terminal.out(line)
            if level.isLow, level.left > 0 {
                Terminal.plainError(Terminal.styled("warning: ", .yellow, fd: 2) + "content/coupons.csv: under 10% of the \(level.program) \"\(level.kind.name)\" coupons are left (\(level.left)); export more from the till or shop system")
            }
        }
        if !r.held.isEmpty {
            let friends = Set(r.held.flatMap { h in h.reasons.map { h.reward.code.rawValue + " " + $0.friend } }).count
            Terminal.out("  " + Terminal.styled("held:       \(r.held.count) reward(s)", .yellow) + " rest on \(friends) referral(s) that look made up; not in rewards.csv. Check them on the report page and list the real ones in content/confirmed.csv.")
        }
        Terminal.out("  follow-ups: " + FollowUpSegment.allCases.map { "\(r.followUps[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                     + " drafted in follow-ups/ (logged in follow-ups.csv)")
        if !r.heldReminders.isEmpty {
            var made = 0, over = 0, limit = 0
            for h in r.heldReminders {
                switch h.reason {
                case .suspicious: made += 1
                case let .overCap(n): over += 1; limit = n
                }
            }
            var why: [String] = []
            if made > 0 { why.append("\(made) look made up (too many forms for one code in a day, throwaway or look-alike addresses, repeated names; list the real ones in content/confirmed.csv)") }
            if over > 0 { why.append("\(over) over \(limit) per code in one run (drafted on a later run)") }
            Terminal.out("  " + Terminal.styled("held back:  \(r.heldReminders.count) friend reminder(s)", .yellow) + ": " + why.joined(separator: "; "))
        }
        Terminal.out("  \(r.reportDirectory.path)/index.html (private: it names referrers and friends)")
    }
}
