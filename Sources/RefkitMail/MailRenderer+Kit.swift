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

    /// What a worker made of one draft; the sink refusing a file is an error instead, which
    /// stops the build.
    enum Outcome {
        case composed(Composed)
        /// The draft was skipped: its diagnostics.
        case skipped(MailError)
    }

    /// Composes a batch on all cores and hands each `.eml` to the sink from the thread that
    /// made it, so that hashing and writing the files run on both cores too; outcomes keep the
    /// batch's order for the mbox and the CSV, which are written in order afterwards. The first
    /// error of the sink (in batch order) is thrown once the workers stop. Drafts
    /// whose `.eml` is in `placed` (carried over from the last build) are not composed: their
    /// record is made from the carried bytes and their CSV row from the subject alone.
    func composeAll(_ batch: [(Draft, MessageTemplate)], columns: [String], mbox: Mbox, sink: any OutputSink,
                    placed: Set<String>) throws -> [Outcome] {
        let results = Locked(OrderedResults<Outcome>(count: batch.count))
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, batch.count))
        let csv = MergeCSV(extraColumns: columns)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < batch.count, !results.withLock({ $0.hasFailure }) {
                let (draft, template) = batch[index]
                let path = Self.draftPath(draft)
                let outcome: Result<Outcome, any Error>
                do {
                    if placed.contains(path) {
                        guard let bytes = sink.carriedBytes(area: .kit, path: path) else {
                            throw CarriedDraftUnreadable(path: path)
                        }
                        let subject = self.subject(draft, template)
                        outcome = .success(.composed(Composed(subject: subject, mbox: mbox.record(bytes), row: csv.row(draft, subject: subject),
                                                              columns: columns, carried: true)))
                    } else {
                        let email = try compose(draft, with: template)
                        let bytes = email.eml()
                        try sink.add(OutputFile(area: .kit, path: path, bytes: bytes, isPrivate: true))
                        outcome = .success(.composed(Composed(subject: email.subject, mbox: mbox.record(bytes),
                                                              row: csv.row(draft, subject: email.subject), columns: columns, carried: false)))
                    }
                } catch let error as MailError {
                    outcome = .success(.skipped(error))
                } catch {
                    outcome = .failure(error)
                }
                results.withLock { $0.set(index, outcome) }
                index += workers
            }
        }
        return try results.current.values()
    }

    static func draftPath(_ draft: Draft) -> String { folder + "/drafts/" + draft.code.rawValue + ".eml" }

    /// A chunk of drafts ends after a draft whose fingerprint ends in one of these values of
    /// its last byte (1 in `chunkDivisor`), or at `batchSize` drafts. Cutting where the content
    /// says, not every N drafts, keeps the other chunks as they were when a referrer is added
    /// or removed in the middle of the file.
    static let chunkDivisor = 64

    static func endsChunk(_ key: String) -> Bool {
        guard let last = UInt8(key.suffix(2), radix: 16) else { return false }
        return Int(last) % chunkDivisor == 0
    }

    /// The fingerprint of a chunk: its drafts' fingerprints in order. Nil when one has none.
    static func chunkKey(_ keys: [String?]) -> String? {
        guard !keys.isEmpty else { return nil }
        var f = Fingerprint("mail chunk")
        for key in keys {
            guard let key else { return nil }
            f.add(key)
        }
        return f.hex
    }

    /// Writes the kit's mail: `mail/drafts/CODE.eml` per draft, `mail/drafts.mbox` and
    /// `mail/merge.csv`, the last two streamed through `sink.open` so that memory stays flat
    /// however many drafts there are.
    ///
    /// A message with a Mustache error or an unknown variable is checked once, the first time a
    /// draft uses it; its drafts are skipped and its diagnostics reported once. A referrer whose
    /// address cannot go in a header is skipped with a diagnostic too.
    ///
    /// - Parameter inputs: the fingerprint of what a draft is made from, or nil. Drafts go in
    ///   chunks of about `chunkDivisor`, cut where the fingerprints say. A chunk whose drafts
    ///   all have the fingerprints of a chunk of the last build is carried over whole: its
    ///   `.eml` files (`sink.reuse`) and its parts of the mbox and the CSV
    ///   (`OutputStreamFile.carriedSegment`), with nothing composed or read. A one-referrer
    ///   change composes one chunk.
    /// - Throws: `MailError` with every diagnostic after all drafts are done, so that a build
    ///   reports them all at once; the sink's errors as they happen.
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

        /// The draft's checked template; nil (with its diagnostics noted once) when it has none.
        func template(for draft: Draft, after last: (Draft, MessageTemplate)?) -> MessageTemplate? {
            // Most drafts share the previous one's message: comparing with it (equal storage
            // compares at once) saves hashing the whole body per draft.
            if let last, last.0.message == draft.message { return last.1 }
            if broken.contains(draft.message) { return nil }
            if let known = templates[draft.message] { return known }
            do {
                let template = try MessageTemplate(draft.message)
                let problems = template.unknownVariables(extraColumns: draft.referrer.extra.map(\.name))
                if problems.isEmpty {
                    templates[draft.message] = template
                    return template
                }
                diagnostics += problems
            } catch {
                diagnostics += error.diagnostics
            }
            broken.insert(draft.message)
            return nil
        }

        // Drafts are composed in chunks on every core and written in input order, so that
        // the files and the mbox come out the same on every run. A chunk is small (about
        // a hundred drafts of a few kilobytes), which keeps memory flat.
        var iterator = drafts.makeIterator()
        var batch: [(Draft, MessageTemplate)] = []
        var keys: [String?] = []
        batch.reserveCapacity(Self.batchSize)
        var exhausted = false
        while !exhausted {
            batch.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            while batch.count < Self.batchSize {
                guard let draft = iterator.next() else { exhausted = true; break }
                guard let template = template(for: draft, after: batch.last) else { skipped += 1; continue }
                batch.append((draft, template))
                let key = inputs(draft)
                keys.append(key)
                if let key, Self.endsChunk(key) { break }
            }
            guard let first = batch.first else { continue }
            // Every referrer has the same extra columns (the CSV's header), so the first
            // draft's are the CSV's; a draft with others is checked below.
            if csv == nil {
                csv = MergeCSV(extraColumns: first.0.referrer.extra.map(\.name))
                try merge.append(csv!.header())
            }
            let chunk = Self.chunkKey(keys)
            var placed: Set<String> = []
            if let chunk, let paths = try sink.reuse(inputs: chunk) {
                placed = Set(paths)
                if paths.count == batch.count, let mboxPart = mbox.carriedSegment(inputs: chunk),
                   let csvPart = merge.carriedSegment(inputs: chunk) {
                    try mbox.append(mboxPart, inputs: chunk)
                    try merge.append(csvPart, inputs: chunk)
                    written += batch.count
                    carried += batch.count
                    continue
                }
            }
            let target = chunk.map { sink.stamped(inputs: $0) } ?? sink
            for (index, outcome) in try composeAll(batch, columns: csv!.extraColumns, mbox: mboxWriter, sink: target, placed: placed).enumerated() {
                let email: Composed
                switch outcome {
                case .composed(let composed): email = composed
                case .skipped(let error):
                    diagnostics += error.diagnostics
                    skipped += 1
                    continue
                }
                let draft = batch[index].0
                try mbox.append(email.mbox, inputs: chunk ?? "")
                try merge.append(csv!.extraColumns == email.columns ? email.row : csv!.row(draft, subject: email.subject), inputs: chunk ?? "")
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

/// A draft carried over from the last build whose staged copy could not be read back.
struct CarriedDraftUnreadable: ClassifiedError {
    var path: String
    /// The kit's own file failed to read back: the disk, not the project (was exit 2, usage).
    var failureKind: FailureKind { .fileSystem }
    var description: String { "kit/\(path): the draft carried over from the last build cannot be read; build again" }
}
