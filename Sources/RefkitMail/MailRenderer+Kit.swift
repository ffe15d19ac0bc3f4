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
    static let batchSize = 256

    /// A composed draft and its bytes, made on a worker thread.
    struct Composed: Sendable {
        var draft: EmailDraft
        var bytes: Data
        var name: String { draft.name }
    }

    /// Composes a batch on all cores; results keep the batch's order.
    func composeAll(_ batch: [(Draft, MessageTemplate)]) -> [Result<Composed, MailError>] {
        let results = ResultSlots(count: batch.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < batch.count {
                let result: Result<Composed, MailError>
                do throws(MailError) {
                    let email = try compose(batch[index].0, with: batch[index].1)
                    result = .success(Composed(draft: email, bytes: email.eml()))
                } catch {
                    result = .failure(error)
                }
                results.set(index, result)
                index += workers
            }
        }
        return results.values
    }
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

        // Drafts are composed in batches on every core and written in input order, so that
        // the files and the mbox come out the same on every run. A batch is small (a few
        // hundred drafts of a few kilobytes), which keeps memory flat.
        var iterator = drafts.makeIterator()
        var batch: [(Draft, MessageTemplate)] = []
        batch.reserveCapacity(Self.batchSize)
        var exhausted = false
        while !exhausted {
            batch.removeAll(keepingCapacity: true)
            while batch.count < Self.batchSize {
                guard let draft = iterator.next() else { exhausted = true; break }
                if broken.contains(draft.message) { skipped += 1; continue }
                if let known = templates[draft.message] {
                    batch.append((draft, known))
                    continue
                }
                do {
                    let template = try MessageTemplate(draft.message)
                    let problems = template.unknownVariables(extraColumns: draft.referrer.extra.map(\.name))
                    if problems.isEmpty {
                        templates[draft.message] = template
                        batch.append((draft, template))
                        continue
                    }
                    diagnostics += problems
                } catch {
                    diagnostics += error.diagnostics
                }
                broken.insert(draft.message)
                skipped += 1
            }

            for (index, result) in composeAll(batch).enumerated() {
                let email: Composed
                switch result {
                case .success(let composed): email = composed
                case .failure(let error):
                    diagnostics += error.diagnostics
                    skipped += 1
                    continue
                }
                let draft = batch[index].0
                try sink.add(OutputFile(area: .kit, path: Self.folder + "/drafts/" + email.name + ".eml", bytes: email.bytes, isPrivate: true))
                try mbox.append(mboxWriter.record(email.bytes))
                if csv == nil {
                    csv = MergeCSV(extraColumns: draft.referrer.extra.map(\.name))
                    try merge.append(csv!.header())
                }
                try merge.append(csv!.row(draft, subject: email.draft.subject))
                written += 1
            }
        }
        if csv == nil { try merge.append(MergeCSV(extraColumns: []).header()) }
        try mbox.close()
        try merge.close()

        if !diagnostics.isEmpty { throw MailError(diagnostics) }
        return MailSummary(drafts: written, skipped: skipped, diagnostics: diagnostics)
    }
}

/// One slot per draft of a batch, filled from several threads, each slot by exactly one.
private final class ResultSlots: @unchecked Sendable {
    // Guarded by `lock`.
    private var slots: [Result<MailRenderer.Composed, MailError>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<MailRenderer.Composed, MailError>) {
        lock.withLock { slots[index] = value }
    }
    var values: [Result<MailRenderer.Composed, MailError>] { lock.withLock { slots.map { $0! } } }
}
