import Foundation
import RefkitModel

/// What `render(_:to:)` wrote.
public struct MailSummary: Hashable, Sendable {
    /// `.eml` files, which is also the number of messages in the mbox and rows in the CSV.
    public var drafts: Int
    /// Drafts not written because of a diagnostic.
    public var skipped: Int
    public var diagnostics: [Diagnostic]
    /// Of `drafts`, how many were carried over from the last build instead of composed.
    public var carriedOver = 0
}

extension MailRenderer {
    static let batchSize = 256

    /// A composed draft and everything made from it on a worker thread: its `.eml` (already
    /// handed to the sink), its mbox record and its merge.csv row.
    struct Composed: Sendable {
        var subject: String
        var mbox: Data
        var row: Data
        /// The extra columns `row` was made with.
        var columns: [String]
        /// Whether the `.eml` was carried over from the last build rather than composed.
        var carried: Bool
    }

    /// What a worker made of one draft.
    enum Outcome: @unchecked Sendable {
        case composed(Composed)
        /// The draft was skipped: its diagnostics.
        case skipped(MailError)
        /// The sink refused the file: the build stops.
        case failed(any Error)
    }

    /// Composes a batch on all cores and hands each `.eml` to the sink from the thread that
    /// made it, so that hashing and writing the files run on both cores too; outcomes keep the
    /// batch's order for the mbox and the CSV, which are written in order afterwards.
    func composeAll(_ batch: [(Draft, MessageTemplate)], columns: [String], mbox: Mbox, sink: any OutputSink,
                    inputs: @Sendable (Draft) -> String?) -> [Outcome] {
        let results = ResultSlots(count: batch.count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count))
        let csv = MergeCSV(extraColumns: columns)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < batch.count {
                let (draft, template) = batch[index]
                let path = Self.folder + "/drafts/" + draft.code.rawValue + ".eml"
                let key = inputs(draft)
                let outcome: Outcome
                do {
                    // Carried over: the mbox takes the old bytes and the CSV the subject alone.
                    if let key, try sink.reuse(inputs: key) == [path], let bytes = sink.carriedBytes(area: .kit, path: path) {
                        let subject = self.subject(draft, template)
                        outcome = .composed(Composed(subject: subject, mbox: mbox.record(bytes), row: csv.row(draft, subject: subject),
                                                     columns: columns, carried: true))
                    } else {
                        let email = try compose(draft, with: template)
                        let bytes = email.eml()
                        try (key.map { sink.stamped(inputs: $0) } ?? sink)
                            .add(OutputFile(area: .kit, path: path, bytes: bytes, isPrivate: true))
                        outcome = .composed(Composed(subject: email.subject, mbox: mbox.record(bytes),
                                                     row: csv.row(draft, subject: email.subject), columns: columns, carried: false))
                    }
                } catch let error as MailError {
                    outcome = .skipped(error)
                } catch {
                    outcome = .failed(error)
                }
                results.set(index, outcome)
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
    ///
    /// - Parameter inputs: the fingerprint of what a draft is made from, or nil. A draft whose
    ///   `.eml` the last build made from the same fingerprint is carried over (`sink.reuse`)
    ///   and not composed again; the mbox and the CSV, which hold every draft, are written
    ///   afresh from the carried bytes and the subject.
    @discardableResult
    public func render<S: Sequence>(_ drafts: S, inputs: @escaping @Sendable (Draft) -> String? = { _ in nil },
                                    to sink: any OutputSink) throws -> MailSummary where S.Element == Draft {
        let mbox = try sink.open(area: .kit, path: Self.folder + "/drafts.mbox", isPrivate: true)
        let merge = try sink.open(area: .kit, path: Self.folder + "/merge.csv", isPrivate: true)
        var csv: MergeCSV?
        let mboxWriter = Mbox(sender: settings.from?.address)

        var templates: [EmailMessage: MessageTemplate] = [:]
        var broken: Set<EmailMessage> = []
        var diagnostics: [Diagnostic] = []
        var written = 0
        var carried = 0
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
                // Most drafts share the previous one's message: comparing with it (equal
                // storage compares at once) saves hashing the whole body per draft.
                if let last = batch.last, last.0.message == draft.message {
                    batch.append((draft, last.1))
                    continue
                }
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

            // The CSV's columns come from the first draft written; every referrer has the same
            // extra columns, so the batch's first draft is a safe guess, checked below.
            let columns = csv?.extraColumns ?? batch.first?.0.referrer.extra.map(\.name) ?? []
            for (index, outcome) in composeAll(batch, columns: columns, mbox: mboxWriter, sink: sink, inputs: inputs).enumerated() {
                let email: Composed
                switch outcome {
                case .composed(let composed): email = composed
                case .skipped(let error):
                    diagnostics += error.diagnostics
                    skipped += 1
                    continue
                case .failed(let error):
                    throw error
                }
                let draft = batch[index].0
                try mbox.append(email.mbox)
                if csv == nil {
                    csv = MergeCSV(extraColumns: draft.referrer.extra.map(\.name))
                    try merge.append(csv!.header())
                }
                try merge.append(csv!.extraColumns == email.columns ? email.row : csv!.row(draft, subject: email.subject))
                written += 1
                if email.carried { carried += 1 }
            }
        }
        if csv == nil { try merge.append(MergeCSV(extraColumns: []).header()) }
        try mbox.close()
        try merge.close()

        if !diagnostics.isEmpty { throw MailError(diagnostics) }
        return MailSummary(drafts: written, skipped: skipped, diagnostics: diagnostics, carriedOver: carried)
    }
}

/// One slot per draft of a batch, filled from several threads, each slot by exactly one.
private final class ResultSlots: @unchecked Sendable {
    // Guarded by `lock`.
    private var slots: [MailRenderer.Outcome?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: MailRenderer.Outcome) {
        lock.withLock { slots[index] = value }
    }
    var values: [MailRenderer.Outcome] { lock.withLock { slots.map { $0! } } }
}
