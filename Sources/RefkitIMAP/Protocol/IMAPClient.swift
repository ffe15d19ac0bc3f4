import Foundation

/// The IMAP command layer refkit needs (RFC 3501, with LITERAL+ 7888, SASL-IR 4959, UIDPLUS
/// 4315 and SPECIAL-USE 6154): one command at a time, each waiting for its tagged answer.
/// Every user-supplied value goes through `IMAPArgument`, so none can end a command line.
public final class IMAPClient {
    /// A command's pieces: protocol text refkit writes itself, and arguments it quotes.
    public enum Part: Equatable {
        case raw(String)
        case argument(IMAPArgument)
    }

    private let transport: any IMAPTransport
    private var framer = IMAPFramer()
    private var tagNumber = 0
    /// Upper case, from CAPABILITY answers and `[CAPABILITY ...]` codes.
    public private(set) var capabilities: Set<String> = []

    /// What one command may take, whatever the server does: the framer caps each response,
    /// these cap them all together, so a server that answers LIST or FETCH with responses
    /// without end, or trickles a byte now and then, gets an error instead of refkit's memory
    /// or all of its time.
    public struct Limits: Sendable {
        /// Untagged responses to one command. Honest answers are far smaller: a LIST of every
        /// folder, a FETCH of 500 Message-IDs, one SEARCH line.
        public var untaggedResponses = 100_000
        /// Their bytes in all.
        public var untaggedBytes = 64 << 20
        /// Seconds for the greeting and for each command's whole answer (REFKIT_IMAP_TIMEOUT).
        public var seconds: TimeInterval = 60
        /// Added for each byte an APPEND uploads: 50 KB/s is slow even for a poor connection.
        public var secondsPerUploadedByte: TimeInterval = 1.0 / 50_000

        public init(seconds: TimeInterval = 60) { self.seconds = seconds }
    }

    public var limits: Limits
    /// The current command's: its deadline, and what its untagged responses have used so far.
    private var deadline = Date.distantFuture
    private var untaggedCount = 0
    private var untaggedBytes = 0

    /// What refkit sent to log in (the password or token, and the SASL message in base64):
    /// servers and proxies have been seen to echo the failed command in their answer, and
    /// refkit shows the server's words in errors, which end up in terminals, CI logs and bug
    /// reports. Each is replaced with `***` before anything is shown.
    private var secrets: [String] = []

    public init(transport: any IMAPTransport, limits: Limits = Limits()) {
        self.transport = transport
        self.limits = limits
    }

    /// Secrets shorter than 4 bytes are left alone: they would blank out ordinary words.
    private func keepSecret(_ secret: String) {
        if secret.utf8.count >= 4 { secrets.append(secret) }
    }

    /// The server's words as shown, with every secret sent replaced before the text is cut to
    /// length (a cut secret would still show its start).
    func shown(_ text: IMAPText) -> String {
        IMAPText.shown(redacted((text.codeName.map { "[\($0)] " } ?? "") + text.text))
    }

    func redacted(_ text: String) -> String {
        secrets.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }

    /// A command starts: a fresh deadline (longer for `uploading` bytes) and budget.
    private func begin(uploading bytes: Int = 0) {
        deadline = Date(timeIntervalSinceNow: limits.seconds + Double(bytes) * limits.secondsPerUploadedByte)
        untaggedCount = 0
        untaggedBytes = 0
    }

    public func has(_ capability: String) -> Bool { capabilities.contains(capability.uppercased()) }

    // MARK: Reading

    /// The next whole response, reading as much as it needs.
    func nextResponse(during: String) throws(IMAPError) -> IMAPResponse {
        while true {
            if let line = try framer.next() {
                let response = try IMAPResponse(parsing: line)
                if case .untagged = response {
                    untaggedCount += 1
                    untaggedBytes += line.count
                    if untaggedCount > limits.untaggedResponses {
                        throw .protocolViolation("it answered \(during) with more than \(limits.untaggedResponses) responses; refkit stopped reading")
                    }
                    if untaggedBytes > limits.untaggedBytes {
                        throw .protocolViolation("it answered \(during) with more than \(limits.untaggedBytes) bytes of responses; refkit stopped reading")
                    }
                }
                note(response)
                return response
            }
            // Checked here too: a server that never pauses would keep every read non-empty.
            guard Date() < deadline else { throw .timedOut(during: during) }
            framer.append(try transport.receive(during: during, until: deadline))
        }
    }

    /// Capabilities announced in passing.
    private func note(_ response: IMAPResponse) {
        switch response {
        case let .untagged(keyword, _, rest) where keyword == "CAPABILITY":
            capabilities = Set(String(decoding: rest, as: UTF8.self).split(separator: " ").map { $0.uppercased() })
        case let .untagged(keyword, _, rest) where ["OK", "PREAUTH"].contains(keyword):
            noteCode(IMAPText(rest[...]))
        case let .tagged(_, .ok, text):
            noteCode(text)
        default:
            break
        }
    }

    private func noteCode(_ text: IMAPText) {
        guard text.codeName == "CAPABILITY", let code = text.code else { return }
        capabilities = Set(code.split(separator: " ").dropFirst().map { $0.uppercased() })
    }

    /// The server's first words: `* OK` or `* PREAUTH`; `* BYE` (busy, banned) is a refusal,
    /// anything else is not an IMAP server.
    @discardableResult
    public func greeting() throws(IMAPError) -> IMAPResponse {
        let response: IMAPResponse
        begin()
        do { response = try nextResponse(during: "the greeting") } catch let .protocolViolation(what) {
            throw .protocolViolation("its greeting is not IMAP (\(what))")
        }
        switch response {
        case let .untagged(keyword, nil, rest) where keyword == "OK" || keyword == "PREAUTH":
            _ = rest
            return response
        case let .untagged("BYE", nil, rest):
            throw .refused(command: "the connection", status: "BYE", text: IMAPText(rest[...]).shown)
        default:
            throw .protocolViolation("its greeting is not IMAP")
        }
    }

    // MARK: Commands

    /// Sends one command and reads up to its tagged answer; returns the untagged responses.
    /// Literals go inline with LITERAL+ (or LITERAL- up to 4 KiB), else after the server's `+`.
    @discardableResult
    public func run(_ name: String, _ parts: [Part]) throws(IMAPError) -> [IMAPResponse] {
        tagNumber += 1
        let tag = "R\(tagNumber)"
        var untagged: [IMAPResponse] = []
        var pending = Array("\(tag) ".utf8)
        var uploading = 0
        for case let .argument(.literal(bytes)) in parts { uploading += bytes.count }
        begin(uploading: uploading)
        for part in parts {
            switch part {
            case let .raw(text):
                pending += text.utf8
            case let .argument(.quoted(bytes)):
                pending += IMAPArgument.quote(bytes)
            case let .argument(.literal(bytes)):
                if has("LITERAL+") || (has("LITERAL-") && bytes.count <= 4096) {
                    pending += "{\(bytes.count)+}\r\n".utf8
                } else {
                    pending += "{\(bytes.count)}\r\n".utf8
                    try transport.send(pending)
                    pending = []
                    try awaitContinuation(tag: tag, name: name, untagged: &untagged)
                }
                pending += bytes
            }
        }
        pending += "\r\n".utf8
        try transport.send(pending)
        return try finish(tag: tag, name: name, untagged: untagged)
    }

    /// Reads until the server asks for the literal (`+`); its tagged NO or BAD instead ends the
    /// command.
    private func awaitContinuation(tag: String, name: String, untagged: inout [IMAPResponse]) throws(IMAPError) {
        while true {
            let response = try readCommandResponse(name: name, untagged: &untagged)
            switch response {
            case .continuation: return
            case let .tagged(t, status, text) where t == tag:
                throw .refused(command: name, status: status.rawValue, text: shown(text))
            case .tagged:
                throw .protocolViolation("an answer to a command refkit did not send")
            case .untagged:
                untagged.append(response)
            }
        }
    }

    private func finish(tag: String, name: String, untagged: [IMAPResponse]) throws(IMAPError) -> [IMAPResponse] {
        var untagged = untagged
        while true {
            let response = try readCommandResponse(name: name, untagged: &untagged)
            switch response {
            case let .tagged(t, status, text) where t == tag:
                guard status == .ok else { throw .refused(command: name, status: status.rawValue, text: shown(text)) }
                return untagged
            case .tagged:
                throw .protocolViolation("an answer to a command refkit did not send")
            case .continuation:
                throw .protocolViolation("a request for more data that refkit did not announce")
            case .untagged:
                untagged.append(response)
            }
        }
    }

    /// A response; when the connection ends after an untagged BYE, the BYE's words.
    private func readCommandResponse(name: String, untagged: inout [IMAPResponse]) throws(IMAPError) -> IMAPResponse {
        do {
            return try nextResponse(during: name)
        } catch let .connectionClosed(during) {
            for case let .untagged("BYE", _, rest) in untagged.reversed() {
                throw .refused(command: name, status: "BYE", text: shown(IMAPText(rest[...])))
            }
            throw .connectionClosed(during: during)
        }
    }

    public func capability() throws(IMAPError) {
        try run("CAPABILITY", [.raw("CAPABILITY")])
    }

    /// STARTTLS, then TLS on the same connection and a fresh CAPABILITY (RFC 3501 6.2.1: the
    /// old list must be forgotten). Bytes the server sent after its OK, before the handshake,
    /// would be read as if they came over TLS (the STARTTLS injection attack): refused.
    public func startTLS() throws(IMAPError) {
        try run("STARTTLS", [.raw("STARTTLS")])
        guard framer.pending == 0 else {
            throw .protocolViolation("it sent data after agreeing to STARTTLS, before the TLS handshake")
        }
        try transport.startTLS()
        capabilities = []
        try capability()
    }

    public func login(user: String, password: String) throws(IMAPError) {
        keepSecret(password)
        keepSecret(String(decoding: IMAPArgument.quote(Array(password.utf8)), as: UTF8.self))
        try run("LOGIN", [.raw("LOGIN "), .argument(IMAPArgument(user, what: "the user name")), .raw(" "),
                          .argument(IMAPArgument(password, what: "the password"))])
    }

    /// AUTHENTICATE PLAIN (RFC 4616): `\0user\0password`, which is why NUL is refused in both.
    public func authenticatePlain(user: String, password: String) throws(IMAPError) {
        guard !user.utf8.contains(0) else { throw .unsendable(what: "the user name", reason: "it contains a NUL byte") }
        guard !password.utf8.contains(0) else { throw .unsendable(what: "the password", reason: "it contains a NUL byte") }
        keepSecret(password)
        try authenticate("PLAIN", [0] + Array(user.utf8) + [0] + Array(password.utf8))
    }

    /// AUTHENTICATE XOAUTH2 (Google's and Microsoft's SASL for OAuth 2.0 bearer tokens):
    /// `user=USER^Aauth=Bearer TOKEN^A^A`. A ^A or a control character in either would forge
    /// the message, so both are refused.
    public func authenticateXOAUTH2(user: String, token: String) throws(IMAPError) {
        guard !user.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw .unsendable(what: "the user name", reason: "it contains a control character")
        }
        guard !token.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) else {
            throw .unsendable(what: "the token in REFKIT_IMAP_TOKEN", reason: "it contains a space, a control character or a non-ASCII byte")
        }
        keepSecret(token)
        try authenticate("XOAUTH2", Array("user=\(user)\u{1}auth=Bearer \(token)\u{1}\u{1}".utf8))
    }

    /// The initial response goes on the command line with SASL-IR, else after the first `+`.
    /// A second `+` carries the server's error (XOAUTH2 sends a base64 JSON document): refkit
    /// answers with an empty line, as the mechanism expects, and reports the decoded words.
    func authenticate(_ mechanism: String, _ initial: [UInt8]) throws(IMAPError) {
        let name = "AUTHENTICATE \(mechanism)"
        tagNumber += 1
        let tag = "R\(tagNumber)"
        let encoded = Data(initial).base64EncodedString()
        keepSecret(encoded)
        var sent = has("SASL-IR")
        begin()
        try transport.send(Array((sent ? "\(tag) AUTHENTICATE \(mechanism) \(encoded.isEmpty ? "=" : encoded)\r\n" : "\(tag) AUTHENTICATE \(mechanism)\r\n").utf8))
        var challenge = ""
        var untagged: [IMAPResponse] = []
        while true {
            switch try readCommandResponse(name: name, untagged: &untagged) {
            case let .continuation(text):
                if sent {
                    challenge = Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? text
                    try transport.send(Array("\r\n".utf8))
                } else {
                    sent = true
                    try transport.send(Array((encoded + "\r\n").utf8))
                }
            case let .tagged(t, status, text) where t == tag:
                guard status == .ok else {
                    let words = challenge.isEmpty ? shown(text) : shown(text) + " " + IMAPText.shown(redacted(challenge))
                    throw .refused(command: name, status: status.rawValue, text: words)
                }
                return
            case .tagged:
                throw .protocolViolation("an answer to a command refkit did not send")
            case let response:
                untagged.append(response)
            }
        }
    }

    /// Every mailbox with its attributes (`LIST "" "*"`; servers that know RFC 6154 mark the
    /// Drafts folder `\Drafts` in it).
    public func list() throws(IMAPError) -> [IMAPMailbox] {
        let responses = try run("LIST", [.raw(#"LIST "" "*""#)])
        var out: [IMAPMailbox] = []
        for case let .untagged(keyword, _, rest) in responses where keyword == "LIST" {
            out.append(try IMAPMailbox(listData: rest))
        }
        return out
    }

    /// SELECT (or EXAMINE, read-only, for a dry run).
    public func select(_ mailbox: [UInt8], readOnly: Bool = false) throws(IMAPError) {
        let verb = readOnly ? "EXAMINE" : "SELECT"
        try run(verb, [.raw(verb + " "), .argument(IMAPArgument(mailbox, what: "the folder name"))])
    }

    /// UIDs of the selected mailbox's messages whose header `field` contains `value`.
    public func uidSearch(header field: String, contains value: String) throws(IMAPError) -> [UInt32] {
        let responses = try run("UID SEARCH", [.raw("UID SEARCH HEADER "), .argument(IMAPArgument(field, what: "the header name")),
                                               .raw(" "), .argument(IMAPArgument(value, what: "the searched text"))])
        var uids: [UInt32] = []
        for case let .untagged(keyword, _, rest) in responses where keyword == "SEARCH" {
            uids += String(decoding: rest, as: UTF8.self).split(separator: " ").compactMap { UInt32($0) }
        }
        return uids
    }

    /// UIDs of the selected mailbox's messages whose Message-ID is one of `ids`, each searched
    /// whole (`OR HEADER Message-ID "<id1>" OR ...`, 25 to a command). A fragment such as
    /// `<refkit.` finds nothing on servers whose search matches whole words (Gmail, Dovecot with
    /// a full-text plugin), and every push would then upload everything again.
    public func uidSearch(messageIDs ids: [String]) throws(IMAPError) -> [UInt32] {
        var uids: [UInt32] = []
        for start in stride(from: 0, to: ids.count, by: 25) {
            let batch = ids[start..<min(start + 25, ids.count)]
            var parts: [Part] = [.raw("UID SEARCH ")]
            for (offset, id) in batch.enumerated() {
                parts.append(.raw(offset + 1 < batch.count ? "OR HEADER Message-ID " : "HEADER Message-ID "))
                parts.append(.argument(try IMAPArgument(id, what: "a Message-ID")))
                if offset + 1 < batch.count { parts.append(.raw(" ")) }
            }
            for case let .untagged(keyword, _, rest) in try run("UID SEARCH", parts) where keyword == "SEARCH" {
                uids += String(decoding: rest, as: UTF8.self).split(separator: " ").compactMap { UInt32($0) }
            }
        }
        return uids
    }

    /// The Message-ID of each of these messages, by UID, fetched in batches.
    public func uidFetchMessageIDs(_ uids: [UInt32]) throws(IMAPError) -> [UInt32: String] {
        var out: [UInt32: String] = [:]
        for start in stride(from: 0, to: uids.count, by: 500) {
            let batch = Array(uids[start..<min(start + 500, uids.count)])
            let responses = try run("UID FETCH", [.raw("UID FETCH \(Self.uidSet(batch)) (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")])
            for case let .untagged(keyword, _, rest) in responses where keyword == "FETCH" {
                var tokenizer = IMAPTokenizer(rest)
                guard case let .list(items)? = try tokenizer.all().first else { continue }
                var uid: UInt32?
                var header: [UInt8]?
                var index = 0
                while index + 1 < items.count {
                    let key = items[index].text?.uppercased() ?? ""
                    if key == "UID" { uid = items[index + 1].text.flatMap { UInt32($0) } }
                    if key.hasPrefix("BODY[") { header = items[index + 1].bytes }
                    index += 2
                }
                if let uid, let header, let id = Self.messageID(inHeader: header) { out[uid] = id }
            }
        }
        return out
    }

    /// APPEND with flags; the message is always a literal.
    public func append(to mailbox: [UInt8], flags: [String], message: [UInt8]) throws(IMAPError) {
        guard !message.contains(0) else { throw .unsendable(what: "the draft", reason: "it contains a NUL byte") }
        try run("APPEND", [.raw("APPEND "), .argument(IMAPArgument(mailbox, what: "the folder name")),
                           .raw(" (\(flags.joined(separator: " "))) "), .argument(.literal(message))])
    }

    /// Flags these messages `\Deleted`.
    public func uidStoreDeleted(_ uids: [UInt32]) throws(IMAPError) {
        guard !uids.isEmpty else { return }
        try run("UID STORE", [.raw("UID STORE \(Self.uidSet(uids)) +FLAGS.SILENT (\\Deleted)")])
    }

    /// Removes exactly these messages (UIDPLUS); plain EXPUNGE would also remove whatever else
    /// the user had flagged `\Deleted` in the folder.
    public func uidExpunge(_ uids: [UInt32]) throws(IMAPError) {
        guard !uids.isEmpty else { return }
        try run("UID EXPUNGE", [.raw("UID EXPUNGE \(Self.uidSet(uids))")])
    }

    /// LOGOUT, then the connection is closed; errors no longer matter at that point.
    public func logout() {
        _ = try? run("LOGOUT", [.raw("LOGOUT")])
        transport.close()
    }

    /// `1:3,7,9:10`: sorted, runs as ranges.
    static func uidSet(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end == index ? "\(sorted[index])" : "\(sorted[index]):\(sorted[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }

    /// The value of the Message-ID field in a header block, unfolded and trimmed.
    static func messageID(inHeader bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: " ")
            .replacingOccurrences(of: "\r\n\t", with: " ")
        for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            if line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "message-id" {
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }
}
