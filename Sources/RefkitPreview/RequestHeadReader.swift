/// The front door's only look at a request: where its head (request line and headers) ends,
/// and whether it is too long to hand to FlyingFox. It does not parse HTTP; FlyingFox does.
///
/// Bytes are added as they arrive; each byte is looked at a bounded number of times, so reading
/// a head in pieces stays linear, and nothing past `maxHead` is kept.
struct RequestHeadReader {
    /// Longer request lines are refused with 414: refkit's longest URL is a personal page's,
    /// well under 200 bytes. FlyingFox takes 0.2 s over a 16 KB line, quadratic beyond.
    static let maxRequestLine = 8 * 1024
    /// Longer heads are refused with 431; a browser's head for a preview is under 2 KB.
    static let maxHead = 16 * 1024

    enum Verdict: Equatable {
        /// More bytes are needed.
        case incomplete
        /// The head is `bytes[..<end]`: hand exactly that to FlyingFox.
        case complete(end: Int)
        /// Refused; answer and close without reading further.
        case refused(Refusal)
    }

    enum Refusal: Equatable {
        /// 414: the request line is longer than `maxRequestLine`.
        case uriTooLong
        /// 431: the head is longer than `maxHead`.
        case headTooLarge
    }

    private(set) var bytes: [UInt8] = []
    /// Where the request line's line feed is, once seen.
    private var requestLineEnd: Int?
    /// Bytes before this index have been searched for the head's end already.
    private var searched = 0

    /// Adds the next bytes read from the client (at most `room` of them are kept).
    mutating func add(_ chunk: some Collection<UInt8>) -> Verdict {
        bytes.append(contentsOf: chunk.prefix(room))
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        // The blank line may have begun in the previous chunk: look back two bytes.
        var i = max(0, searched - 2)
        while i < bytes.count {
            if bytes[i] == lf {
                if requestLineEnd == nil { requestLineEnd = i }
                // "\n\n" or "\n\r\n": a line break followed by an empty line.
                if i + 1 < bytes.count, bytes[i + 1] == lf { return verdict(end: i + 2) }
                if i + 2 < bytes.count, bytes[i + 1] == cr, bytes[i + 2] == lf { return verdict(end: i + 3) }
            }
            i += 1
        }
        searched = bytes.count
        if (requestLineEnd ?? bytes.count) > Self.maxRequestLine { return .refused(.uriTooLong) }
        return bytes.count >= Self.maxHead ? .refused(.headTooLarge) : .incomplete
    }

    /// How many more bytes may be read.
    var room: Int { Self.maxHead - bytes.count }

    private func verdict(end: Int) -> Verdict {
        if let requestLineEnd, requestLineEnd > Self.maxRequestLine { return .refused(.uriTooLong) }
        return .complete(end: end)
    }
}
