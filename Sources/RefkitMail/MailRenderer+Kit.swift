import Foundation
import RefkitModel

/// What `render(_:to:)` wrote.
public struct MailSummary: Hashable, Sendable {
    /// `.eml` files, which is also the number of messages in the mbox and rows in the CSV.
    public var drafts: Int
    /// Drafts not written because of a diagnostic.
    public var skipped: Int
    public var diagnostics: [Diagnostic]
}

extension MailRenderer {
    /// Writes the kit's mail: `mail/drafts/CODE.eml` per draft, `mail/drafts.mbox` and
    /// `mail/merge.csv`, the last two streamed through `sink.open` so that memory stays flat
    /// however many drafts there are.
    ///
    /// A message with a Mustache error or an unknown variable is checked once, the first time a
    /// draft uses it; its drafts are skipped and its diagnostics reported once. A referrer whose
    /// address cannot go in a header is skipped with a diagnostic too.
    ///
    /// - Throws: `MailError` with every diagnostic after all drafts are done, so that a build
    ///   reports them all at once; the sink's errors as they happen.
    @discardableResult
    public func render<S: Sequence>(_ drafts: S, to sink: any OutputSink) throws -> MailSummary where S.Element == Draft {
        let mbox = try sink.open(area: .kit, path: Self.folder + "/drafts.mbox", isPrivate: true)
        let merge = try sink.open(area: .kit, path: Self.folder + "/merge.csv", isPrivate: true)
        var csv: MergeCSV?
        let mboxWriter = Mbox(sender: settings.from?.address)

        var templates: [EmailMessage: MessageTemplate] = [:]
        var broken: Set<EmailMessage> = []
        var diagnostics: [Diagnostic] = []
        var written = 0
        var skipped = 0

        for draft in drafts {
            if broken.contains(draft.message) { skipped += 1; continue }
            let template: MessageTemplate
            if let known = templates[draft.message] {
                template = known
            } else {
                do {
                    template = try MessageTemplate(draft.message)
                } catch {
                    diagnostics += error.diagnostics
                    broken.insert(draft.message)
                    skipped += 1
                    continue
                }
                let problems = template.unknownVariables(extraColumns: draft.referrer.extra.map(\.name))
                if !problems.isEmpty {
                    diagnostics += problems
                    broken.insert(draft.message)
                    skipped += 1
                    continue
                }
                templates[draft.message] = template
            }

            let email: EmailDraft
            do {
                email = try compose(draft, with: template)
            } catch {
                diagnostics += error.diagnostics
                skipped += 1
                continue
            }
            let eml = email.eml()
            try sink.add(OutputFile(area: .kit, path: Self.folder + "/drafts/" + email.name + ".eml", bytes: eml, isPrivate: true))
            try mbox.append(mboxWriter.record(eml))
            if csv == nil {
                csv = MergeCSV(extraColumns: draft.referrer.extra.map(\.name))
                try merge.append(csv!.header())
            }
            try merge.append(csv!.row(draft, subject: email.subject))
            written += 1
        }
        if csv == nil { try merge.append(MergeCSV(extraColumns: []).header()) }
        try mbox.close()
        try merge.close()

        if !diagnostics.isEmpty { throw MailError(diagnostics) }
        return MailSummary(drafts: written, skipped: skipped, diagnostics: diagnostics)
    }
}
