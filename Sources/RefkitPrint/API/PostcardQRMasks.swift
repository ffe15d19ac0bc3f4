import Foundation
import RefkitModel
import RefkitQR

/// The print renderer's cache of postcard QR masks, kept in the kit between builds.
///
/// A card's QR URL never changes for a given base URL, nor does the mask libqrencode chooses
/// for it; choosing is about 90 % of an encode. A rebuild after a theme or programme edit,
/// which draws every card again, fills in each card's known mask (`Postcard.Back.qrMask`) and
/// encodes ten times faster, with the same symbol. The site keeps its own cache of its own
/// URLs; neither reads the other's. A missing or damaged file means encoding afresh (see
/// `QRMaskCache` for why a damaged entry cannot make a wrong code).
public struct PostcardQRMasks: Sendable {
    /// Private (it lists every code's URL), beside the build manifest.
    public static let kitPath = ".refkit/cache/print-qr-masks.tsv"

    private let previous: QRMaskCache

    /// The masks the last build wrote into `sink`'s kit.
    public init(previousBuildOf sink: any OutputSink) {
        previous = QRMaskCache(reading: sink.previousBytes(area: .kit, path: Self.kitPath))
    }

    /// The cards, each with the mask known for its exact QR URL filled in.
    public func filling(_ cards: [Postcard]) -> [Postcard] {
        cards.map { card in
            var card = card
            card.back.qrMask = previous.known(for: card.back.qrURL, level: .medium)
            return card
        }
    }

    /// The cache for the next build: each card's mask as chosen by this build (`learned`,
    /// the summaries' `qrMasks`) or known from the last. Cards in files carried over
    /// unrendered keep their known mask.
    public func file<Cards: Sequence>(for cards: Cards, learned: PrintSummary) -> OutputFile where Cards.Element == Postcard {
        var cache = QRMaskCache()
        for card in cards {
            if let known = learned.qrMasks[card.back.code] ?? previous.known(for: card.back.qrURL, level: .medium) {
                cache.record(known, for: card.back.qrURL, level: .medium)
            }
        }
        return OutputFile(area: .kit, path: Self.kitPath, bytes: cache.bytes(), isPrivate: true)
    }
}
