import Foundation
import RefkitCodes
import RefkitLoad
import RefkitMail
import RefkitModel
import RefkitReport
import RefkitWrite

/// What `refkit report` reads and where it writes.
public struct ReportOptions: Sendable {
    public var root: URL
    public var siteDirectory: URL
    public var kitDirectory: URL
    /// The form provider's CSV export.
    public var submissions: URL
    /// Friends who became customers: till or shop exports and the counter page's exports, read
    /// in this order (see `readConversions`).
    public var conversions: [URL]
    /// "Today" for the page's date; deadlines come from the programmes.
    public var today: Day
    /// `--rebuild-follow-up-log`: a missing `kit/report/follow-ups.csv` is rebuilt from the
    /// drafts kept in `kit/report/follow-ups/` instead of stopping the report.
    public var rebuildFollowUpLog = false

    public init(root: URL, kitDirectory: URL? = nil, siteDirectory: URL? = nil, submissions: URL, conversions: [URL] = [],
                today: Day = .today()) {
        self.root = root
        self.kitDirectory = kitDirectory ?? root.appendingPathComponent("kit")
        self.siteDirectory = siteDirectory ?? root.appendingPathComponent("public")
        self.submissions = submissions
        self.conversions = conversions
        self.today = today
    }
}

/// What a report run found and wrote, for the terminal summary.
public struct ReportResult: Sendable {
    public var analysis: ReportAnalysis
    public var format: SubmissionExport.Format
    /// Rewards this run appended to `rewards.csv`, and all of them.
    public var newRewards: [RewardLedger.Row]
    public var totalRewards: Int
    /// Thank-you drafts written by this run.
    public var drafts: [String]
    /// Referrers with a new reward and no draft, with the reason.
    public var draftProblems: [Diagnostic]
    /// What the report went on despite: coupon banks the reward rule never uses, friends who
    /// earned no welcome offer because their address cannot take a draft.
    public var warnings: [Diagnostic] = []
    public var written: WriteSummary
    public var reportDirectory: URL
    /// Counter redemptions left out because an earlier conversions file (or row) had the same
    /// redemption id: exported twice, or on two devices.
    public var repeatedRedemptions: Int = 0
    /// `--conversions` files left out as copies of an earlier one: (this file, the earlier).
    public var sameConversionFiles: [(file: String, sameAs: String)] = []
    /// Rewards held until the marketer confirms the referrals they rest on.
    public var held: [HeldReward] = []
    /// Each coupon bank: left, handed out, still owed.
    public var couponLevels: [CouponBank.Level] = []
    /// Welcome drafts written by this run, and friends skipped (no address, unsubscribed).
    public var welcomeDrafts: [String] = []
    /// Follow-up drafts this run made, per segment, and why others were not made.
    public var followUps: [FollowUpSegment: Int] = [:]
    public var followUpProblems: [Diagnostic] = []
    /// Friend reminders due but not drafted (made up by the look of them, or over the cap per code).
    public var heldReminders: [HeldReminder] = []
}

/// `refkit report`: load the project and the ledger, read the export, analyse, append new
/// rewards, compose thank-you drafts and write `kit/report/`.
///
/// The analysis and the page live in RefkitReport, which imports neither RefkitMail nor any
/// other renderer; composing drafts is done here, where both meet.
public struct ReportRun {
    public let options: ReportOptions

    public init(options: ReportOptions) {
        self.options = options
    }

    /// Where the drafts go inside the kit.
    public static let thanksFolder = "report/thanks"

    public func run() throws -> ReportResult {
        // A kit folder that must not be replaced is refused before anything is read or locked.
        let folders = try OutputFolders(root: options.root, site: options.siteDirectory, kit: options.kitDirectory, writing: [.kit])
        // The same lock as a build: a build rewrites the kit that the report also swaps.
        let lock = try BuildLock(root: options.root)
        defer { lock.release() }

        let project = try ProjectLoader(root: options.root, outputs: [("site", options.siteDirectory), ("kit", options.kitDirectory)]).load()
        let keyring = try Keyring.existing(environment: ProcessInfo.processInfo.environment, kitDirectory: options.kitDirectory)
        let ledger = try Ledger.load(kitDirectory: options.kitDirectory, keyring: keyring)
        guard !ledger.isEmpty else {
            throw ReportError(Ledger.displayPath, "no codes have been issued yet, so no submission can be matched",
                              fix: "run `refkit build` first")
        }
        let export = try SubmissionExport.read(read(options.submissions), file: display(options.submissions))
        let (conversions, repeatedRedemptions, sameFiles) = try readConversions()
        let analysis = ReportAnalysis(programs: project.programs, ledger: ledger, submissions: export.submissions,
                                      conversions: conversions, today: options.today, codes: project.site.codes,
                                      rewardsFrom: project.site.report.rewardsFrom)

        let previous = options.kitDirectory.appendingPathComponent(RewardLedger.kitPath)
        var rewards = try RewardLedger(bytes: FileManager.default.fileExists(atPath: previous.path) ? read(previous) : Data())
        let paid = try payRewards(analysis, project: project, ledger: ledger, into: &rewards)
        let added = paid.added
        // The loader's warnings about content/coupons.csv (the others are the build's), then
        // the friends left without a welcome offer.
        let warnings = project.warnings.filter { $0.location.file == "content/coupons.csv" } + paid.unwelcomed

        guard let template = project.theme.templates[ReportPage.templateName] else {
            throw ReportError("site-templates/report/index.mustache", "the theme has no report template",
                              fix: "copy site-templates/report/ from a new project made with `refkit init`")
        }
        let page = try ReportPage(template: template)
        let progressLink = progressLinks(project: project, secret: keyring?.current)
        let followUps = try followUps(project: project, ledger: ledger, analysis: analysis, progressLink: progressLink)

        let writer = try OutputWriter(folders: folders, scope: .report)
        let written: WriteSummary
        var drafts: [String] = [], welcomes: [String] = [], problems: [Diagnostic] = []
        do {
            try writer.add(rewards.outputFile)
            try writer.add(progressFile(analysis))
            try writer.add(followUps.log.outputFile)
            for file in followUps.files { try writer.add(file) }
            // Each draft goes to the writer as it is composed: 100,000 new friends are 100,000
            // welcome drafts, which held in memory together took hundreds of megabytes.
            (drafts, problems) = try thanks(for: added.filter { $0.tier != EarnedReward.friendTier }, project: project, ledger: ledger,
                                            analysis: analysis, progressLink: progressLink, emit: writer.add)
            let welcomed = try welcome(for: added.filter { $0.tier == EarnedReward.friendTier }, project: project, ledger: ledger,
                                       analysis: analysis, emit: writer.add)
            welcomes = welcomed.paths
            problems += welcomed.problems
            // Drafts of earlier runs stay until the user deletes them (sent, say): carried over
            // byte for byte, so they keep their modification time.
            let paths = Set(drafts + welcomes)
            for folder in [Self.thanksFolder, Self.welcomeFolder] {
                try carryEarlierDrafts(in: folder, except: paths, to: writer)
            }
            var extras = ReportPage.Extras(brand: project.site.name, color: project.site.theme.color, format: export.format,
                                           rewards: rewards.rows, newRewardLines: Set(added.map(\.line)), drafts: drafts.count)
            extras.held = paid.held
            extras.couponLevels = paid.levels
            extras.welcomeDrafts = welcomes.count
            extras.warnings = warnings
            try writer.add(page.render(analysis, extras))
            written = try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        var result = ReportResult(analysis: analysis, format: export.format, newRewards: added, totalRewards: rewards.rows.count { $0.isReward },
                                  drafts: drafts, draftProblems: problems, written: written,
                                  reportDirectory: folders.kit.appendingPathComponent("report"))
        result.held = paid.held
        result.couponLevels = paid.levels
        result.welcomeDrafts = welcomes
        result.warnings = warnings
        result.repeatedRedemptions = repeatedRedemptions
        result.sameConversionFiles = sameFiles.map { (file: $0.0, sameAs: $0.1) }
        result.followUps = followUps.drafted
        result.followUpProblems = followUps.problems
        result.heldReminders = followUps.held
        return result
    }

    /// One draft per referrer with new rewards, from their programme's `thanks` message in their
    /// language. The new rewards are extra variables: `{{reward}}` (the highest new one),
    /// `{{rewards}}` (all new ones, joined with "; "), `{{referrals}}` (successful referrals
    /// so far), `{{coupon}}` (the coupon of `{{reward}}`, empty when it has none or it is owed)
    /// and `{{coupons}}` (every coupon this run hands the referrer, joined with "; "). A run
    /// that pays an owed reward drafts a thank-you for it, with its coupon.
    func thanks(for added: [RewardLedger.Row], project: Project, ledger: Ledger,
                analysis: ReportAnalysis, progressLink: (InviteCode) -> String = { _ in "" },
                emit: (OutputFile) throws -> Void) throws -> ([String], [Diagnostic]) {
        guard !added.isEmpty else { return ([], []) }
        let layout = project.theme.templates[MailRenderer.layoutName]
        var problems: [Diagnostic] = []
        guard let layout else {
            return ([], [Diagnostic(SourceLocation(file: "site-templates/mail/layout.mustache"), "the theme has no email layout, so no thank-you drafts were made",
                                    fix: "copy it from a new project made with `refkit init`")])
        }
        let renderer = try MailRenderer.forProject(project, layout: layout)
        let successes = Dictionary(grouping: analysis.successes, by: \.code).mapValues(\.count)
        let referrersByKey = Self.referrersByKey(project)

        var order: [InviteCode] = []
        var byCode: [InviteCode: [RewardLedger.Row]] = [:]
        for row in added {
            if byCode[row.code] == nil { order.append(row.code) }
            byCode[row.code, default: []].append(row)
        }
        var files: [String] = []
        for code in order {
            let rows = byCode[code]!
            guard let record = ledger.record(for: code), let program = project.program(record.program) else { continue }
            let edition = program.edition(for: record.language) ?? program.defaultEdition
            guard let message = edition.email["thanks"] else {
                problems.append(Diagnostic(SourceLocation(file: edition.file), "programme \(program.slug) has no `thanks` message in \(edition.language), so \(code.formatted(group: project.site.codes.group)) gets no thank-you draft",
                                           fix: "add `email: thanks: subject: ... body: ...` to \(edition.file)"))
                continue
            }
            var referrer = referrersByKey[record.program + "\u{0}" + record.email]
                ?? Referrer(email: record.email, name: record.name, firstName: record.firstName, language: record.language,
                            program: record.program, line: record.line)
            // A tier's reward in the referrer's language when the edition has the same tier.
            func reward(_ row: RewardLedger.Row) -> String {
                guard let n = Int(row.tier) else { return edition.incentive.referrer }
                return edition.tiers.first { $0.referrals == n }?.reward ?? row.reward
            }
            let added: [(String, String)] = [("reward", reward(rows.last!)),
                                             ("rewards", rows.map(reward).joined(separator: "; ")),
                                             ("referrals", String(successes[code] ?? 0)),
                                             ("coupon", rows.last!.coupon),
                                             ("coupons", rows.map(\.coupon).filter { !$0.isEmpty }.joined(separator: "; "))]
            referrer.extra.removeAll { field in added.contains { $0.0 == field.name } }
            referrer.extra += added.map { Referrer.Field(name: $0.0, value: $0.1) }
            let draft = Draft(referrer: referrer, code: code, formattedCode: code.formatted(group: project.site.codes.group),
                              link: project.site.url("r/\(code.rawValue)/"), incentive: edition.incentive,
                              deadline: program.ends?.longText(in: edition.language), brand: project.site.name,
                              message: message, language: edition.language,
                              // The reward is the news; the friend's offer box would repeat the invitation.
                              blocks: [.code, .button], progressLink: progressLink(code))
            do {
                var email = try renderer.compose(draft)
                // Named by the reward's line in rewards.csv: unique across runs, and sorted in
                // the order the rewards were earned.
                email.name = String(format: "%05d-", rows.last!.line) + code.rawValue
                let file = email.file(in: Self.thanksFolder)
                try emit(file)
                files.append(file.path)
            } catch let error as MailError {
                problems.append(contentsOf: error.diagnostics)
            }
        }
        return (files, problems)
    }

    /// Hands the writer the `.eml` files already in a drafts folder of `kit/report/`, but those
    /// in `except`, one at a time.
    func carryEarlierDrafts(in path: String, except: Set<String>, to writer: OutputWriter) throws {
        let folder = options.kitDirectory.appendingPathComponent(path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names.sorted() where name.hasSuffix(".eml") && !except.contains(path + "/" + name) {
            guard let data = try? Data(contentsOf: folder.appendingPathComponent(name)) else { continue }
            try writer.add(OutputFile(area: .kit, path: path + "/" + name, bytes: data, isPrivate: true))
        }
    }

    func read(_ url: URL) throws -> Data {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw BuildError(display(url), "is a folder, not a CSV file", fix: "give the path of the export file inside it")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw BuildError(display(url), "cannot read the file (\(error.localizedDescription))",
                             fix: "check the path and that the file is readable")
        }
    }

    /// A path as the user would recognise it: relative to the project when inside it.
    func display(_ url: URL) -> String {
        let path = url.standardizedFileURL.path, root = options.root.standardizedFileURL.path
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
