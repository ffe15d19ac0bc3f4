import Foundation
import RefkitModel

/// Print-shop files stay under `maximumFileBytes` (Lob's 5 MB): a file pair whose print-shop
/// file would be larger becomes parts, `…-shop-001-001.pdf`, `…-shop-001-002.pdf`, … with their
/// office files, in card order.
///
/// The parts keep the file's number, rather than renumbering the files after it, so that a
/// split never renames another file: each file pair stays one work item with one fingerprint,
/// rendered on any print worker and carried over by the next build on its own. The part
/// number has a fixed width (three digits, more for files of over 999 cards), so the parts sort
/// in card order however many there are. Sizes come out the same for the same cards, so a
/// rebuild splits at the same cards.
extension PrintJob {
    func writeSplitting(number: Int, cards: [Postcard], to sink: any OutputSink) throws -> Written {
        let suffix = String(format: "%03d", number)
        var sizes = FileSizes()
        switch try drawPair(suffix: suffix, cards: cards, to: sink) {
        case let .written(written):
            return written
        case let .tooLarge(bytes):
            guard cards.count > 1 else { throw tooLarge(path: path("shop", suffix: suffix), bytes: bytes) }
            sizes.add(cards: cards.count, bytes: bytes)
        }
        let width = max(3, String(cards.count).count)
        var written = Written(shopPages: 0, officePages: 0, paths: [])
        var start = 0
        var part = 1
        // The most cards a part may take: one fewer than the smallest count seen too large.
        var most = cards.count - 1
        while start < cards.count {
            let count = min(cards.count - start, most, sizes.cardsFitting(Self.maximumFileBytes))
            let partSuffix = suffix + "-" + String(format: "%0\(width)d", part)
            switch try drawPair(suffix: partSuffix, cards: Array(cards[start..<(start + count)]), to: sink) {
            case let .written(pair):
                written = written + pair
                start += count
                part += 1
            case let .tooLarge(bytes):
                guard count > 1 else { throw tooLarge(path: path("shop", suffix: partSuffix), bytes: bytes) }
                sizes.add(cards: count, bytes: bytes)
                most = count - 1
            }
        }
        return written
    }

    /// One card alone makes a file over the limit: the front's pictures are too large. Names
    /// the largest of them, which is the one to shrink.
    func tooLarge(path: String, bytes: Int) -> PrintError {
        let images = [("front.image", frontCopy.image), ("front.logo", frontCopy.logo)]
            .compactMap { field, image in image.map { (field, $0) } }
        let megabytes = String(format: "%.1f", Double(bytes) / 1_000_000)
        let message = "one card alone makes \(path) \(megabytes) MB, more than the 5 MB online printers accept (Lob's limit)"
        guard let (field, image) = images.max(by: { $0.1.bytes.count < $1.1.bytes.count }) else {
            return run.copyError("front", message, fix: "make the front simpler")
        }
        return PrintError(program: run.program, language: run.language, field: field, location: SourceLocation(file: image.description),
                          message: message,
                          fix: "shrink \(image.description) (\(String(format: "%.1f", Double(image.bytes.count) / 1_000_000)) MB): fewer pixels, or a JPEG rather than a PNG photo")
    }
}

/// Print-shop file sizes measured for card counts, and the count that fits a size: a file is
/// about the front (its pictures, once per file) plus the same number of bytes per back.
struct FileSizes {
    private var samples: [(cards: Double, bytes: Double)] = []

    mutating func add(cards: Int, bytes: Int) {
        samples.append((Double(cards), Double(bytes)))
    }

    /// The most cards whose file should stay under `limit`, at least 1. With one count measured
    /// the front's share is unknown, so the guess scales the file (too high when the front is
    /// most of it; the file that fails gives the second count). From two, a straight line
    /// through all of them: backs differ a little (names, QR codes), hence 2 % to spare.
    func cardsFitting(_ limit: Int) -> Int {
        let n = Double(samples.count)
        let meanCards = samples.reduce(0) { $0 + $1.cards } / n
        let meanBytes = samples.reduce(0) { $0 + $1.bytes } / n
        let variance = samples.reduce(0) { $0 + ($1.cards - meanCards) * ($1.cards - meanCards) }
        var perCard = meanBytes / meanCards
        var front = 0.0
        if variance > 0 {
            let slope = samples.reduce(0) { $0 + ($1.cards - meanCards) * ($1.bytes - meanBytes) } / variance
            if slope > 0 {
                perCard = slope
                front = meanBytes - slope * meanCards
            }
        }
        let fitting = 0.98 * (Double(limit) - front) / perCard
        guard fitting.isFinite else { return 1 }
        return max(1, Int(min(fitting, Double(Int.max / 2))))
    }
}
