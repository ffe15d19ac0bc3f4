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

        --conversions takes friends who became customers (email or code, date, value). With it, \
        a referral counts towards tiers when the friend converts; without it, when the form is sent.

        Writes kit/report/index.html (the results page), appends new rewards to \
        kit/report/rewards.csv (never rewriting it) and writes a thank-you draft per referrer \
        with a new reward to kit/report/thanks/. Running it again on the same or a longer export \
        adds only what is new.

        Follow-ups: drafts in kit/report/follow-ups/SEGMENT/ (and SEGMENT.mbox) from the \
        programme's `nudge`, `friend_reminder` and `deadline` messages, as often as site.yaml's \
        mail.follow_ups allows (logged in kit/report/follow-ups.csv, so never twice), never to \
        anyone in content/unsubscribed.csv. It also writes kit/report/progress.csv, the counts \
        the next `refkit build` shows on progress pages and leaderboards.

        Examples:
          refkit report ~/Downloads/referral-submissions.csv
          refkit report netlify.csv --conversions till.csv --now 2027-04-01
        """
    )

    @Argument(help: ArgumentHelp("The form provider's CSV export.", valueName: "submissions.csv"))
    var submissions: String

    @Option(help: ArgumentHelp("Friends who became customers: email or code, date, value.", valueName: "file"))
    var conversions: String?

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("Where the private kit is.", valueName: "dir"))
    var kit: String?

    @Option(help: ArgumentHelp("Today's date for the report, for reproducible output.", valueName: "YYYY-MM-DD"))
    var now: String?

    func validate() throws {
        if let now, Day(now) == nil { throw ValidationError("--now \"\(now)\" is not a date; use YYYY-MM-DD.") }
    }

    func run() throws {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let options = ReportOptions(
            root: project.rootURL,
            kitDirectory: kit.map { URL(fileURLWithPath: $0, isDirectory: true) },
            submissions: URL(fileURLWithPath: submissions, relativeTo: cwd).standardizedFileURL,
            conversions: conversions.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL },
            today: now.flatMap(Day.init) ?? .today())
        let result = try ReportRun(options: options).run()
        for problem in result.draftProblems + result.followUpProblems {
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
        Terminal.out("  rewards:    \(r.newRewards.count) new, \(r.totalRewards) in rewards.csv; \(r.drafts.count) thank-you draft(s)")
        Terminal.out("  follow-ups: " + FollowUpSegment.allCases.map { "\(r.followUps[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
                     + " drafted in follow-ups/ (logged in follow-ups.csv)")
        Terminal.out("  \(r.reportDirectory.path)/index.html (private: it names referrers and friends)")
    }
}
