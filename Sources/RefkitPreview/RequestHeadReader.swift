/// The front door's only look at a request: where its head (request line and headers) ends,
/// and whether it is too long to hand to FlyingFox. It does not parse HTTP; FlyingFox does.
///
/// Bytes are added as they arrive; each byte is looked at a bounded number of times, so reading
/// a head in pieces stays linear, and nothing past `maxHead` is kept.
struct RequestHeadReader {
    /// Longer lines are refused: the request line with 414 (refkit's longest URL, a personal
    /// page's, is under 200 bytes), a header line with 431. FlyingFox's time per line grows
    /// with the square of its length: in a release build 16 KB takes 0.2 s and 64 KB 3.2 s; in
    /// a debug build 4 KB takes 0.5 s and 8 KB 1.9 s.
    static let maxLine = 8 * 1024
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
        /// 414: the request line is longer than `maxLine`.
        case uriTooLong
        /// 431: a header line is longer than `maxLine`, or the head than `maxHead`.
        case headTooLarge
    }

    private(set) var bytes: [UInt8] = []
    /// Where the line being read begins.
    private var lineStart = 0
    /// Bytes before this index have been looked at already.
    private var searched = 0

    /// Adds the next bytes read from the client (at most `room` of them are kept).
    mutating func add(_ chunk: some Collection<UInt8>) -> Verdict {
        bytes.append(contentsOf: chunk.prefix(room))
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        while searched < bytes.count {
            let i = searched
            searched += 1
            guard bytes[i] == lf else { continue }
            if let refusal = tooLong(lineEnd: i) { return .refused(refusal) }
            lineStart = i + 1
            // The head ends with an empty line: "\n\n" or "\n\r\n".
            if i >= 1, bytes[i - 1] == lf { return .complete(end: i + 1) }
            if i >= 2, bytes[i - 1] == cr, bytes[i - 2] == lf { return .complete(end: i + 1) }
        }
        if let refusal = tooLong(lineEnd: bytes.count) { return .refused(refusal) }
        return bytes.count >= Self.maxHead ? .refused(.headTooLarge) : .incomplete
    }

    /// How many more bytes may be read.
    var room: Int { Self.maxHead - bytes.count }

    private func tooLong(lineEnd: Int) -> Refusal? {
        guard lineEnd - lineStart > Self.maxLine else { return nil }
        return lineStart == 0 ? .uriTooLong : .headTooLarge
    }
}
