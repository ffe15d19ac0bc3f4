import Foundation
import RefkitModel

/// Messages in one mboxrd file (RFC 4155 and the mboxrd convention): each starts with a
/// `From ` line, and a body line starting with any number of `>` and then `From ` gets one more
/// `>`, which a reader removes again. Readers of plain mboxo only unquote `>From `, which is the
/// only case our encoded parts can produce.
///
/// Lines end in LF as in every mbox file, so the CRLF of an `.eml` is turned into LF.
struct Mbox {
    /// The From_ line's sender and date are fixed so that the same drafts make the same bytes
    /// on every build; mail programs ignore both.
    let separator: Data

    init(sender: String?) {
        let who = sender.flatMap { MailAddress.isValid($0) ? $0 : nil } ?? "MAILER-DAEMON"
        separator = Data("From \(who) Thu Jan  1 00:00:00 1970\n".utf8)
    }

    func record(_ eml: Data) -> Data {
        var out = [UInt8]()
        out.reserveCapacity(eml.count + separator.count + 64)
        record(eml, into: &out)
        return Data(out)
    }

    /// What identifies a run of records (`ContentDigest`): the separator, then each draft's
    /// SHA-256, which the `.eml` file needs anyway; a record is made from these alone, so
    /// the records are never hashed.
    func digester() -> ContentDigest.Hasher {
        var hasher = ContentDigest.Hasher()
        // Its length first: the digests after it are all 32 bytes, so nothing is ambiguous.
        hasher.update(Data(withUnsafeBytes(of: UInt64(separator.count).littleEndian) { Array($0) }))
        hasher.update(separator)
        return hasher
    }

    /// Appends the record of `eml` to `out`.
    func record(_ eml: Data, into out: inout [UInt8]) {
        out += separator
        eml.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            let n = bytes.count
            // Line by line, copying each line whole: per-byte appends were most of the cost.
            guard let base = raw.baseAddress else { return }
            var lineStart = 0
            while lineStart < n {
                // `memchr` finds the line's end many bytes at a time; a loop over the bytes was
                // most of a record's cost.
                let end = memchr(base + lineStart, 10, n - lineStart).map { base.distance(to: UnsafeRawPointer($0)) } ?? n
                // `>*From ` at the start of a line: quote it once more.
                var probe = lineStart
                while probe < end, bytes[probe] == 0x3E { probe += 1 }
                if probe + 5 <= n, bytes[probe] == 0x46, bytes[probe + 1] == 0x72, bytes[probe + 2] == 0x6F,
                   bytes[probe + 3] == 0x6D, bytes[probe + 4] == 0x20 {
                    out.append(0x3E)
                }
                if end < n {
                    // CRLF becomes LF; a lone CR stays.
                    let contentEnd = end > lineStart && bytes[end - 1] == 13 ? end - 1 : end
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<contentEnd]))
                    out.append(10)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[lineStart..<end]))
                }
                lineStart = end + 1
            }
        }
        if out.last != 10 { out.append(10) }
        out.append(10)
    }

    private static let from = Data("From ".utf8)
}
