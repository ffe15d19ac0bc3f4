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
    /// Workers on every core take chunks of drafts (`DraftChunker`, which makes each draft
    /// from `drafts` only when it is reached), compose them and hand each `.eml` to the sink
    /// from the thread that made it; the calling thread writes the chunks' mbox records and
    /// CSV rows in draft order as they come, so composing never waits for those two files and
    /// they come out the same on every run. A few chunks at most are in flight.
    ///
    /// A message with a Mustache error or an unknown variable is checked once, the first time a
    /// draft uses it; its drafts are skipped and its diagnostics reported once. A referrer whose
    /// address cannot go in a header is skipped with a diagnostic too.
    ///
    /// - Parameter inputs: the fingerprint of what a draft is made from, or nil. A chunk whose
    ///   drafts all have the fingerprints of a chunk of the last build is carried over whole:
    ///   its `.eml` files (`sink.reuse`) and its parts of the mbox and the CSV, copied by the
    ///   kernel (`OutputStreamFile.carrySegment`), with nothing composed or read. A
    ///   one-referrer change composes one chunk.
    /// - Throws: `MailError` with every diagnostic after all drafts are done, so that a build
    ///   reports them all at once; the sink's errors as they happen.
    @discardableResult
    public func render<S: Sequence>(_ drafts: S, inputs: @escaping @Sendable (Draft) -> String? = { _ in nil },
                                    to sink: any OutputSink) throws -> MailSummary where S.Element == Draft {
        let mbox = try sink.open(area: .kit, path: Self.folder + "/drafts.mbox", isPrivate: true)
        let merge = try sink.open(area: .kit, path: Self.folder + "/merge.csv", isPrivate: true)
        let streams = KitStreams(mbox: mbox, merge: merge)
        let records = Mbox(sender: settings.from?.address)
        let carriable = streams.carriable
        let chunker = Locked(DraftChunker(drafts.makeIterator(), inputs: inputs))
        let results = Locked<[Int: Result<ComposedChunk, any Error>]>([:])

        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Chunks taken but not yet written: enough that no worker waits for the writer while
        // it keeps up, few enough that memory stays flat (a chunk is about 64 drafts).
        // Made at 0 and signalled up: libdispatch traps when a semaphore goes with a lower
        // value than it was made with, which a failed build leaves it at.
        let slots = DispatchSemaphore(value: 0)
        for _ in 0..<(2 * workers + 2) { slots.signal() }
        // One signal per chunk done, and one per worker that found no more.
        let ready = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) {
                while true {
                    slots.wait()
                    guard let chunk = chunker.withLock({ $0.next() }) else { break }
                    let result = Result { try self.composeChunk(chunk, records: records, sink: sink, carriable: carriable) }
                    if case .failure = result { chunker.withLock { $0.stop() } }
                    results.withLock { $0[chunk.index] = result }
                    ready.signal()
                }
                ready.signal()
            }
        }

        var summary = MailSummary(drafts: 0, skipped: 0, diagnostics: [])
        var failure: (any Error)?
        var next = 0
        do {
            while true {
                if let result = results.withLock({ $0.removeValue(forKey: next) }) {
                    try streams.write(try result.get(), into: &summary)
                    next += 1
                    slots.signal()
                    continue
                }
                if chunker.withLock({ $0.exhausted && $0.handedOut == next }) { break }
                ready.wait()
            }
            try streams.finish()
        } catch {
            failure = error
            // Every worker wakes, finds nothing more to take and stops.
            chunker.withLock { $0.stop() }
            for _ in 0..<workers { slots.signal() }
        }
        group.wait()
        if let failure { throw failure }
        if !summary.diagnostics.isEmpty { throw MailError(summary.diagnostics) }
        return summary
    }

    /// Composes a chunk on a worker thread: each `.eml` handed to the sink (with its SHA-256,
    /// which its mbox record is identified by too), the chunk's mbox records and CSV rows
    /// made for the writer. A chunk the last build made, whose files are all still there and
    /// whose parts of the mbox and CSV can be carried, is not composed at all. Drafts whose
    /// `.eml` alone was carried over are not composed either: their record is made from the
    /// carried bytes and their CSV row from the subject.
    func composeChunk<Drafts>(_ chunk: DraftChunker<Drafts>.Chunk, records mbox: Mbox, sink: any OutputSink,
                              carriable: Set<String>) throws -> ComposedChunk {
        var out = ComposedChunk(key: chunk.key, columns: chunk.columns, diagnostics: chunk.diagnostics, skipped: chunk.skipped)
        guard !chunk.drafts.isEmpty else { return out }
        var placed: Set<String> = []
        if let key = chunk.key, let paths = try sink.reuse(inputs: key) {
            placed = Set(paths)
            if paths.count == chunk.drafts.count, carriable.contains(key) {
                out.parts = .carried
                out.drafts = paths.count
                out.carried = paths.count
                return out
            }
        }
        let target = chunk.key.map { sink.stamped(inputs: $0) } ?? sink
        let csv = MergeCSV(extraColumns: chunk.columns)
        var records: [UInt8] = []
        var rows = Data()
        var digest = mbox.digester()
        for (draft, template) in chunk.drafts {
            let path = Self.draftPath(draft)
            let subject: String, eml: Data, emlDigest: ContentDigest
            do {
                if placed.contains(path) {
                    guard let bytes = sink.carriedBytes(area: .kit, path: path) else { throw CarriedDraftUnreadable(path: path) }
                    (subject, eml, emlDigest) = (self.subject(draft, template), bytes, EmailDraft.fileDigest(of: bytes))
                    out.carried += 1
                } else {
                    let email = try compose(draft, with: template)
                    (subject, (eml, emlDigest)) = (email.subject, email.emlAndDigest())
                    try target.add(OutputFile(area: .kit, path: path, bytes: eml, isPrivate: true, digest: emlDigest))
                }
            } catch let error as MailError {
                out.diagnostics += error.diagnostics
                out.skipped += 1
                continue
            }
            mbox.record(eml, into: &records)
            digest.update(emlDigest)
            rows.append(csv.row(draft, subject: subject))
            out.drafts += 1
        }
        out.parts = .composed(records: Data(records), digest: digest.finalize(), rows: rows)
        return out
    }
}

/// What a worker made of a chunk, for the writer.
struct ComposedChunk: Sendable {
    enum Parts: Sendable {
        /// No drafts (all skipped).
        case none
        /// The last build's parts of the mbox and CSV, to be carried.
        case carried
        /// The chunk's mbox records, identified by `digest` (`Mbox.digester`), and CSV rows.
        case composed(records: Data, digest: ContentDigest, rows: Data)
    }

    var key: String?
    var columns: [String]
    var diagnostics: [Diagnostic]
    var skipped: Int
    var parts = Parts.none
    /// Drafts written (composed or carried), and of them carried over from the last build.
    var drafts = 0
    var carried = 0
}

/// The mbox and the merge CSV, written in draft order by the thread that runs `render`.
final class KitStreams {
    let mbox: any OutputStreamFile
    let merge: any OutputStreamFile
    /// The chunks whose parts both files can carry from the last build.
    let carriable: Set<String>
    private var wroteHeader = false

    init(mbox: any OutputStreamFile, merge: any OutputStreamFile) {
        self.mbox = mbox
        self.merge = merge
        carriable = mbox.carriableSegments.intersection(merge.carriableSegments)
    }

    func write(_ chunk: ComposedChunk, into summary: inout MailSummary) throws {
        summary.diagnostics += chunk.diagnostics
        summary.skipped += chunk.skipped
        summary.drafts += chunk.drafts
        summary.carriedOver += chunk.carried
        if case .none = chunk.parts { return }
        if !wroteHeader { try writeHeader(MergeCSV(extraColumns: chunk.columns).header()) }
        let inputs = chunk.key ?? ""
        switch chunk.parts {
        case .none: break
        case .carried:
            try mbox.carrySegment(inputs: inputs)
            try merge.carrySegment(inputs: inputs)
        case let .composed(records, digest, rows):
            try mbox.append(records, inputs: inputs, digest: digest)
            try merge.append(rows, inputs: inputs)
        }
    }

    /// The CSV's header, a segment of its own keyed by its bytes, so that a CSV whose every
    /// chunk is carried is the old file, linked rather than copied.
    private func writeHeader(_ bytes: Data) throws {
        wroteHeader = true
        var key = Fingerprint("merge.csv header")
        key.add(bytes)
        if merge.carriableSegments.contains(key.hex) {
            try merge.carrySegment(inputs: key.hex)
        } else {
            try merge.append(bytes, inputs: key.hex)
        }
    }

    /// Closes both files, with the CSV's header alone when there was no draft.
    func finish() throws {
        if !wroteHeader { try writeHeader(MergeCSV(extraColumns: []).header()) }
        try mbox.close()
        try merge.close()
    }
}

/// A draft carried over from the last build whose staged copy could not be read back.
struct CarriedDraftUnreadable: ClassifiedError {
    var path: String
    /// The kit's own file failed to read back: the disk, not the project (was exit 2, usage).
    var failureKind: FailureKind { .fileSystem }
    var description: String { "kit/\(path): the draft carried over from the last build cannot be read; build again" }
}
