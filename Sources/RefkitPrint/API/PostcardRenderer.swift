import Foundation
import RefkitModel

/// Draws postcards into print files for the kit: print-shop PDFs (one card per page, bleed,
/// crop marks, TrimBox and BleedBox) and office PDFs (N-up on A4 or Letter with a test sheet).
///
/// A renderer holds only values: every cairo and Pango object is made inside `render`, so
/// two renderers (or two calls) may run on two threads at once.
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
    /// at most `settings.cardsPerFile` cards each.
    ///
    /// The front is drawn from the first card; every card must share its programme, language
    /// and front. Throws `PrintError` naming the programme, language and field when text does
    /// not fit its block at the layout's minimum scale, a character has no font, the layout does
    /// not fit the card or the image is not a PNG; errors from `sink` pass through.
    public func render<Cards: Sequence>(_ postcards: Cards, to sink: any OutputSink) throws -> PrintSummary
    where Cards.Element == Postcard {
        var iterator = postcards.makeIterator()
        guard let first = iterator.next() else { return PrintSummary() }
        let run = RunContext(program: first.program, language: first.language, variant: first.variant, origin: first.origin, layoutFile: layout.file)
        let job = try PrintJob(settings: settings, layout: layout, first: first, run: run)
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
                guard next.program == first.program, next.language == first.language, next.variant == first.variant else {
                    throw run.copyError("program", "a card for \"\(next.program)\" (\(next.language)) came in the same run",
                                        fix: "render each programme, language and variant separately")
                }
                guard next.front == first.front else {
                    throw run.copyError("front", "card \(next.back.code) has a different front from the first card",
                                        fix: "give every card of a programme and language the same front")
                }
                batch.append(next)
                card = iterator.next()
            }
            let written = try job.writeFiles(number: fileNumber, cards: batch, to: sink)
            summary.cards += batch.count
            summary.shop.files += 1
            summary.shop.pages += written.shopPages
            summary.office.files += 1
            summary.office.pages += written.officePages
            summary.paths += written.paths
        }
        return summary
    }
}
