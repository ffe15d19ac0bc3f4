import Foundation
import RefkitModel
import RefkitQR

extension SiteRenderer {
    /// The site's own cache of personal-page QR masks, in the kit (private: it lists every
    /// code's URL). The print renderer keeps its own; neither reads the other's.
    public static let qrMaskPath = ".refkit/cache/site-qr-masks.tsv"

    /// The cache for the next build: every active referrer's personal-page QR URL with the mask
    /// learned by this build or known from the last. A page carried over unrendered keeps its
    /// known mask; one whose mask was never learned is encoded in full by the next render.
    func qrMaskFile(_ pages: PageBuilder, previous: QRMaskCache, previousBytes: Data?, learned: LearnedMasks) -> OutputFile {
        let new = learned.current
        // Nothing learned and every page's mask known, no more and no fewer: the file would be
        // written again to the byte, so its bytes are the last build's (no sort of 100,000 lines).
        if new.isEmpty, let previousBytes, previous.isExactlyAsRead {
            var known = 0, unknown = 0
            for invitation in invitations where project.program(invitation.referrer.program) != nil {
                if previous.known(for: pages.qrURL(invitation), level: .medium) != nil { known += 1 } else { unknown += 1 }
            }
            if unknown == 0, known == previous.count {
                return OutputFile(area: .kit, path: Self.qrMaskPath, bytes: previousBytes, isPrivate: true)
            }
        }
        var cache = QRMaskCache()
        for invitation in invitations where project.program(invitation.referrer.program) != nil {
            let url = pages.qrURL(invitation)
            if let known = new[invitation.code] ?? previous.known(for: url, level: .medium) {
                cache.record(known, for: url, level: .medium)
            }
        }
        return OutputFile(area: .kit, path: Self.qrMaskPath, bytes: cache.bytes(), isPrivate: true)
    }
}

/// Masks chosen by this build's personal pages, by code, from any thread.
typealias LearnedMasks = Locked<[InviteCode: QRKnownMask]>
