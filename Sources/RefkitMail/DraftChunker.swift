import RefkitModel

/// Cuts the drafts into chunks as the composing workers ask for them, one chunk at a time under
/// a lock: the drafts come from a sequence that makes each one when it is reached, so that
/// 100,000 drafts are never all in memory, and a chunk is the unit a rebuild carries over.
///
/// Where a chunk ends: see `MailRenderer.endsChunk`.
///
/// Each message's Mustache is checked here, the first time a draft uses it: a message with an
/// error or an unknown variable has its drafts skipped and its diagnostics reported once.
struct DraftChunker<Drafts: IteratorProtocol> where Drafts.Element == Draft {
    /// Drafts to compose, in order, and what the build needs to know of them.
    struct Chunk {
        var index: Int
        var drafts: [(Draft, MessageTemplate)]
        /// The chunk's fingerprint (its drafts' in order), nil when one has none.
        var key: String?
        /// The CSV's extra columns: every referrer has the same (the CSV's header), so the
        /// first draft's are the CSV's.
        var columns: [String]
        /// Problems of messages first used in this chunk, and how many drafts they skipped.
        var diagnostics: [Diagnostic]
        var skipped: Int
    }

    private var drafts: Drafts
    private let inputs: (Draft) -> String?
    private var templates: [EmailMessage: MessageTemplate] = [:]
    private var broken: Set<EmailMessage> = []
    private var last: (message: EmailMessage, template: MessageTemplate)?
    private var columns: [String]?
    /// Chunks handed out so far, and whether there will be more.
    private(set) var handedOut = 0
    private(set) var exhausted = false

    init(_ drafts: Drafts, inputs: @escaping (Draft) -> String?) {
        self.drafts = drafts
        self.inputs = inputs
    }

    /// The next chunk; nil when the drafts are done or `stop()` was called. The last chunk
    /// may have no drafts, only the diagnostics of skipped ones.
    mutating func next() -> Chunk? {
        guard !exhausted else { return nil }
        var chunk = Chunk(index: handedOut, drafts: [], key: nil, columns: columns ?? [], diagnostics: [], skipped: 0)
        var keys: [String?] = []
        while chunk.drafts.count < MailRenderer.batchSize {
            guard let draft = drafts.next() else { exhausted = true; break }
            guard let template = template(for: draft, diagnostics: &chunk.diagnostics) else { chunk.skipped += 1; continue }
            if columns == nil {
                columns = draft.referrer.extra.map(\.name)
                chunk.columns = columns!
            }
            chunk.drafts.append((draft, template))
            let key = inputs(draft)
            keys.append(key)
            if let key, MailRenderer.endsChunk(key) { break }
        }
        if chunk.drafts.isEmpty, chunk.diagnostics.isEmpty, chunk.skipped == 0 { return nil }
        chunk.key = MailRenderer.chunkKey(keys)
        handedOut += 1
        return chunk
    }

    /// Hands out nothing more: the build failed.
    mutating func stop() { exhausted = true }

    /// The draft's checked template; nil (with its diagnostics noted once) when it has none.
    private mutating func template(for draft: Draft, diagnostics: inout [Diagnostic]) -> MessageTemplate? {
        // Most drafts share the previous one's message: comparing with it (equal storage
        // compares at once) saves hashing the whole body per draft.
        if let last, last.message == draft.message { return last.template }
        if broken.contains(draft.message) { return nil }
        if let known = templates[draft.message] {
            last = (draft.message, known)
            return known
        }
        do {
            let template = try MessageTemplate(draft.message)
            let problems = template.unknownVariables(extraColumns: draft.referrer.extra.map(\.name))
            if problems.isEmpty {
                templates[draft.message] = template
                last = (draft.message, template)
                return template
            }
            diagnostics += problems
        } catch {
            diagnostics += error.diagnostics
        }
        broken.insert(draft.message)
        return nil
    }
}
