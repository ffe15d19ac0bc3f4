import Foundation

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
        var out = separator
        out.reserveCapacity(eml.count + separator.count + 64)
        var lineStart = true
        var index = eml.startIndex
        while index < eml.endIndex {
            let byte = eml[index]
            if lineStart, byte == UInt8(ascii: ">") || byte == UInt8(ascii: "F") {
                // `>*From ` at the start of a line: quote it once more.
                var probe = index
                while probe < eml.endIndex, eml[probe] == UInt8(ascii: ">") { probe += 1 }
                if eml[probe...].starts(with: Self.from) { out.append(UInt8(ascii: ">")) }
            }
            lineStart = false
            if byte == 13, index + 1 < eml.endIndex, eml[index + 1] == 10 {
                index += 1
                continue
            }
            out.append(byte)
            if byte == 10 { lineStart = true }
            index += 1
        }
        if out.last != 10 { out.append(10) }
        out.append(10)
        return out
    }

    private static let from = Data("From ".utf8)
}
