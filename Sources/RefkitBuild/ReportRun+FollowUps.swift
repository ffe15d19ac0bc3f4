import Foundation
import RefkitCodes
import RefkitMail
import RefkitModel
import RefkitReport

/// What the follow-up step drafted.
public struct FollowUpResult: Sendable {
    /// New drafts per segment.
    public var drafted: [FollowUpSegment: Int] = [:]
    /// Segments without their message, drafts that could not be composed, addresses refused.
    public var problems: [Diagnostic] = []
    /// The log, with this run's rows appended, and every file to write under `report/follow-ups`.
    var log: FollowUpLog
    var files: [OutputFile] = []
}

extension ReportRun {
    /// Where follow-up drafts go inside the kit: `report/follow-ups/SEGMENT/DATE-NNNNN-CODE.eml`,
    /// named by the day drafted and the log's line so they sort by date, and
    /// `report/follow-ups/SEGMENT.mbox` with every draft of the segment still in its folder.
    static let followUpsFolder = "report/follow-ups"

    /// Drafts the follow-ups due today (`ReportAnalysis.followUps`), each from its programme's
    /// `email:` message of the segment's name in the recipient's language, and appends each
    /// one drafted to the log. A segment without its message is skipped, with one warning per
    /// programme file to add it to; such follow-ups are not logged, so they are drafted once
    /// the message is there.
    func followUps(project: Project, ledger: Ledger, analysis: ReportAnalysis,
                   progressLink: (InviteCode) -> String) throws -> FollowUpResult {
        let previous = options.kitDirectory.appendingPathComponent(FollowUpLog.kitPath)
        let log = try FollowUpLog(bytes: FileManager.default.fileExists(atPath: previous.path) ? read(previous) : Data())
        var result = FollowUpResult(log: log)
        var issued: [InviteCode: Day] = [:]
        for record in ledger.records { issued[record.code] = record.issued }
        let due = analysis.followUps(issued: issued, cadence: project.site.mail.followUps, log: log, unsubscribed: project.unsubscribed)

        var earlier: [FollowUpSegment: [OutputFile]] = [:]
        for segment in FollowUpSegment.allCases { earlier[segment] = earlierFollowUps(segment) }
        var new: [FollowUpSegment: [OutputFile]] = [:]
        if !due.isEmpty {
            guard let layout = project.theme.templates[MailRenderer.layoutName] else {
                result.problems.append(Diagnostic(SourceLocation(file: "site-templates/mail/layout.mustache"), "the theme has no email layout, so no follow-ups were drafted",
                                                  fix: "copy it from a new project made with `refkit init`"))
                return result
            }
            let renderer = try MailRenderer(settings: project.site.mail, layout: layout, accentColor: project.site.theme.color,
                                            unsafeHTML: project.site.unsafeHTML)
            var referrersByKey: [String: Referrer] = [:]
            for r in project.referrers { referrersByKey[r.program + "\u{0}" + r.normalizedEmail] = r }
            var missing: Set<String> = []
            let group = project.site.codes.group
            for followUp in due {
                guard let record = ledger.record(for: followUp.code), let program = project.program(record.program) else { continue }
                let isFriend = followUp.segment == .friendReminder
                // A friend reads the language of the page they sent the form from.
                let language = isFriend ? (LanguageTag(followUp.friendLanguage).flatMap { program.edition(for: $0) != nil ? $0 : nil } ?? record.language)
                    : record.language
                let edition = program.edition(for: language) ?? program.defaultEdition
                guard let message = edition.email[followUp.segment.rawValue] else {
                    if missing.insert(edition.file + "\u{0}" + followUp.segment.rawValue).inserted {
                        result.problems.append(Diagnostic(SourceLocation(file: edition.file),
                                                          "programme \(program.slug) has no `\(followUp.segment.rawValue)` message in \(edition.language), so those follow-ups were skipped",
                                                          fix: "add `email: \(followUp.segment.rawValue): subject: ... body: ...` to \(edition.file)"))
                    }
                    continue
                }
                let address = followUp.recipient.trimmingWhitespace()
                guard MailAddress.isValid(address) else {
                    result.problems.append(Diagnostic(SourceLocation(file: display(options.submissions), line: followUp.line),
                                                      "\"\(MailAddress.shown(address))\" is not an address a draft can go to, so it gets no \(followUp.segment.rawValue)",
                                                      fix: "correct the address in your records if the friend should be reminded"))
                    continue
                }
                var addressee: Referrer
                var link = project.site.url("r/\(record.code.rawValue)/")
                var personal = ""
                if isFriend {
                    let name = followUp.friendName.trimmingWhitespace()
                    addressee = Referrer(email: address, name: name, firstName: Referrer.firstName(fromName: name, language: language),
                                         language: language, program: program.slug, line: followUp.line ?? 0)
                    if addressee.firstName.isEmpty { addressee.firstName = name }
                    // The friend sees who invited them (a first name, as on the personal page), never the referrer's progress.
                    addressee.extra = [Referrer.Field(name: "referrer_first_name", value: record.firstName)]
                    link += "?utm_source=email&utm_medium=reminder"
                } else {
                    addressee = referrersByKey[record.program + "\u{0}" + record.email]
                        ?? Referrer(email: record.email, name: record.name, firstName: record.firstName, language: record.language,
                                    program: record.program, line: record.line)
                    if addressee.firstName.isEmpty { addressee.firstName = addressee.name }
                    addressee.extra.removeAll { $0.name == "referrals" }
                    addressee.extra.append(Referrer.Field(name: "referrals", value: String(analysis.progress[record.code].friends)))
                    link += "?utm_source=email&utm_medium=email"
                    personal = progressLink(record.code)
                }
                let draft = Draft(referrer: addressee, code: record.code, formattedCode: record.code.formatted(group: group), link: link,
                                  incentive: edition.incentive, deadline: program.ends?.longText(in: edition.language), brand: project.site.name,
                                  message: message, language: edition.language, progressLink: personal)
                do {
                    var email = try renderer.compose(draft)
                    let line = result.log.append(date: options.today, segment: followUp.segment, code: record.code,
                                                 recipient: Referrer.normalize(email: address), group: group)
                    email.name = options.today.description + String(format: "-%05d-", line) + record.code.rawValue
                    new[followUp.segment, default: []].append(email.file(in: Self.followUpsFolder + "/" + followUp.segment.rawValue))
                    result.drafted[followUp.segment, default: 0] += 1
                } catch {
                    result.problems.append(contentsOf: error.diagnostics)
                }
            }
        }
        // Every draft still in a segment's folder, earlier ones carried byte for byte, and the mbox of them all.
        for segment in FollowUpSegment.allCases {
            let drafts = (earlier[segment] ?? []) + (new[segment] ?? [])
            guard !drafts.isEmpty else { continue }
            result.files += drafts
            result.files.append(OutputFile(area: .kit, path: Self.followUpsFolder + "/" + segment.rawValue + ".mbox",
                                           bytes: MboxFile.make(drafts.map(\.bytes), sender: project.site.mail.from?.address), isPrivate: true))
        }
        return result
    }

    /// The `.eml` files already in a segment's folder, in name order (by date).
    func earlierFollowUps(_ segment: FollowUpSegment) -> [OutputFile] {
        let folder = Self.followUpsFolder + "/" + segment.rawValue
        let url = options.kitDirectory.appendingPathComponent(folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return [] }
        return names.filter { $0.hasSuffix(".eml") }.sorted().compactMap { name in
            guard let data = try? Data(contentsOf: url.appendingPathComponent(name)) else { return nil }
            return OutputFile(area: .kit, path: folder + "/" + name, bytes: data, isPrivate: true)
        }
    }
}
