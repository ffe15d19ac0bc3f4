import Foundation
import RefkitModel

/// Draws postcards into print files for the kit: print-shop PDFs (one card per page, bleed,
/// crop marks, TrimBox and BleedBox) and office PDFs (N-up on A4 or Letter with a test sheet).
///
/// A renderer holds only values: every cairo and Pango object is made inside `render` or
/// `renderFile` (the font map is the calling thread's own). Even so, do not run two at once in
/// one process: Debian 12's cairo 1.16.0 shares scaled fonts between threads and can abort
/// (see `PrintWorker`). To use several cores, render on `PrintWorkerProcess`es.
public struct PostcardRenderer: Sendable {
    public var settings: PrintSettings
    public var layout: PrintLayout

    public init(settings: PrintSettings, layout: PrintLayout = PrintLayout()) {
        self.settings = settings
        self.layout = layout
    }

    /// Renders the postcards of one programme and language, adding each finished file to
    /// `sink` (kit area, private) before starting the next, so memory stays flat however many
    /// cards there are: `print/SLUG-LANG-shop-001.pdf` and `print/SLUG-LANG-office-001.pdf`,
    /// at most `settings.cardsPerFile` cards each. A file pair whose print-shop file would pass
    /// 5 MB (Lob's limit) is split into parts, `-shop-001-001.pdf`, `-shop-001-002.pdf`, …,
    /// each under it, in card order.
    ///
    /// The front is drawn from the first card; every card must share its programme, language
    /// and front. Throws `PrintError` naming the programme, language and field when text does
    /// not fit its block at the layout's minimum scale, a character has no font, the layout does
    /// not fit the card, an image cannot be decoded, or one card alone makes a print-shop file
    /// over 5 MB (naming the image to shrink); errors from `sink` pass through.
    public func render<Cards: Sequence>(_ postcards: Cards, to sink: any OutputSink) throws -> PrintSummary
    where Cards.Element == Postcard {
        var iterator = postcards.makeIterator()
        guard let first = iterator.next() else { return PrintSummary() }
        // One job for every file of the run: the text context, the front and the back
        // template are made once.
        let job = try makeJob(first)
        var summary = PrintSummary(cardsPerSheet: job.grid.cardsPerSheet)
        var card: Postcard? = first
        var fileNumber = 0
        while card != nil {
            fileNumber += 1
            // Count this file's cards first: the office test page says how many there are, and
            // the cards are only known by walking the sequence.
            var batch: [Postcard] = []
            batch.reserveCapacity(min(settings.cardsPerFile, 1024))
            while let next = card, batch.count < max(1, settings.cardsPerFile) {
                batch.append(next)
                card = iterator.next()
            }
            summary = summary + (try render(file: fileNumber, cards: batch, job: job, to: sink))
        }
        return summary
    }

    /// Renders exactly one numbered file pair, `print/SLUG-LANG-shop-NNN.pdf` and
    /// `print/SLUG-LANG-office-NNN.pdf`, from `cards` (normally `settings.cardsPerFile` of
    /// them, the last file fewer), and adds both to `sink`.
    ///
    /// Files are independent: a build can render them on several print workers at once, and
    /// skip the files whose cards did not change. Each call sets up its own fonts, front and back
    /// template, which costs about as much as drawing a few cards. The same rules and errors
    /// as `render(_:to:)`, the split into parts under 5 MB included; an empty `cards` writes
    /// nothing.
    public func renderFile(number: Int, cards: [Postcard], to sink: any OutputSink) throws -> PrintSummary {
        guard let first = cards.first else { return PrintSummary() }
        let job = try makeJob(first)
        return try render(file: number, cards: cards, job: job, to: sink)
    }

    /// The checks a run makes before it draws a card, without drawing one: the layout fits the
    /// card and the sheet, the brand colour, and the front's and back's shared words fit their
    /// blocks with a font for every character. Throws the `PrintError` `render` would; for
    /// `refkit check`, which must fail where `refkit build` fails but writes no PDF.
    public func check(_ first: Postcard) throws {
        _ = try makeJob(first).template(for: first.back)
    }

    private func makeJob(_ first: Postcard) throws -> PrintJob {
        let run = RunContext(program: first.program, language: first.language, variant: first.variant, origin: first.origin, layoutFile: layout.file)
        return try PrintJob(settings: settings, layout: layout, first: first, run: run)
    }

    /// Checks that `cards` belong to `job`'s run, then writes their file pair.
    private func render(file number: Int, cards: [Postcard], job: PrintJob, to sink: any OutputSink) throws -> PrintSummary {
        let run = job.run
        for card in cards {
            guard card.program == run.program, card.language == run.language, card.variant == run.variant else {
                throw run.copyError("program", "a card for \"\(card.program)\" (\(card.language)) came in the same run",
                                    fix: "render each programme, language and variant separately")
            }
            guard card.front == job.frontCopy else {
                throw run.copyError("front", "card \(card.back.code) has a different front from the first card",
                                    fix: "give every card of a programme and language the same front")
            }
        }
        let written = try job.writeFiles(number: number, cards: cards, to: sink)
        // One file of each kind, or more when the print-shop file was split under 5 MB.
        let files = written.paths.count / 2
        return PrintSummary(cards: cards.count, shop: .init(files: files, pages: written.shopPages),
                            office: .init(files: files, pages: written.officePages),
                            cardsPerSheet: job.grid.cardsPerSheet, paths: written.paths, qrMasks: written.qrMasks)
    }
}
