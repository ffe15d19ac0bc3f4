import Foundation
import RefkitModel

/// What a build sends a print worker: one file pair to render. The cards of a file share
/// their programme, language, variant and front, so those travel once (the front may carry
/// an image) and each card sends only its back.
struct PrintWorkRequest: Codable {
    var settings: PrintSettings
    var layout: PrintLayout
    var number: Int
    var program: String
    var language: LanguageTag
    var variant: String
    var origin: String?
    var front: Postcard.Front
    var backs: [Postcard.Back]

    init(_ renderer: PostcardRenderer, number: Int, cards: [Postcard]) {
        let first = cards[0]
        settings = renderer.settings
        layout = renderer.layout
        self.number = number
        program = first.program
        language = first.language
        variant = first.variant
        origin = first.origin
        front = first.front
        backs = cards.map(\.back)
    }

    var cards: [Postcard] {
        backs.map { Postcard(program: program, language: language, variant: variant, origin: origin, front: front, back: $0) }
    }
}

/// A worker's answer, when the file pair is done: the summary, or the error that stopped it.
/// The files themselves went before it, one `PrintWorkMessage.file` each.
struct PrintWorkReply: Codable {
    var summary: PrintSummary?
    /// Text too long, a character without a font: the user's to fix.
    var printError: PrintError?
    /// Anything else, as text.
    var failure: String?
    /// The worker's peak resident memory so far, in bytes.
    var peakBytes: Int

    struct File: Codable {
        var area: OutputArea
        var path: String
        var isPrivate: Bool
        var size: Int
    }
}

/// What a worker sends while it renders a request: each file as soon as it is finished (its
/// bytes follow as one frame), then the reply. A file pair split under 5 MB is many files, and
/// the worker holds none of them longer than it takes to send it.
enum PrintWorkMessage: Codable {
    case file(PrintWorkReply.File)
    case done(PrintWorkReply)
}

/// The first frame a worker sends: which protocol it speaks, so that a refkit binary replaced
/// in the middle of a build is noticed rather than misread.
struct PrintWorkHello: Codable, Equatable {
    var protocolName = PrintWorker.protocolName
}
