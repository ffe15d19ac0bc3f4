import Foundation
import RefkitCodes
import RefkitMail
import RefkitModel
import RefkitReport

extension ReportRun {
    /// Where welcome drafts go inside the kit.
    public static let welcomeFolder = "report/welcome"
    /// The message a programme drafts to each newly converted friend.
    static let welcomeMessage = "welcome"

    /// One draft per new welcome offer (a `friend` row of rewards.csv, or the payment of an
    /// owed one), to the friend's address, from the programme's `welcome` message in the
    /// referrer's language. Extra variables: `{{coupon}}` (the friend's coupon, empty when
    /// owed or there is no bank), `{{referrer_first_name}}`. `{{first_name}}` and `{{name}}`
    /// are the friend's, as typed in the form; `{{code}}` and `{{link}}` the referrer's.
    ///
    /// Named `DATE-LINE.eml` (the reward's date, then its line in rewards.csv), so a folder
    /// listing sorts them by date and no two runs write the same name.
    func welcome(for rows: [RewardLedger.Row], project: Project, ledger: Ledger,
                 analysis: ReportAnalysis, emit: (OutputFile) throws -> Void) throws -> (paths: [String], problems: [Diagnostic]) {
        guard !rows.isEmpty, let layout = project.theme.templates[MailRenderer.layoutName] else { return ([], []) }
        let renderer = try MailRenderer(settings: project.site.mail, layout: layout, accentColor: project.site.theme.color,
                                        unsafeHTML: project.site.unsafeHTML)
        var names: [String: String] = [:]
        for r in analysis.successes where !r.friendName.isEmpty { names[r.code.rawValue + "\u{0}" + r.friendLabel] = r.friendName }
        let referrers = Self.referrersByKey(project)
        var files: [String] = [], problems: [Diagnostic] = []
        var missing = Set<String>()
        for row in rows {
            guard let record = ledger.record(for: row.code), let program = project.program(record.program) else { continue }
            let edition = program.edition(for: record.language) ?? program.defaultEdition
            guard let message = edition.email[Self.welcomeMessage] else {
                if missing.insert(edition.file).inserted {
                    problems.append(Diagnostic(SourceLocation(file: edition.file), "programme \(program.slug) has no `welcome` message in \(edition.language), so its friends get no welcome draft",
                                               fix: "add `email: welcome: subject: ... body: ...` to \(edition.file)"))
                }
                continue
            }
            let address = row.friend.trimmingWhitespace()
            guard MailAddress.isValid(address), !project.unsubscribed.contains(address) else { continue }
            let name = FriendName(form: names[row.code.rawValue + "\u{0}" + row.friend] ?? "", language: edition.language)
            let friend = Referrer(email: address, name: name.full, firstName: name.first,
                                  language: edition.language, program: program.slug,
                                  extra: [Referrer.Field(name: "coupon", value: row.coupon),
                                          Referrer.Field(name: "referrer_first_name", value: Self.firstName(of: record, in: referrers))],
                                  line: row.line)
            let draft = Draft(referrer: friend, code: row.code, formattedCode: row.code.formatted(group: project.site.codes.group),
                              link: project.site.url("r/\(row.code.rawValue)/"), incentive: edition.incentive,
                              deadline: program.ends?.longText(in: edition.language), brand: project.site.name,
                              message: message, language: edition.language)
            do {
                var email = try renderer.compose(draft)
                email.name = row.date.description + String(format: "-%05d", row.line)
                let file = email.file(in: Self.welcomeFolder)
                try emit(file)
                files.append(file.path)
            } catch let error as MailError {
                problems.append(contentsOf: error.diagnostics)
            }
        }
        return (files, problems)
    }
}
