import Foundation
import RefkitCodes
import RefkitCounter
import RefkitDeploy
import RefkitLoad
import RefkitMail
import RefkitModel
import RefkitPrint
import RefkitSite
import RefkitWrite

/// One build: load → issue codes → render → write, as named steps.
///
/// Renderers stream files into the writer's staging folders as they make them, so memory
/// stays flat; nothing reaches `public/` or `kit/` until every step has succeeded.
public struct Build {
    public let options: BuildOptions
    /// Called from the building thread as steps start and finish.
    public var progress: @Sendable (BuildEvent) -> Void

    public init(options: BuildOptions, progress: @escaping @Sendable (BuildEvent) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
    }

    /// Loads and renders everything without writing, for `refkit check`.
    public func check() throws -> Project {
        let project = try load()
        let keyring = try Keyring.resolve(environment: options.environment, kitDirectory: options.ledgerKit)
        let ledger = try Ledger.load(kitDirectory: options.ledgerKit, keyring: keyring)
        let issue = CodeIssuer.issue(referrers: project.referrers, ledger: ledger, secret: keyring.current,
                                     settings: project.site.codes, today: options.today)
        let invitations = invitations(issue, secret: keyring.current)
        _ = try SiteRenderer(project: project, invitations: invitations, today: options.today).render(to: DiscardSink())
        _ = try CounterRenderer(project: project, invitations: invitations, inactive: issue.inactiveCodes).render()
        // The checks the print and mail steps of `run` make before they draw or compose, so
        // that `check` passes only where `build` would (it said "builds" and checked the site only).
        try PostcardPrinter(project: project, invitations: invitations, today: options.today).check()
        let drafts = Drafts(project: project, today: options.today).drafts(invitations, scenario: project.site.mail.scenario)
        if !drafts.isEmpty {
            let mail = try mailRenderer(project)
            let problems = mail.check(drafts)
            if !problems.isEmpty { throw MailError(problems) }
        }
        return project
    }

    public func run() throws -> BuildReport {
        var report = BuildReport()
        let steps = BuildStep.allCases
        func step<T>(_ s: BuildStep, _ work: () throws -> T) rethrows -> T {
            progress(.started(s, index: steps.firstIndex(of: s)! + 1, of: steps.count))
            let start = Date()
            let result = try work()
            let seconds = Date().timeIntervalSince(start)
            report.timings.append((s, seconds))
            progress(.finished(s, seconds: seconds))
            return result
        }

        // Output folders that must not be replaced are refused before anything is touched,
        // the lock file included.
        let folders = try OutputFolders(root: options.root, site: options.siteDirectory, kit: options.kitDirectory)
        let lock = try BuildLock(root: options.root)
        defer { lock.release() }

        let project = try step(.load) { try load() }
        report.warnings = project.warnings
        report.siteSettings = project.site
        report.programs = project.programs.count
        report.languages = Set(project.programs.flatMap(\.languages)).count
        report.referrers = project.referrers.count

        // The secrets first: every row of the ledger is checked against them (and the seal)
        // as it loads, so an edited ledger stops the build before anything is rendered.
        let (issue, keyring) = try step(.issueCodes) { () throws -> (IssuedCodes, Keyring) in
            let keyring = try Keyring.resolve(environment: options.environment, kitDirectory: options.ledgerKit)
            let ledger = try Ledger.load(kitDirectory: options.ledgerKit, keyring: keyring)
            return (CodeIssuer.issue(referrers: project.referrers, ledger: ledger, secret: keyring.current,
                                     settings: project.site.codes, today: options.today), keyring)
        }
        report.codes = issue.counts
        report.hasReport = project.progress != nil
        let invitations = invitations(issue, secret: keyring.current)
        report.unsubscribed = invitations.count { project.unsubscribed.contains($0.referrer.email) }
        let inputs = BuildInputs(options: options, project: project)
        // The seal and the retired secrets are in the key too: a build with one of them missing
        // is not up to date, and writes them again. So are the last report's counts, which
        // progress pages and leaderboards show.
        let kitSecrets = keyring.files.map(\.bytes).reduce(issue.sealFile.bytes, +)
        let buildKey = inputs.wholeBuild(ledger: issue.ledger.bytes, secret: kitSecrets, progress: project.progressBytes)
        // Finding what changed: the whole build's key against the manifest, then (when the
        // build has work) reading the manifest whole and staging, which the writer does.
        let (upToDate, staged) = try step(.findChanges) { () throws -> ((upToDate: Bool, files: [OutputArea: Int]), OutputWriter?) in
            let upToDate = OutputWriter.isUpToDate(folders, buildKey: buildKey)
            return (upToDate, upToDate.upToDate ? nil : try OutputWriter(folders: folders))
        }
        if upToDate.upToDate {
            report.upToDate = true
            report.written = WriteSummary(site: .init(unchanged: upToDate.files[.site] ?? 0), kit: .init(unchanged: upToDate.files[.kit] ?? 0))
            report.siteDirectory = folders.site
            report.kitDirectory = folders.kit
            return report
        }

        guard let writer = staged else { preconditionFailure("a build with work has a writer") }
        do {
            for file in keyring.files { try writer.add(file) }
            try writer.add(OutputFile(area: .kit, path: Ledger.kitPath, bytes: issue.ledger.bytes, isPrivate: true))
            try writer.add(issue.sealFile)
            let variants = VariantAssignments(project: project, invitations: invitations)
            report.variants = variants.shares
            if !variants.shares.isEmpty { try writer.add(variants.csv(group: project.site.codes.group)) }
            report.site = try step(.renderSite) {
                var site = try SiteRenderer(project: project, invitations: invitations, today: options.today)
                site.inputsKey = inputs.site
                let summary = try site.render(to: writer)
                // With the site's assets, for the drafts that link it (rendered later).
                if let logo = try EmailLogo(project)?.file() { try writer.add(logo) }
                return summary
            }
            report.counter = try step(.renderCounter) {
                let file = try CounterRenderer(project: project, invitations: invitations, inactive: issue.inactiveCodes).render()
                try writer.add(file)
                return CounterSummary(active: invitations.count, inactive: issue.inactiveCodes.count, bytes: file.bytes.count,
                                      path: file.path)
            }
            // Host files for `--target`: a few small files, named by the hashed theme assets.
            for file in HostFiles(site: project.site, target: options.target, immutablePaths: AssetPaths(project: project).immutablePaths).files() {
                try writer.add(file)
            }
            let cards = try step(.renderPrint) { try postcardPrinter(project, invitations, inputs).render(to: writer) }
            (report.print, report.reusedPostcards) = (cards.print, cards.carriedOver)
            (report.printWorkers, report.printWorkerPeakBytes) = (cards.workers, cards.workerPeakBytes)
            (report.mail, report.reusedDrafts) = try step(.renderMail) { try renderMail(project, invitations, inputs, to: writer) }
            report.written = try step(.write) { try writer.commit(buildKey: buildKey) }
        } catch {
            writer.abandon()
            throw error
        }
        report.siteDirectory = folders.site
        report.kitDirectory = folders.kit
        return report
    }

    /// The print step: postcards keyed by the print inputs (which leave out the page-only
    /// theme files), drawn on one print worker per core (or `REFKIT_PRINT_WORKERS`) when
    /// `options.printWorker` names refkit, in this process otherwise.
    func postcardPrinter(_ project: Project, _ invitations: [Invitation], _ inputs: BuildInputs) -> PostcardPrinter {
        var printer = PostcardPrinter(project: project, invitations: invitations, today: options.today)
        printer.inputsKey = inputs.print
        printer.workerExecutable = options.printWorker
        printer.workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
        if let value = options.environment["REFKIT_PRINT_WORKERS"].flatMap({ Int($0) }), value >= 1 { printer.workerCount = value }
        return printer
    }

    /// Email drafts of the scenario `mail.scenario` names, when the programmes have messages.
    /// A draft whose referrer row, code and mail inputs (`BuildInputs.mail`: no page or postcard
    /// template) did not change is carried over from the last build, in chunks, with its parts
    /// of the mbox and the merge CSV (copied from the old files by the kernel; an mbox whose
    /// every part is carried keeps its old file). Returns the summary and how many drafts
    /// were carried over.
    func renderMail(_ project: Project, _ invitations: [Invitation], _ inputs: BuildInputs,
                    to sink: any OutputSink) throws -> (MailSummary?, Int) {
        let drafts = Drafts(project: project, today: options.today).drafts(invitations, scenario: project.site.mail.scenario)
        guard !drafts.isEmpty else { return (nil, 0) }
        let renderer = try mailRenderer(project)
        let shared = inputs.mail
        let summary = try renderer.render(drafts, inputs: { Self.draftInputs($0, shared: shared) }, to: sink)
        return (summary, summary.carriedOver)
    }

    /// The mail renderer, which checks the layout and the From and Reply-To addresses.
    func mailRenderer(_ project: Project) throws -> MailRenderer {
        guard let layout = project.theme.templates[MailRenderer.layoutName] else {
            throw BuildError("site-templates/mail/layout.mustache", "the theme has no email layout",
                             fix: "copy it from a new project made with `refkit init`")
        }
        return try MailRenderer.forProject(project, layout: layout)
    }

    /// What one draft is made from besides the shared inputs: its code and the whole referrer
    /// row (merge fields may use any column). The programme and language pick the message.
    ///
    /// Every build fingerprints every draft to find the chunks it can carry over, so the
    /// values go into one buffer, each with its length in front, and the hash is updated once:
    /// a hash update per value cost more than the hashing.
    static func draftInputs(_ draft: Draft, shared: String) -> String {
        let r = draft.referrer
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        func put(_ text: String) {
            withUnsafeBytes(of: Int64(text.utf8.count).littleEndian) { bytes += $0 }
            bytes += text.utf8
        }
        for value in [draft.code.rawValue, draft.progressLink, r.email, r.name, r.firstName, r.language.rawValue, r.program] { put(value) }
        withUnsafeBytes(of: Int64(r.extra.count).littleEndian) { bytes += $0 }
        for field in r.extra {
            put(field.name)
            put(field.value)
        }
        var f = Fingerprint("mail draft", shared)
        f.add(bytes: bytes)
        return f.hex
    }

    func load() throws -> Project {
        var project = try ProjectLoader(root: options.root, outputs: [("site", options.siteDirectory), ("kit", options.kitDirectory)]).load()
        if let baseURL = options.baseURL { project.site.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/" }
        // The last report's counts, from the kit the ledger comes from (the real one, for a preview).
        if let (summary, bytes) = try ProgressLoader.load(kitDirectory: options.ledgerKit, warnings: &project.warnings) {
            project.progress = summary
            project.progressBytes = bytes
        }
        return project
    }

    /// Each active referrer with their code and progress-page token.
    func invitations(_ issue: IssuedCodes, secret: Secret) -> [Invitation] {
        issue.assignments.map {
            Invitation(referrer: $0.referrer, code: $0.code, progressToken: ProgressToken.token(for: $0.code, secret: secret))
        }
    }
}

extension IssuedCodes {
    /// The ledger's inactive codes, which the counter page shows as inactive.
    var inactiveCodes: [InviteCode] {
        ledger.codes.filter { ledger.latest($0)?.status == .inactive }
    }
}

/// A sink that throws everything away: `refkit check` renders to find errors, not files.
struct DiscardSink: OutputSink {
    func add(_ file: OutputFile) throws {}
    func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile { Discard() }
    final class Discard: OutputStreamFile {
        func append(_ bytes: Data) throws {}
        func close() throws {}
    }
}
