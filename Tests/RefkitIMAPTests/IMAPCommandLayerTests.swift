import Foundation
import Testing
@testable import RefkitIMAP

@Suite("IMAP command layer")
struct IMAPCommandLayerTests {
    @Test("Values are quoted when every byte allows it, literals otherwise, and NUL is refused", arguments: [
        ("Drafts", IMAPArgument.quoted(Array("Drafts".utf8))),
        ("Dr\"a\\ft", .quoted(Array("Dr\"a\\ft".utf8))),
        ("two words", .quoted(Array("two words".utf8))),
        ("a\r\nR9 LOGOUT", .literal(Array("a\r\nR9 LOGOUT".utf8))),
        ("line\n", .literal(Array("line\n".utf8))),
        ("Entwürfe", .literal(Array("Entwürfe".utf8))),
        ("\"\u{301}", .literal(Array("\"\u{301}".utf8))),
        ("\u{202E}evil", .literal(Array("\u{202E}evil".utf8))),
    ])
    func quoting(_ value: String, _ expected: IMAPArgument) throws {
        #expect(try IMAPArgument(value, what: "x") == expected)
    }

    @Test("A NUL byte cannot be carried and is refused, naming the value")
    func nul() {
        let error = #expect(throws: IMAPError.self) { try IMAPArgument("a\u{0}b", what: "the folder name") }
        #expect(error == .unsendable(what: "the folder name", reason: "it contains a NUL byte"))
    }

    @Test("The quoted form escapes only the quote and the backslash")
    func quoteBytes() {
        #expect(String(decoding: IMAPArgument.quote(Array(#"Dr"a\ft"#.utf8)), as: UTF8.self) == #""Dr\"a\\ft""#)
    }

    @Test("A user name with CR LF goes as a literal after the server's +: no second command line appears")
    func loginLiteralWaitsForContinuation() throws {
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1] hi\r\n", "+ go on\r\n", "R1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        let error = #expect(throws: IMAPError.self) { try client.login(user: "a\" x\r\nR9 LOGOUT", password: "p\"w\\") }
        #expect(error == .refused(command: "LOGIN", status: "NO", text: "[AUTHENTICATIONFAILED] Authentication failed."))
        #expect(server.sentText == "R1 LOGIN {15}\r\na\" x\r\nR9 LOGOUT \"p\\\"w\\\\\"\r\n")
    }

    @Test("With LITERAL+ the literal goes at once, marked {n+}")
    func literalPlus() throws {
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 LITERAL+] hi\r\n", "R1 OK done\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        try client.append(to: Array("Drafts".utf8), flags: ["\\Draft", "\\Seen"], message: Array("Subject: x\r\n\r\nbody\r\n".utf8))
        #expect(server.sentText == "R1 APPEND \"Drafts\" (\\Draft \\Seen) {20+}\r\nSubject: x\r\n\r\nbody\r\n\r\n")
    }

    @Test("LITERAL- sends small literals at once and waits for + before large ones")
    func literalMinus() throws {
        let big = [UInt8](repeating: 0x61, count: 5000)
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 LITERAL-] hi\r\n", "R1 OK done\r\n", "+ Ready\r\n", "R2 OK done\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        try client.append(to: Array("Drafts".utf8), flags: [], message: Array("small".utf8))
        try client.append(to: Array("Drafts".utf8), flags: [], message: big)
        #expect(server.sentText.hasPrefix("R1 APPEND \"Drafts\" () {5+}\r\nsmall\r\nR2 APPEND \"Drafts\" () {5000}\r\naaaa"))
    }

    @Test("A NO instead of the continuation ends the APPEND with the server's words, and the message is not sent")
    func appendRefusedBeforeLiteral() throws {
        let server = ScriptedTransport(["* OK hi\r\n", "R1 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        let error = #expect(throws: IMAPError.self) {
            try client.append(to: Array("Drafts".utf8), flags: ["\\Draft"], message: Array("Subject: secret\r\n\r\n".utf8))
        }
        #expect(error == .refused(command: "APPEND", status: "NO", text: "[OVERQUOTA] Quota exceeded (mailbox for user is full)"))
        #expect(!server.sentText.contains("secret"))
    }

    @Test("Responses split across reads at every byte are framed the same, literals included")
    func framingAcrossReads() throws {
        let text = "* LIST (\\Drafts) \"/\" {7}\r\nDr\"a\nft\r\nR1 OK done\r\n"
        let server = ScriptedTransport(bytes: Array(text.utf8).map { [$0] })
        let client = IMAPClient(transport: server)
        let responses = try client.run("LIST", [.raw("LIST \"\" \"*\"")])
        guard case let .untagged("LIST", nil, rest)? = responses.first else { Issue.record("no LIST"); return }
        let mailbox = try IMAPMailbox(listData: rest)
        #expect(mailbox.wireName == Array("Dr\"a\nft".utf8))
        #expect(mailbox.has("\\drafts"))
    }

    @Test("LIST attributes and names: quoted with escapes, literal, atom, NIL delimiter, modified UTF-7", arguments: [
        (#"(\HasNoChildren \Drafts) "/" "Entw&APw-rfe &- Co""#, "Entw&APw-rfe &- Co", "Entwürfe & Co", true),
        (#"(\HasNoChildren) "/" "Dr\"a\\ft""#, #"Dr"a\ft"#, #"Dr"a\ft"#, false),
        ("(\\Drafts \\HasNoChildren) NIL {6}\r\nDrafts", "Drafts", "Drafts", true),
        (#"(\Noselect \HasChildren) "/" [Gmail]"#, "[Gmail]", "[Gmail]", false),
        (#"(\HasNoChildren \Drafts) "/" "[Gmail]/Drafts""#, "[Gmail]/Drafts", "[Gmail]/Drafts", true),
        (#"(\Drafts) "." "&Tgtm+DBN-""#, "&Tgtm+DBN-", "下書き", true),
    ])
    func listParsing(_ data: String, _ wire: String, _ shown: String, _ drafts: Bool) throws {
        let mailbox = try IMAPMailbox(listData: Array(data.utf8))
        #expect(mailbox.wireName == Array(wire.utf8))
        #expect(mailbox.shownName == shown)
        #expect(mailbox.has("\\Drafts") == drafts)
    }

    @Test("Modified UTF-7 encodes and decodes names in any script", arguments: [
        ("Drafts", "Drafts"), ("Entwürfe & Co", "Entw&APw-rfe &- Co"), ("下書き", "&Tgtm+DBN-"),
        ("Brouillons 📝", "Brouillons &2D3c3Q-"), ("&", "&-"),
    ])
    func modifiedUTF7(_ name: String, _ wire: String) {
        #expect(ModifiedUTF7.encode(name) == wire)
        #expect(ModifiedUTF7.decode(wire) == name)
    }

    @Test("Tagged, untagged and continuation responses parse with their codes")
    func responses() throws {
        #expect(try IMAPResponse(parsing: Array("+".utf8)) == .continuation(""))
        #expect(try IMAPResponse(parsing: Array("+ Ready for literal data".utf8)) == .continuation("Ready for literal data"))
        #expect(try IMAPResponse(parsing: Array("* 12 EXISTS".utf8)) == .untagged(keyword: "EXISTS", number: 12, rest: []))
        let tagged = try IMAPResponse(parsing: Array("R7 NO [AUTHENTICATIONFAILED] Authentication failed.".utf8))
        #expect(tagged == .tagged(tag: "R7", status: .no, text: IMAPText(code: "AUTHENTICATIONFAILED", text: "Authentication failed.")))
        #expect(throws: IMAPError.self) { try IMAPResponse(parsing: Array("R7 MAYBE fine".utf8)) }
        #expect(throws: IMAPError.self) { try IMAPResponse(parsing: Array("garbage".utf8)) }
    }

    @Test("A greeting that is not IMAP, or BYE, is an error with the server's words")
    func greetings() {
        let http = #expect(throws: IMAPError.self) { try IMAPClient(transport: ScriptedTransport(["HTTP/1.1 400 Bad Request\r\n"])).greeting() }
        #expect(http.map { "\($0)" }?.contains("not IMAP") == true)
        let bye = #expect(throws: IMAPError.self) { try IMAPClient(transport: ScriptedTransport(["* BYE Too many connections\r\n"])).greeting() }
        #expect(bye == .refused(command: "the connection", status: "BYE", text: "Too many connections"))
        let binary = #expect(throws: IMAPError.self) { try IMAPClient(transport: ScriptedTransport(bytes: [[0x16, 0x03, 0x01, 0x00, 0x0A, 0x0D, 0x0A]])).greeting() }
        #expect(binary != nil)
    }

    @Test("A line without end, a huge literal or lists nested without end are refused, not read into memory")
    func caps() throws {
        let endless = ScriptedTransport(bytes: Array(repeating: [UInt8](repeating: 0x41, count: 16_384), count: 8))
        let error = #expect(throws: IMAPError.self) { try IMAPClient(transport: endless).greeting() }
        #expect(error.map { "\($0)" }?.contains("longer than 65536") == true)
        var framer = IMAPFramer()
        framer.append(Array("* LIST () \"/\" {99999999999}\r\n".utf8))
        #expect(throws: IMAPError.self) { try framer.next() }
        var deep = IMAPTokenizer(Array((String(repeating: "(", count: 100) + String(repeating: ")", count: 100)).utf8))
        #expect(throws: IMAPError.self) { try deep.all() }
        var unclosed = IMAPTokenizer(Array("(\\Drafts \"/\" \"x".utf8))
        #expect(throws: IMAPError.self) { try unclosed.all() }
    }

    @Test("Bytes after STARTTLS's OK, before the handshake, are refused (STARTTLS injection)")
    func startTLSInjection() throws {
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n", "R1 OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        #expect(throws: IMAPError.self) { try client.startTLS() }
        #expect(!server.tlsStarted)
    }

    @Test("STARTTLS forgets the capabilities said in the clear and asks again over TLS")
    func startTLSForgets() throws {
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=XOAUTH2] hi\r\n", "R1 OK Begin TLS\r\n",
                                        "* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nR2 OK done\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        try client.startTLS()
        #expect(server.tlsStarted)
        #expect(client.has("AUTH=PLAIN") && !client.has("AUTH=XOAUTH2") && !client.has("STARTTLS"))
    }

    @Test("XOAUTH2: the initial response inline with SASL-IR; a refusal's base64 JSON is answered with an empty line and shown")
    func xoauth2() throws {
        let json = #"{"status":"401","schemes":"Bearer","scope":"https://mail.google.com/"}"#
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] hi\r\n",
                                        "+ \(Data(json.utf8).base64EncodedString())\r\n", "R1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        let error = #expect(throws: IMAPError.self) { try client.authenticateXOAUTH2(user: "me@example.com", token: "ya29.token") }
        let expected = Data("user=me@example.com\u{1}auth=Bearer ya29.token\u{1}\u{1}".utf8).base64EncodedString()
        #expect(server.sentText == "R1 AUTHENTICATE XOAUTH2 \(expected)\r\n\r\n")
        #expect(error.map { "\($0)" }?.contains(#""status":"401""#) == true)
        #expect(throws: IMAPError.self) { try client.authenticateXOAUTH2(user: "me\u{1}auth=x", token: "t") }
        #expect(throws: IMAPError.self) { try client.authenticateXOAUTH2(user: "me", token: "t\r\nR9 LOGOUT") }
    }

    @Test("AUTHENTICATE PLAIN waits for + without SASL-IR")
    func plainWithoutSASLIR() throws {
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] hi\r\n", "+ \r\n", "R1 OK Logged in\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        try client.authenticatePlain(user: "u", password: "p w")
        #expect(server.sentText == "R1 AUTHENTICATE PLAIN\r\n\(Data("\u{0}u\u{0}p w".utf8).base64EncodedString())\r\n")
    }

    @Test("A connection closed after BYE reports the BYE's words")
    func byeThenClose() throws {
        let server = ScriptedTransport(["* OK hi\r\n", "* BYE Server shutting down.\r\n"])
        let client = IMAPClient(transport: server)
        try client.greeting()
        let error = #expect(throws: IMAPError.self) { try client.capability() }
        #expect(error == .refused(command: "CAPABILITY", status: "BYE", text: "Server shutting down."))
    }

    @Test("UID SEARCH and FETCH read UIDs and Message-IDs, literals and folded headers included")
    func searchAndFetch() throws {
        let header = "Message-ID:\r\n <refkit.K7QM.abc@example.fr>\r\n\r\n"
        let server = ScriptedTransport(["* SEARCH 3 7 8\r\nR1 OK done\r\n",
                                        "* 1 FETCH (UID 3 BODY[HEADER.FIELDS (MESSAGE-ID)] {\(header.utf8.count)}\r\n\(header))\r\n" +
                                        "* 2 FETCH (BODY[HEADER.FIELDS (MESSAGE-ID)] \"Message-Id: <x@y>\" UID 7)\r\nR2 OK done\r\n"])
        let client = IMAPClient(transport: server)
        let uids = try client.uidSearch(header: "Message-ID", contains: "<refkit.")
        #expect(uids == [3, 7, 8])
        let ids = try client.uidFetchMessageIDs(uids)
        #expect(ids == [3: "<refkit.K7QM.abc@example.fr>", 7: "<x@y>"])
        #expect(server.sentText.hasPrefix("R1 UID SEARCH HEADER \"Message-ID\" \"<refkit.\"\r\nR2 UID FETCH 3,7:8 (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])\r\n"))
    }

    @Test("UID sets are sorted runs")
    func uidSets() {
        #expect(IMAPClient.uidSet([9, 1, 2, 3, 7, 10, 2]) == "1:3,7,9:10")
        #expect(IMAPClient.uidSet([5]) == "5")
    }

    @Test("Server addresses: imaps and imap with their default ports; anything else is refused", arguments: [
        ("imaps://imap.gmail.com", "imaps://imap.gmail.com:993"),
        ("imap://127.0.0.1:1143", "imap://127.0.0.1:1143"),
        ("IMAPS://mail.example.com:10993/", "imaps://mail.example.com:10993"),
        ("imaps://[::1]", "imaps://[::1]:993"),
    ])
    func addresses(_ text: String, _ shown: String) throws {
        #expect(try IMAPServerAddress.parse(text).get().description == shown)
    }

    @Test("Bad server addresses say what to write", arguments: [
        "imap.gmail.com", "https://imap.gmail.com", "imaps://", "imaps://user@host", "imaps://host/INBOX", "pop3://host",
    ])
    func badAddresses(_ text: String) {
        guard case let .failure(error) = IMAPServerAddress.parse(text) else { Issue.record("\(text) accepted"); return }
        #expect(error.message.contains("imaps://"))
    }

    @Test("A draft's key is its Message-ID up to the fingerprint; ids refkit did not make have none")
    func draftKeys() {
        #expect(DraftFile(path: "", bytes: [], messageID: "<refkit.K7QM4TZ9X.0123abcd@example.fr>").key == "<refkit.K7QM4TZ9X.")
        #expect(DraftFile(path: "", bytes: [], messageID: "<refkit.00012-K7QM.ff@refkit.invalid>").key == "<refkit.00012-K7QM.")
        #expect(DraftFile(path: "", bytes: [], messageID: "<CAF=abc@mail.gmail.com>").key == nil)
        #expect(DraftFile.messageID(in: Array("From: a@b.c\r\nMessage-ID: <refkit.X.1@b.c>\r\n\r\nMessage-ID: <no@body>\r\n".utf8)) == "<refkit.X.1@b.c>")
        #expect(DraftFile.messageID(in: Array("From: a@b.c\r\n\r\nMessage-ID: <no@body>\r\n".utf8)) == nil)
    }

    @Test("Host names match DNS names by RFC 6125: case and a final dot ignored, * for the whole leftmost label only", arguments: [
        ("imap.gmail.com", "imap.gmail.com", true),
        ("IMAP.Gmail.com.", "imap.gmail.com", true),
        ("imap.gmail.com", "*.gmail.com", true),
        ("gmail.com", "*.gmail.com", false),
        ("a.b.gmail.com", "*.gmail.com", false),
        ("imap.gmail.com", "*.com", false),
        ("imap.gmail.com", "im*.gmail.com", false),
        ("localhost", "localhost", true),
        ("localhost", "127.0.0.1", false),
        ("evil.example", "imap.gmail.com", false),
        ("imap.gmail.com", "imap.gmail.com.evil.example", false),
    ])
    func hostNames(_ host: String, _ dnsName: String, _ expected: Bool) {
        #expect(HostIdentity.matches(host: host, dnsName: dnsName) == expected)
    }

    /// A push of `drafts` to a scripted server with `--folder Drafts`, its login taken for granted.
    static func scriptedPush(_ drafts: [DraftFile], server lines: [String], dryRun: Bool = true, replace: Bool = false,
                             log: PushLog? = nil) throws(IMAPError) -> (ScriptedTransport, DraftPush.Summary) {
        let transport = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR LITERAL+ UIDPLUS] hi\r\n", "R1 OK in\r\n",
                                           "* CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS\r\nR2 OK done\r\n", "R3 OK done\r\n"] + lines)
        nonisolated(unsafe) let shared = transport
        let push = DraftPush(options: .init(server: IMAPServerAddress(host: "imap.example.com", port: 993, security: .tls), user: "u",
                                            credential: .password("p"), folder: "Drafts", dryRun: dryRun, replace: replace),
                             log: log, connect: { _, _ throws(IMAPError) in shared })
        var summary = DraftPush.Summary()
        try push.run(drafts, summary: &summary)
        return (transport, summary)
    }

    @Test("The drafts already there are searched by their whole Message-IDs (OR-ed), never by the fragment <refkit.")
    func exactMessageIDSearch() throws {
        let drafts = ["<refkit.A.1@x.fr>", "<refkit.B.2@x.fr>", "<refkit.C.3@x.fr>"].map { DraftFile(path: $0, bytes: [], messageID: $0) }
        let (server, summary) = try Self.scriptedPush(drafts, server: [
            "* SEARCH 7\r\nR4 OK done\r\n",
            "* 7 FETCH (UID 7 BODY[HEADER.FIELDS (MESSAGE-ID)] {31}\r\nMessage-ID: <refkit.B.2@x.fr>\r\n)\r\nR5 OK done\r\n",
            "R6 OK bye\r\n",
        ])
        #expect(server.sentText.contains(#"R4 UID SEARCH OR HEADER Message-ID "<refkit.A.1@x.fr>" OR HEADER Message-ID "<refkit.B.2@x.fr>" HEADER Message-ID "<refkit.C.3@x.fr>"\#r\#n"#),
                "\(server.sentText)")
        #expect(!server.sentText.contains(#""<refkit.""#))
        #expect(summary.alreadyThere == 1 && summary.uploaded == 2)
    }

    @Test("A command answered by untagged responses without end is cut off at the budget, by count or by bytes")
    func untaggedBudget() throws {
        for (count, bytes, words) in [(1_000, 64 << 20, "more than 1000 responses"), (100_000, 100_000, "more than 100000 bytes of responses")] {
            let flood = FloodTransport()
            var limits = IMAPClient.Limits()
            limits.untaggedResponses = count
            limits.untaggedBytes = bytes
            let client = IMAPClient(transport: flood, limits: limits)
            let error = #expect(throws: IMAPError.self) { try client.list() }
            #expect(error.map { "\($0)" }?.contains("answered LIST with \(words)") == true, "\(String(describing: error))")
            #expect(flood.served < 2_000_000, "read \(flood.served) bytes")
        }
    }

    @Test("A deadline already past ends the command with timedOut, even while bytes keep coming")
    func deadline() throws {
        let flood = FloodTransport()
        var limits = IMAPClient.Limits()
        limits.seconds = -1
        let error = #expect(throws: IMAPError.self) { try IMAPClient(transport: flood, limits: limits).list() }
        #expect(error == .timedOut(during: "LIST"))
    }

    @Test("A server that echoes the login in its refusal never gets the password, token or SASL message shown", arguments: ["PLAIN", "LOGIN", "XOAUTH2"])
    func credentialsRedacted(_ how: String) throws {
        let password = "s3cret pass", token = "ya29.TOKENtokenTOKEN"
        let plain = Data("\u{0}pusher@example.com\u{0}\(password)".utf8).base64EncodedString()
        let xoauth = Data("user=pusher@example.com\u{1}auth=Bearer \(token)\u{1}\u{1}".utf8).base64EncodedString()
        // Echoes of everything sent, and for XOAUTH2 a second + carrying the token back.
        let echo = "R1 NO [AUTHENTICATIONFAILED] rejected: PLAIN \(plain) LOGIN pusher@example.com \"\(password)\" \(xoauth) \(token)\r\n"
        let lines = how == "XOAUTH2" ? ["+ \(Data("{\"token\":\"\(token)\"}".utf8).base64EncodedString())\r\n", echo] : [echo]
        let server = ScriptedTransport(["* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN AUTH=XOAUTH2] hi\r\n"] + lines)
        let client = IMAPClient(transport: server)
        try client.greeting()
        let error = #expect(throws: IMAPError.self) {
            switch how {
            case "PLAIN": try client.authenticatePlain(user: "pusher@example.com", password: password)
            case "LOGIN": try client.login(user: "pusher@example.com", password: password)
            default: try client.authenticateXOAUTH2(user: "pusher@example.com", token: token)
            }
        }
        let shown = try #require(error.map { "\($0)" })
        #expect(shown.contains("the server refused the login (NO): [AUTHENTICATIONFAILED] rejected:"), "\(shown)")
        #expect(shown.contains("***"), "\(shown)")
        let secret = how == "XOAUTH2" ? token : password
        let blob = how == "XOAUTH2" ? xoauth : plain
        // LOGIN sends no SASL message: only the password can come back.
        for leak in how == "LOGIN" ? [password] : [secret, blob, String(blob.prefix(12))] {
            #expect(!shown.contains(leak), "\(shown) shows \(leak)")
        }
    }

    @Test("A password in --server is refused without being shown, and says where a password goes")
    func passwordInAddress() {
        for text in ["imaps://pusher:Sup3rSecret@127.0.0.1:993", "imap://a%40b:Sup3rSecret@host/INBOX"] {
            guard case let .failure(error) = IMAPServerAddress.parse(text) else { Issue.record("\(text) accepted"); continue }
            #expect(!error.message.contains("Sup3rSecret") && !error.message.contains("pusher"), "\(error.message)")
            #expect(error.message.contains("REFKIT_IMAP_PASSWORD"), "\(error.message)")
        }
        guard case let .failure(user) = IMAPServerAddress.parse("imaps://pusher@host") else { Issue.record("accepted"); return }
        #expect(!user.message.contains("pusher") && user.message.contains("--user"), "\(user.message)")
    }

    @Test("--replace finds the older versions the push log lists by their whole ids, even when the server finds nothing for the fragment <refkit.")
    func replaceFromLog() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-pushlog-\(UUID().uuidString.prefix(8)).csv")
        let log = try PushLog(file: file, shownPath: "kit/mail/pushed.csv")
        log.record("<refkit.A.1@x.fr>", at: PushLog.Place(server: "imap.example.com:993", user: "u", folder: "Drafts"))
        let (server, summary) = try Self.scriptedPush([DraftFile(path: "a", bytes: [], messageID: "<refkit.A.2@x.fr>")], server: [
            "* SEARCH\r\nR4 OK done\r\n",
            "* SEARCH 5\r\nR5 OK done\r\n",
            "* SEARCH\r\nR6 OK done\r\n",
            "* 1 FETCH (UID 5 BODY[HEADER.FIELDS (MESSAGE-ID)] {31}\r\nMessage-ID: <refkit.A.1@x.fr>\r\n)\r\nR7 OK done\r\n",
            "R8 OK bye\r\n",
        ], replace: true, log: log)
        #expect(server.sentText.contains(#"R5 UID SEARCH HEADER Message-ID "<refkit.A.1@x.fr>"\#r\#n"#), "\(server.sentText)")
        #expect(summary.replaced == 1 && summary.uploaded == 1, "\(summary)")
    }

    @Test("The transport's inbox asks the channel to stop reading once it holds 1 MiB, and to read again once drained")
    func inboxBackpressure() {
        final class Resumed: @unchecked Sendable { var count = 0 }
        let resumed = Resumed()
        let inbox = Inbox()
        inbox.resumeReading = { resumed.count += 1 }
        let chunk = [UInt8](repeating: 0x41, count: 256 << 10)
        let pauses = (0..<8).map { _ in inbox.append(chunk) }
        #expect(pauses == [false, false, false, true, false, false, false, false])
        guard case let .bytes(bytes) = inbox.take(until: .distantFuture) else { Issue.record("no bytes"); return }
        #expect(bytes.count == 8 * chunk.count)
        #expect(resumed.count == 1)
        #expect(inbox.append(chunk) == false)
    }
}

/// A server that answers every read with more LIST responses, without end.
final class FloodTransport: IMAPTransport {
    private(set) var served = 0
    func send(_ bytes: [UInt8]) throws(IMAPError) {}
    func receive(during: String, until deadline: Date) throws(IMAPError) -> [UInt8] {
        let chunk = Array(String(repeating: "* LIST () \"/\" \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\r\n", count: 100).utf8)
        served += chunk.count
        return chunk
    }
    func startTLS() throws(IMAPError) {}
    func close() {}
}
