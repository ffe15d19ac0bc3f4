import Foundation
import RefkitModel

/// A finished email draft: addresses, subject, and the plain and HTML versions of the body,
/// ready to be written as an RFC 5322 / MIME message that mail programs open as a draft.
///
/// `MailRenderer.compose(_:)` makes one from a `Draft`; the report reuses it for thank-you
/// drafts in another folder through `file(in:)`.
public struct EmailDraft: Hashable, Sendable {
    public var from: Mailbox?
    public var replyTo: Mailbox?
    public var to: Mailbox
    public var subject: String
    /// The text/plain part.
    public var text: String
    /// The text/html part: a whole HTML document.
    public var html: String
    public var language: LanguageTag?
    /// The file's base name without `.eml`: the raw invite code.
    public var name: String

    public init(from: Mailbox?, replyTo: Mailbox?, to: Mailbox, subject: String, text: String,
                html: String, language: LanguageTag?, name: String) {
        self.from = from
        self.replyTo = replyTo
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.language = language
        self.name = name
    }

    /// The draft as `FOLDER/NAME.eml` in the private kit, e.g. `mail/drafts/K7QM4TZ9X.eml`.
    public func file(in folder: String) -> OutputFile {
        let prefix = folder.isEmpty || folder.hasSuffix("/") ? folder : folder + "/"
        return OutputFile(area: .kit, path: prefix + name + ".eml", bytes: eml(), isPrivate: true)
    }

    /// The message bytes, CRLF line ends throughout.
    ///
    /// `X-Unsent: 1` makes Outlook and Thunderbird open the file as a draft to send, not as a
    /// received message. There is no `Date` or `Bcc`: the mail program adds the first when the
    /// draft is sent, and a draft to one referrer has no business with the second.
    /// The `Message-ID` is `messageID(content:)`: `refkit mail push` finds a draft already in
    /// the Drafts folder by it. It is written here, not at push time, so that the file in the
    /// kit and the message on the server are the same bytes. Addresses are assumed checked
    /// (`MailAddress.isValid`).
    public func eml() -> Data { emlAndDigest().eml }

    /// The message bytes and their `ContentDigest` for the writer (`fileDigest(of:)`), from one
    /// SHA-256 pass over the message: the Message-ID's fingerprint is the first half of it.
    func emlAndDigest() -> (eml: Data, digest: ContentDigest) {
        let content = emlWithoutMessageID()
        // As `Fingerprint().add(bytes: content)`: the length, then the bytes.
        var hasher = ContentDigest.Hasher()
        withUnsafeBytes(of: Int64(content.count).littleEndian) { hasher.update($0) }
        content.withUnsafeBytes { hasher.update($0) }
        let contentDigest = hasher.finalize()
        let line = Array(("Message-ID: " + messageID(fingerprint: String(contentDigest.hex.prefix(32))) + "\r\n").utf8)
        var out = line
        out.reserveCapacity(line.count + content.count)
        out += content
        return (Data(out), Self.fileDigest(firstLine: line, restDigest: contentDigest))
    }

    /// What identifies a draft's bytes in the manifest and in the mbox's segments: the SHA-256
    /// of its first line (the Message-ID) and of the SHA-256 of the rest, which is the hash the
    /// Message-ID is made from. It determines the bytes as their own SHA-256 does, and costs
    /// no second pass over them. For bytes read back (a draft carried over from the last build):
    /// split at the first CRLF, the rest hashed with its length in front.
    static func fileDigest(of bytes: Data) -> ContentDigest {
        let split = bytes.firstRange(of: Data("\r\n".utf8)).map(\.upperBound) ?? bytes.endIndex
        var hasher = ContentDigest.Hasher()
        let rest = bytes[split...]
        withUnsafeBytes(of: Int64(rest.count).littleEndian) { hasher.update($0) }
        hasher.update(Data(rest))
        return fileDigest(firstLine: Array(bytes[..<split]), restDigest: hasher.finalize())
    }

    private static func fileDigest(firstLine: [UInt8], restDigest: ContentDigest) -> ContentDigest {
        var hasher = ContentDigest.Hasher()
        // Its length first, so that where the line ends is never in doubt.
        withUnsafeBytes(of: Int64(firstLine.count).littleEndian) { hasher.update($0) }
        firstLine.withUnsafeBytes { hasher.update($0) }
        hasher.update(restDigest)
        return hasher.finalize()
    }

    /// `<refkit.NAME.FINGERPRINT@DOMAIN>`: NAME is the file's (the code, or a thank-you
    /// draft's line and code), so every version of one draft shares `<refkit.NAME.`, which
    /// is how `--replace` finds the older ones; FINGERPRINT (128 bits of SHA-256 over the
    /// rest of the message) changes whenever anything in it does. DOMAIN is the sender's, as
    /// RFC 5322 3.6.4 suggests, or `refkit.invalid` when there is no From.
    public func messageID(content: [UInt8]) -> String {
        var fingerprint = Fingerprint()
        fingerprint.add(bytes: content)
        return messageID(fingerprint: fingerprint.hex)
    }

    func messageID(fingerprint: String) -> String {
        let domain = from.map { String($0.address.split(separator: "@").last ?? "") }.flatMap { $0.isEmpty ? nil : $0 } ?? "refkit.invalid"
        return "<refkit.\(idName).\(fingerprint)@\(domain)>"
    }

    /// The name with only letters, digits and `-`: a Message-ID's left part is a dot-atom,
    /// and the dots are refkit's separators.
    var idName: String {
        // ASCII letters and digits are exactly the ASCII part of `CharacterSet.alphanumerics`,
        // which costs a lookup per scalar of every draft.
        let kept = name.unicodeScalars.filter { Self.isASCIIAlphanumeric($0) || $0 == "-" }
        return kept.isEmpty ? "draft" : String(String.UnicodeScalarView(kept.prefix(64)))
    }

    func emlWithoutMessageID() -> [UInt8] {
        var head = ""
        if let from { head += Self.senderLine("From", from) }
        if let replyTo { head += Self.senderLine("Reply-To", replyTo) }
        head += HeaderText.mailbox(name: "To", displayName: to.name, address: to.address)
        head += HeaderText.unstructured(name: "Subject", value: subject)
        head += "MIME-Version: 1.0\r\n"
        if let language { head += "Content-Language: \(language.rawValue)\r\n" }
        head += "X-Unsent: 1\r\n"
        let boundary = boundary
        head += HeaderText.fold(name: "Content-Type", tokens: ["multipart/alternative;", "boundary=\"\(boundary)\""])
        head += "\r\n"
        head += "This is a message in MIME format.\r\n"

        // The parts are encoded straight into one byte buffer: going through String per part
        // was most of the time left once the parts themselves were prototyped.
        var out: [UInt8] = []
        out.reserveCapacity(head.utf8.count + (text.utf8.count + html.utf8.count) * 5 / 4 + 512)
        out += head.utf8
        for (type, content) in [("text/plain", text), ("text/html", html)] {
            var bytes = Array(content.utf8)
            let encoding = TransferEncoding.choose(for: bytes)
            // As `hasSuffix("\n")` on the String: a final CRLF is one Character, not "\n".
            let n = bytes.count
            if n == 0 || bytes[n - 1] != 10 || (n >= 2 && bytes[n - 2] == 13) { bytes.append(10) }
            out += "\r\n--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: \(encoding.rawValue)\r\n\r\n".utf8
            encoding.encode(bytes, into: &out)
        }
        out += "\r\n--\(boundary)--\r\n".utf8
        return out
    }

    /// The From and Reply-To lines, the same in every draft of a build: folded and encoded
    /// once each rather than once a draft (they were a twentieth of composing one).
    static func senderLine(_ name: String, _ mailbox: Mailbox) -> String {
        let key = SenderKey(name: name, mailbox: mailbox)
        if let known = senderLines.withLock({ $0[key] }) { return known }
        let line = HeaderText.mailbox(name: name, displayName: mailbox.name, address: mailbox.address)
        // A build has one or two; a report's thank-you notes the same. The cap only guards
        // a long-running process against growing without end.
        senderLines.withLock { if $0.count < 64 { $0[key] = line } }
        return line
    }

    struct SenderKey: Hashable {
        var name: String
        var mailbox: Mailbox
    }

    private static let senderLines = Locked<[SenderKey: String]>([:])

    /// `=_` never occurs in quoted-printable (`=` is always followed by hex digits or a line
    /// end) nor in base64, so the boundary cannot collide with an encoded part.
    var boundary: String {
        let token = name.unicodeScalars.filter(Self.isASCIIAlphanumeric)
        return "=_refkit_" + String(String.UnicodeScalarView(token.prefix(40)))
    }

    static func isASCIIAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return false
        }
    }
}

/// Checks on addresses before they reach a header.
public enum MailAddress {
    /// A plain ASCII `local@domain` with nothing that could end the address or start another
    /// header. Internationalised addresses (RFC 6532) are not supported: most mail programs
    /// would not send a draft to them anyway.
    public static func isValid(_ address: String) -> Bool {
        guard address.utf8.count <= 254, !address.isEmpty else { return false }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[1].contains(".") || parts[1] == "localhost" else { return false }
        // A switch, not `"<>()…".utf8.contains`: that walked a string per byte of every
        // address of every draft (3% of composing one).
        return address.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "\\"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "\""):
                return false
            default:
                return byte > 0x20 && byte < 0x7F
            }
        }
    }

    /// An address that `isValid` refused, as a message shows it: every scalar that is not
    /// printable ASCII written as `<U+XXXX>`. The address must be plain ASCII, and what
    /// breaks it is often invisible (a zero-width space, a no-break space, a bidi override
    /// pasted with it): shown as itself, or dropped, it would read as a good address refused.
    public static func shown(_ address: String) -> String {
        var out = ""
        for scalar in address.unicodeScalars {
            if scalar.value >= 0x21 && scalar.value < 0x7F { out.unicodeScalars.append(scalar) } else { out += VisibleText.code(scalar) }
        }
        return out
    }
}
