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
    /// Friend reminders due but not drafted: flagged by the fraud rules, or over the cap per code.
    public var held: [HeldReminder] = []
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
        let earlier = Dictionary(uniqueKeysWithValues: FollowUpSegment.allCases.map { ($0, earlierFollowUps($0)) })
        let bytes = try FileManager.default.fileExists(atPath: previous.path) ? read(previous) : Data()
        let kept = earlier.values.reduce(0) { $0 + $1.count }
        // The log is all that stops a second reminder. Without it, but with drafts kept from
        // earlier runs, it was deleted or lost in a restore: drafting anew would send everyone
        // their follow-ups again.
        if options.rebuildFollowUpLog, !bytes.isEmpty {
            throw ReportError(FollowUpLog.displayPath, "--rebuild-follow-up-log rebuilds a missing log, and this one is there",
                              fix: "run the report without --rebuild-follow-up-log; to rebuild anyway, move the file aside first")
        }
        let log: FollowUpLog
        if bytes.isEmpty, kept > 0, options.rebuildFollowUpLog {
            log = try FollowUpLog.rebuilt(from: keptDrafts(earlier), group: project.site.codes.group)
        } else if bytes.isEmpty, kept > 0 {
            throw ReportError(FollowUpLog.displayPath, "the log of follow-ups already drafted is missing or empty, but kit/report/follow-ups/ holds \(kept) draft(s) from earlier runs; drafting without it would draft them all again",
                              fix: "restore kit/report/follow-ups.csv from a backup, or rebuild it from the drafts kept in kit/report/follow-ups/ with `refkit report --rebuild-follow-up-log` (a follow-up whose draft you deleted may then be drafted again)")
        } else {
            log = try FollowUpLog(bytes: bytes)
        }
        var result = FollowUpResult(log: log)
        var issued: [InviteCode: Day] = [:]
        for record in ledger.records { issued[record.code] = record.issued }
        let rules = try holdRules(project)
        let (due, held) = analysis.followUps(issued: issued, cadence: project.site.mail.followUps, log: log, unsubscribed: project.unsubscribed,
                                             rules: rules)
        result.held = held
        result.problems += heldWarnings(held, group: project.site.codes.group)

        var new: [FollowUpSegment: [OutputFile]] = [:]
        if !due.isEmpty {
            guard let layout = project.theme.templates[MailRenderer.layoutName] else {
                result.problems.append(Diagnostic(SourceLocation(file: "site-templates/mail/layout.mustache"), "the theme has no email layout, so no follow-ups were drafted",
                                                  fix: "copy it from a new project made with `refkit init`"))
                return result
            }
            let renderer = try MailRenderer(settings: project.site.mail, layout: layout, accentColor: project.site.theme.color,
                                            unsafeHTML: project.site.unsafeHTML)
            let referrersByKey = Self.referrersByKey(project)
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
                    let name = FriendName(form: followUp.friendName, language: language)
                    addressee = Referrer(email: address, name: name.full, firstName: name.first,
                                         language: language, program: program.slug, line: followUp.line ?? 0)
                    // The friend sees who invited them (the first name the personal page shows), never the referrer's progress.
                    addressee.extra = [Referrer.Field(name: "referrer_first_name", value: Self.firstName(of: record, in: referrersByKey))]
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
                var email: EmailDraft
                do {
                    email = try renderer.compose(draft)
                } catch {
                    result.problems.append(contentsOf: error.diagnostics)
                    continue
                }
                do {
                    let line = result.log.append(date: options.today, segment: followUp.segment, code: record.code,
                                                 recipient: Referrer.normalize(email: address), group: group)
                    email.name = options.today.description + String(format: "-%05d-", line) + record.code.rawValue
                    // Named by the log's line, so a name already kept means the log lost rows
                    // that were drafted (restored from an older backup, cut short, edited).
                    let path = Self.followUpsFolder + "/" + followUp.segment.rawValue + "/" + email.name + ".eml"
                    if earlier[followUp.segment]?.contains(where: { $0.path == path }) == true {
                        throw ReportError(FollowUpLog.displayPath, line: line,
                                          "the next follow-up would be kit/\(path), which an earlier run already drafted: the log has fewer rows than the drafts it named",
                                          fix: "restore kit/report/follow-ups.csv from the latest backup; if there is none, move it aside and run `refkit report --rebuild-follow-up-log` to rebuild it from the drafts kept")
                    }
                    new[followUp.segment, default: []].append(email.file(in: Self.followUpsFolder + "/" + followUp.segment.rawValue))
                    result.drafted[followUp.segment, default: 0] += 1
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

    /// What each kept draft says of itself: the log line, day and code in its name
    /// (`DATE-NNNNN-CODE.eml`), the segment in its folder, the recipient in its `To:` header.
    /// A draft that does not say all of it stops the rebuild, naming the file.
    func keptDrafts(_ earlier: [FollowUpSegment: [OutputFile]]) throws -> [FollowUpLog.KeptDraft] {
        var out: [FollowUpLog.KeptDraft] = []
        var problems: [Diagnostic] = []
        for (segment, files) in earlier {
            for file in files {
                let name = String(file.path.split(separator: "/").last ?? "").replacingOccurrences(of: ".eml", with: "")
                let parts = name.split(separator: "-")
                let recipient = Self.recipient(ofDraft: file.bytes)
                guard parts.count == 5, let date = Day(parts[0...2].joined(separator: "-")), let line = Int(parts[3]), line >= 2,
                      let code = InviteCode.parse(String(parts[4])), let recipient else {
                    problems.append(Diagnostic(SourceLocation(file: "kit/" + file.path),
                                               "this draft does not say when, to whom or for which code it was drafted (DATE-NNNNN-CODE.eml with a To: header)",
                                               fix: "move it out of kit/report/follow-ups/ and run again"))
                    continue
                }
                out.append(FollowUpLog.KeptDraft(line: line, date: date, segment: segment, code: code, recipient: Referrer.normalize(email: recipient)))
            }
        }
        guard problems.isEmpty else { throw ReportError(problems) }
        return out
    }

    /// The address in a draft's `To:` header: inside the angle brackets when there is a name.
    static func recipient(ofDraft bytes: Data) -> String? {
        let text = String(decoding: bytes.prefix(16 << 10), as: UTF8.self)
        // Headers end at the first empty line; a long one is folded onto lines that start with white space.
        var headers: [String] = []
        for line in text.components(separatedBy: "\r\n") {
            if line.isEmpty { break }
            if let first = line.first, first == " " || first == "\t", !headers.isEmpty { headers[headers.count - 1] += line } else { headers.append(String(line)) }
        }
        for line in headers {
            guard line.lowercased().hasPrefix("to:") else { continue }
            let value = line.dropFirst(3)
            if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
                return String(value[value.index(after: open)..<close])
            }
            let bare = String(value).trimmingWhitespace()
            return bare.contains("@") ? bare : nil
        }
        return nil
    }

    /// The referrers of `referrers.csv` by programme and address, as a ledger record finds them.
    static func referrersByKey(_ project: Project) -> [String: Referrer] {
        var out: [String: Referrer] = [:]
        for r in project.referrers { out[r.program + "\u{0}" + r.normalizedEmail] = r }
        return out
    }

    /// The referrer's first name as the personal page shows it: `referrers.csv`'s (the
    /// `first_name` cell when there is one); the ledger's, derived from the full name when the
    /// code was issued, only for a referrer no longer in the file.
    static func firstName(of record: CodeRecord, in referrers: [String: Referrer]) -> String {
        let first = referrers[record.program + "\u{0}" + record.email]?.firstName ?? ""
        return first.isEmpty ? record.firstName : first
    }

    /// One warning per friend reminder held as made up (the first ten, then a count), at its
    /// line of the export: the summary gives the totals.
    func heldWarnings(_ held: [HeldReminder], group: Int) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let suspicious = held.compactMap { h -> (FollowUp, [Suspicion])? in
            if case let .suspicious(why) = h.reason { return (h.followUp, why) }
            return nil
        }
        for (followUp, why) in suspicious.prefix(10) {
            out.append(Diagnostic(SourceLocation(file: display(options.submissions), line: followUp.line),
                                  "no friend reminder to \(MailAddress.shown(Referrer.normalize(email: followUp.recipient))) (code \(followUp.code.formatted(group: group))): "
                                  + Set(why.map(\.explanation)).sorted().joined(separator: "; "),
                                  fix: "if this friend is real, list them in content/confirmed.csv (code,friend) and run the report again"))
        }
        if suspicious.count > 10 {
            out.append(Diagnostic(SourceLocation(file: display(options.submissions)),
                                  "\(suspicious.count - 10) more friend reminder(s) held for the same reasons",
                                  fix: "check the export for forms someone made up"))
        }
        return out
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
