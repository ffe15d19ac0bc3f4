import Foundation
import RefkitModel

/// The print step of a build: every invitation's postcard, in file pairs (print-shop and
/// office) of `cardsPerFile` cards per programme edition and variant, in invitation order.
///
/// With `inputsKey`, each file pair is stamped with the fingerprint of what it is made from
/// (the inputs, its run, its number and each card's name and code) and a pair whose
/// fingerprint did not change is carried over from the last build unrendered, its summary
/// read from the record kept with it (`PostcardFileRecord`). Only the pairs left are made into
/// `Postcard` values and drawn: on print worker processes, one per core (see `PrintWorker` for
/// why not threads), or in this process when there is one pair to draw, one worker asked for
/// or no worker executable.
public struct PostcardPrinter {
    public let project: Project
    public let invitations: [Invitation]
    public let today: Day
    /// The fingerprint of everything the cards are made from besides their referrers (the
    /// build's print inputs); nil: draw everything and stamp nothing.
    public var inputsKey: String?
    /// `refkit` itself, to start print workers from; nil: draw in this process.
    public var workerExecutable: URL?
    /// How many print workers to start at most (one per core).
    public var workerCount = 1

    public init(project: Project, invitations: [Invitation], today: Day) {
        self.project = project
        self.invitations = invitations
        self.today = today
    }

    /// What the step did.
    public struct Summary: Sendable {
        /// The files of every pair, drawn or carried over.
        public var print = PrintSummary()
        /// Cards in pairs carried over from the last build.
        public var carriedOver = 0
        /// Print worker processes started (0: drawn in this process) and the sum of their peak
        /// resident memory, in bytes.
        public var workers = 0
        public var workerPeakBytes = 0
    }

    var renderer: PostcardRenderer { PostcardRenderer(settings: project.site.print, layout: project.theme.printLayout) }

    /// The checks a build makes before it draws a card, for each run, without drawing one
    /// (`PostcardRenderer.check(_:)`): for `refkit check`.
    public func check() throws {
        let renderer = renderer
        for set in PostcardSet.sets(project, invitations, today: today) {
            if let first = set.invitations.first { try renderer.check(set.card(first)) }
        }
    }

    /// One file pair of a run: its cards are `set.invitations[range]`.
    struct FilePair: Sendable {
        var set: Int
        var number: Int
        var range: Range<Int>
        /// The fingerprint of what it is made from; nil without `inputsKey`.
        var inputs: String?
        var recordPath: String
    }

    /// Draws the file pairs that changed into `sink` and carries the others over.
    public func render(to sink: any OutputSink) throws -> Summary {
        let sets = PostcardSet.sets(project, invitations, today: today)
        let perFile = max(1, project.site.print.cardsPerFile)
        var pairs: [FilePair] = []
        for (s, set) in sets.enumerated() {
            for (i, start) in stride(from: 0, to: set.invitations.count, by: perFile).enumerated() {
                let range = start..<min(set.invitations.count, start + perFile)
                pairs.append(FilePair(set: s, number: i + 1, range: range, inputs: inputsKey.map { fingerprint(set, number: i + 1, range, inputsKey: $0) },
                                      recordPath: PostcardFileRecord.path(program: set.program.slug, language: set.edition.language,
                                                                          variant: set.variant, number: i + 1)))
            }
        }
        var summaries: [PrintSummary?] = []
        var summary = Summary()
        for pair in pairs {
            let carried = try carryOver(pair, of: sets[pair.set], from: sink)
            summaries.append(carried)
            if carried != nil { summary.carriedOver += pair.range.count }
        }
        let pending = pairs.indices.filter { summaries[$0] == nil }
        let drawn = try draw(pending.map { pairs[$0] }, of: sets, to: sink, summary: &summary)
        for (i, result) in zip(pending, drawn) { summaries[i] = result }
        summary.print = summaries.reduce(PrintSummary()) { $0 + $1! }
        return summary
    }

    /// What one file pair is made from: the run's inputs, its number and each card's printed
    /// name and code. The rest of a card (its words, its URL) follows from these and the inputs.
    func fingerprint(_ set: PostcardSet, number: Int, _ range: Range<Int>, inputsKey: String) -> String {
        var f = Fingerprint("postcards 2", inputsKey, set.program.slug, set.edition.language.rawValue, set.variant)
        f.add(number)
        for invitation in set.invitations[range] {
            f.add(invitation.referrer.firstName)
            f.add(invitation.code.rawValue)
        }
        return f.hex
    }

    /// The pair's summary when it was carried over: the sink carried over every file the last
    /// build made from the same inputs, its record among them, which was read (intact) first.
    /// A record stamped with these inputs was written with these files: a pair's record and
    /// PDFs are named by its run and number, and both are in its fingerprint.
    func carryOver(_ pair: FilePair, of set: PostcardSet, from sink: any OutputSink) throws -> PrintSummary? {
        guard let inputs = pair.inputs, let bytes = sink.previousBytes(area: .kit, path: pair.recordPath),
              let record = PostcardFileRecord(bytes, withMasks: false), record.summary.cards == pair.range.count,
              let carried = try sink.reuse(inputs: inputs) else { return nil }
        guard carried.contains(pair.recordPath) else {
            // Only a hand-edited manifest gets here: the files are carried, the summary unknown.
            throw PrintError(program: set.program.slug, language: set.edition.language, field: "file \(pair.number)",
                             location: SourceLocation(file: "kit/.refkit/manifest.tsv"),
                             message: "the manifest does not list \(pair.recordPath) with the print files made from the same inputs",
                             fix: "delete kit/.refkit/manifest.tsv and build again (everything is made afresh)")
        }
        return record.summary
    }
}
