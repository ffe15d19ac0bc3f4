import Foundation
import RefkitTestSupport
import Testing

/// `refkit mail push` against a real Dovecot started by each test on loopback (IMAPS, and
/// STARTTLS on plain IMAP), read back with Python's imaplib and email packages. Serialized:
/// each test starts its own server, and two at once would only compete for the two cores.
@Suite("refkit mail push", .serialized)
struct MailPushTests {
    /// A built sample project: its invitation drafts are what gets pushed.
    static func builtSample() throws -> URL {
        let root = try CLI.sampleProject(prefix: "refkit-push")
        let built = try CLI.refkit(["build", "--root", root.path, "--now", "2026-12-01"])
        try #require(built.status == 0, "\(built.output)")
        return root
    }

    static func emlCount(_ folder: URL) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    static func push(_ root: URL, _ server: String, _ dovecot: Dovecot, password: String? = nil, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.refkit(["mail", "push", "--root", root.path, "--server", server, "--user", dovecot.user,
                        "--ca-file", dovecot.caFile.path] + extra,
                       environment: ["REFKIT_IMAP_PASSWORD": password ?? dovecot.password])
    }

    /// What the folder holds, read by Python's imaplib over IMAPS and compared with the kit's
    /// `.eml` files under `kit` by Python's email package: per Message-ID how many copies,
    /// their flags, and every difference in bytes, headers or part contents.
    struct ReadBack: Decodable {
        var count: Int
        var ids: [String: Int]
        var flags: [String: String]
        var mismatch: [String]
    }

    static func readBack(_ dovecot: Dovecot, mailbox: String = "Drafts", kit: URL) throws -> ReadBack {
        let script = #"""
        import email, email.policy, glob, imaplib, json, os, re, ssl, sys
        port, ca, user, pw, mailbox, kit = sys.argv[1:7]
        m = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=ssl.create_default_context(cafile=ca))
        m.login(user, pw)
        typ, data = m.select(mailbox, readonly=True)
        assert typ == "OK", (typ, data)
        files = {}
        for path in sorted(glob.glob(os.path.join(kit, "**", "*.eml"), recursive=True)):
            raw = open(path, "rb").read()
            files[email.message_from_bytes(raw, policy=email.policy.default)["Message-ID"]] = (os.path.relpath(path, kit), raw)
        typ, data = m.uid("SEARCH", None, "ALL")
        uids = data[0].split()
        out = {"count": len(uids), "ids": {}, "flags": {}, "mismatch": []}
        for uid in uids:
            typ, data = m.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = data[0][1]
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            mid = str(msg["Message-ID"])
            out["ids"][mid] = out["ids"].get(mid, 0) + 1
            typ, data = m.uid("FETCH", uid, "(FLAGS)")
            out["flags"][mid] = re.search(rb"FLAGS \(([^)]*)\)", data[0]).group(1).decode()
            if mid not in files:
                out["mismatch"].append(mid + ": no such draft in the kit")
                continue
            path, expected = files[mid]
            if raw != expected:
                out["mismatch"].append(path + ": bytes differ")
            want = email.message_from_bytes(expected, policy=email.policy.default)
            if [(k, str(v)) for k, v in want.items()] != [(k, str(v)) for k, v in msg.items()]:
                out["mismatch"].append(path + ": headers differ")
            got_parts = [p.get_content() for p in msg.walk() if not p.is_multipart()]
            want_parts = [p.get_content() for p in want.walk() if not p.is_multipart()]
            if got_parts != want_parts or len(want_parts) != 2:
                out["mismatch"].append(path + ": parts differ")
        print(json.dumps(out))
        """#
        let result = try CLI.run("python3", ["-c", script, String(dovecot.imapsPort), dovecot.caFile.path, dovecot.user,
                                             dovecot.password, mailbox, kit.path])
        try #require(result.status == 0, "\(result.output)")
        return try JSONDecoder().decode(ReadBack.self, from: Data(result.stdout.utf8))
    }

    @Test("Over IMAPS every draft lands once in the \\Drafts folder, flagged \\Draft and \\Seen, identical to its .eml; a second push uploads nothing")
    func imapsPushAndRepeat() throws {
        let dovecot = try Dovecot()
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let drafts = root.appendingPathComponent("kit/mail/drafts")
        let n = Self.emlCount(drafts)
        try #require(n >= 10)
        let server = "imaps://127.0.0.1:\(dovecot.imapsPort)"

        let first = try Self.push(root, server, dovecot)
        #expect(first.status == 0, "\(first.output)\n\(dovecot.log)")
        #expect(first.stdout.contains("Drafts: \(n) uploaded, 0 already there, 0 failed"), "\(first.output)")
        #expect(first.stdout.contains("Nothing was sent"))
        let back = try Self.readBack(dovecot, kit: drafts)
        #expect(back.count == n)
        #expect(back.ids.count == n && back.ids.values.allSatisfy { $0 == 1 })
        #expect(back.mismatch.isEmpty, "\(back.mismatch)")
        #expect(back.flags.values.allSatisfy { $0.contains("\\Draft") && $0.contains("\\Seen") }, "\(back.flags)")

        let second = try Self.push(root, server, dovecot)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.stdout.contains("Drafts: 0 uploaded, \(n) already there, 0 failed"), "\(second.output)")
        #expect(try Self.readBack(dovecot, kit: drafts).count == n)
    }

    @Test("Over STARTTLS with LITERAL- (drafts wait for the server's +) into a localised \\Drafts folder; a changed draft is uploaded once and --replace leaves one copy")
    func startTLSChangedAndReplace() throws {
        let dovecot = try Dovecot(drafts: "Entwürfe & Co", literalMinus: true)
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let drafts = root.appendingPathComponent("kit/mail/drafts")
        let n = Self.emlCount(drafts)
        let server = "imap://127.0.0.1:\(dovecot.imapPort)"
        let mailbox = "\"Entw&APw-rfe &- Co\""

        let first = try Self.push(root, server, dovecot)
        #expect(first.status == 0, "\(first.output)\n\(dovecot.log)")
        #expect(first.stdout.contains("Entwürfe & Co: \(n) uploaded"), "\(first.output)")
        #expect(dovecot.log.contains("TLS"), "the login was not over TLS")
        #expect(try Self.readBack(dovecot, mailbox: mailbox, kit: drafts).mismatch.isEmpty)

        // One referrer's name changes: that draft's content, and so its Message-ID, changes.
        let csv = root.appendingPathComponent("content/referrers.csv")
        let text = try String(contentsOf: csv, encoding: .utf8)
        try text.replacingOccurrences(of: "Léa Fontaine", with: "Léa Fontaine-Dubois").write(to: csv, atomically: true, encoding: .utf8)
        let rebuilt = try CLI.refkit(["build", "--root", root.path, "--now", "2026-12-01"])
        try #require(rebuilt.status == 0, "\(rebuilt.output)")

        let changed = try Self.push(root, server, dovecot)
        #expect(changed.stdout.contains(": 1 uploaded, \(n - 1) already there"), "\(changed.output)")
        let again = try Self.push(root, server, dovecot)
        #expect(again.stdout.contains(": 0 uploaded, \(n) already there"), "\(again.output)")
        var back = try Self.readBack(dovecot, mailbox: mailbox, kit: drafts)
        #expect(back.count == n + 1)

        let replaced = try Self.push(root, server, dovecot, ["--replace"])
        #expect(replaced.status == 0, "\(replaced.output)")
        #expect(replaced.stdout.contains(": 0 uploaded, \(n) already there, 0 failed, 1 older version(s) deleted"), "\(replaced.output)")
        back = try Self.readBack(dovecot, mailbox: mailbox, kit: drafts)
        #expect(back.count == n)
        #expect(back.mismatch.isEmpty, "\(back.mismatch)")
        #expect(back.ids.values.allSatisfy { $0 == 1 })
    }

    @Test("A wrong password exits 3 with the server's own words; a server without STARTTLS is refused on imap:// before any password is sent")
    func loginFailures() throws {
        let dovecot = try Dovecot()
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let wrong = try Self.push(root, "imaps://127.0.0.1:\(dovecot.imapsPort)", dovecot, password: "not the password")
        #expect(wrong.status == 3, "\(wrong.output)")
        #expect(wrong.stderr.contains("the server refused the login (NO): [AUTHENTICATIONFAILED] Authentication failed."), "\(wrong.stderr)")

        let plain = try Dovecot(tls: false)
        defer { plain.stop() }
        let refused = try Self.push(root, "imap://127.0.0.1:\(plain.imapPort)", plain)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.stderr.contains("does not offer STARTTLS"), "\(refused.stderr)")
        #expect(!plain.log.contains("Login:") && !plain.log.contains("auth failed"), "\(plain.log)")

        // A certificate nobody vouched for is refused: no --ca-file.
        let untrusted = try CLI.refkit(["mail", "push", "--root", root.path, "--server", "imaps://127.0.0.1:\(dovecot.imapsPort)",
                                        "--user", dovecot.user], environment: ["REFKIT_IMAP_PASSWORD": dovecot.password])
        #expect(untrusted.status == 3, "\(untrusted.output)")
        #expect(untrusted.stderr.contains("TLS handshake failed") && untrusted.stderr.contains("--ca-file"), "\(untrusted.stderr)")
    }

    @Test("Drafts the sender sent (moved from Drafts to Sent) are not uploaded again: kit/mail/pushed.csv, private, lists what was pushed where; --again uploads them")
    func sentDraftsStayAway() throws {
        let dovecot = try Dovecot()
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let drafts = root.appendingPathComponent("kit/mail/drafts")
        let n = Self.emlCount(drafts)
        let server = "imaps://127.0.0.1:\(dovecot.imapsPort)"
        let first = try Self.push(root, server, dovecot)
        #expect(first.stdout.contains("Drafts: \(n) uploaded, 0 already there, 0 failed"), "\(first.output)")

        let log = root.appendingPathComponent("kit/mail/pushed.csv")
        let rows = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "server,user,folder,message_id,pushed_at")
        #expect(rows.count == n + 1)
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("127.0.0.1:\(dovecot.imapsPort),pusher@example.com,Drafts,<refkit.") }, "\(rows.prefix(3))")
        let mode = try FileManager.default.attributesOfItem(atPath: log.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        // What a mail program does on Send: the draft goes to Sent and leaves Drafts.
        let sent = try CLI.run("python3", ["-c", """
            import imaplib, ssl, sys
            m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
            m.login(sys.argv[3], sys.argv[4])
            m.select("Drafts")
            typ, data = m.uid("SEARCH", None, "ALL")
            uids = b",".join(data[0].split()[:3])
            assert m.uid("COPY", uids, "Sent")[0] == "OK"
            m.uid("STORE", uids, "+FLAGS", "(\\\\Deleted)")
            m.expunge()
            """, String(dovecot.imapsPort), dovecot.caFile.path, dovecot.user, dovecot.password])
        try #require(sent.status == 0, "\(sent.output)")
        #expect(try Self.readBack(dovecot, kit: drafts).count == n - 3)

        let again = try Self.push(root, server, dovecot)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.stdout.contains("Drafts: 0 uploaded, \(n - 3) already there, 3 already pushed earlier"), "\(again.output)")
        #expect(try Self.readBack(dovecot, kit: drafts).count == n - 3)
        #expect(try String(contentsOf: log, encoding: .utf8).split(separator: "\n").count == n + 1)

        let forced = try Self.push(root, server, dovecot, ["--again"])
        #expect(forced.stdout.contains("Drafts: 3 uploaded, \(n - 3) already there, 0 failed"), "\(forced.output)")
        #expect(try Self.readBack(dovecot, kit: drafts).count == n)
    }

    @Test("A certificate that names only the address 127.0.0.1 is refused for imaps://localhost and imap://localhost (STARTTLS) before any credential is sent; one that names localhost is accepted")
    func hostNameVerification() throws {
        let root = try Self.builtSample()
        let ipOnly = try Dovecot()
        defer { ipOnly.stop() }
        for server in ["imaps://localhost:\(ipOnly.imapsPort)", "imap://localhost:\(ipOnly.imapPort)"] {
            let r = try Self.push(root, server, ipOnly)
            #expect(r.status == 3, "\(server): \(r.output)")
            #expect(r.stderr.contains("certificate does not name localhost"), "\(server): \(r.stderr)")
            #expect(!r.stderr.contains(ipOnly.password), "\(r.stderr)")
        }
        // Dovecot logs every login it sees (`Login:` or `auth failed`): none reached it.
        #expect(!ipOnly.log.contains("Login:") && !ipOnly.log.contains("auth failed"), "\(ipOnly.log)")
        // The address itself still matches the address name.
        let byAddress = try Self.push(root, "imaps://127.0.0.1:\(ipOnly.imapsPort)", ipOnly, ["--dry-run"])
        #expect(byAddress.status == 0, "\(byAddress.output)")

        let named = try Dovecot(certificateNames: "DNS:localhost")
        defer { named.stop() }
        for server in ["imaps://localhost:\(named.imapsPort)", "imap://localhost:\(named.imapPort)"] {
            let r = try Self.push(root, server, named, ["--dry-run"])
            #expect(r.status == 0, "\(server): \(r.output)\n\(named.log)")
            #expect(r.stdout.contains("Dry run, nothing changed."), "\(r.output)")
        }
    }

    @Test("A connection cut in the middle of a push: exit 3, and the next run finishes the job with nothing duplicated")
    func droppedConnection() throws {
        let dovecot = try Dovecot()
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let drafts = root.appendingPathComponent("kit/mail/drafts")
        let n = Self.emlCount(drafts)
        let size = try FileManager.default.contentsOfDirectory(atPath: drafts.path).reduce(0) {
            $0 + ((try? Data(contentsOf: drafts.appendingPathComponent($1)).count) ?? 0)
        }
        // The proxy forwards about half the drafts' bytes (after the TLS handshake and login),
        // then cuts both sides.
        let proxy = try CutProxy(target: dovecot.imapsPort, limit: 6_000 + size / 2)
        defer { proxy.stop() }
        let cut = try Self.push(root, "imaps://127.0.0.1:\(proxy.port)", dovecot)
        #expect(cut.status == 3, "\(cut.output)")
        #expect(cut.stderr.contains("closed the connection") || cut.stderr.contains("Connection reset"), "\(cut.stderr)")
        let partial = try Self.readBack(dovecot, kit: drafts)
        #expect(partial.count > 0 && partial.count < n, "the cut came at \(partial.count) of \(n)")

        let rest = try Self.push(root, "imaps://127.0.0.1:\(dovecot.imapsPort)", dovecot)
        #expect(rest.status == 0, "\(rest.output)")
        #expect(rest.stdout.contains("Drafts: \(n - partial.count) uploaded, \(partial.count) already there"), "\(rest.output)")
        let back = try Self.readBack(dovecot, kit: drafts)
        #expect(back.count == n)
        #expect(back.ids.values.allSatisfy { $0 == 1 }, "\(back.ids)")
        #expect(back.mismatch.isEmpty, "\(back.mismatch)")
    }

    @Test("--dry-run changes nothing, --limit pushes the first N, and follow-ups are pushed from kit/report/follow-ups/*/")
    func dryRunLimitAndFollowUps() throws {
        let dovecot = try Dovecot()
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let drafts = root.appendingPathComponent("kit/mail/drafts")
        let n = Self.emlCount(drafts)
        let server = "imaps://127.0.0.1:\(dovecot.imapsPort)"
        let dry = try Self.push(root, server, dovecot, ["--dry-run"])
        #expect(dry.status == 0, "\(dry.output)")
        #expect(dry.stdout.contains("Dry run, nothing changed. Drafts: \(n) would upload"), "\(dry.output)")
        #expect(try Self.readBack(dovecot, kit: drafts).count == 0)

        let limited = try Self.push(root, server, dovecot, ["--limit", "2", "--pace", "0.05"])
        #expect(limited.stdout.contains("Drafts: 2 uploaded, 0 already there, 0 failed (of 2 draft(s))"), "\(limited.output)")

        // A follow-up draft of another round, in the layout the follow-ups command writes.
        let round = root.appendingPathComponent("kit/report/follow-ups/2027-01-15")
        try FileManager.default.createDirectory(at: round, withIntermediateDirectories: true)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: drafts.path).sorted().first)
        var eml = try String(contentsOf: drafts.appendingPathComponent(name), encoding: .utf8)
        eml = eml.replacingOccurrences(of: "Message-ID: <refkit.", with: "Message-ID: <refkit.followup-")
        try eml.write(to: round.appendingPathComponent(name), atomically: true, encoding: .utf8)
        let followUps = try Self.push(root, server, dovecot, ["--drafts", "follow-ups"])
        #expect(followUps.stdout.contains("Drafts: 1 uploaded, 0 already there"), "\(followUps.output)")
        let back = try Self.readBack(dovecot, kit: root.appendingPathComponent("kit"))
        #expect(back.count == 3)
        #expect(back.mismatch.isEmpty, "\(back.mismatch)")
    }

    @Test("Welcome drafts (kit/report/welcome) are pushed with --drafts welcome, and --drafts all counts every kind")
    func welcomeDrafts() throws {
        let dovecot = try Dovecot()
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let drafts = root.appendingPathComponent("kit/mail/drafts")
        let n = Self.emlCount(drafts)
        let server = "imaps://127.0.0.1:\(dovecot.imapsPort)"
        // Two welcome drafts and one follow-up, in the layout `refkit report` writes.
        let names = try FileManager.default.contentsOfDirectory(atPath: drafts.path).sorted().filter { $0.hasSuffix(".eml") }
        for (folder, prefix, name) in [("report/welcome", "welcome-", names[0]), ("report/welcome", "welcome-", names[1]),
                                       ("report/follow-ups/nudge", "nudge-", names[0])] {
            let target = root.appendingPathComponent("kit").appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            let eml = try String(contentsOf: drafts.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "Message-ID: <refkit.", with: "Message-ID: <refkit.\(prefix)")
            try eml.write(to: target.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let all = try Self.push(root, server, dovecot, ["--drafts", "all", "--dry-run"])
        #expect(all.stdout.contains("Drafts: \(n + 3) would upload"), "\(all.output)")
        let welcome = try Self.push(root, server, dovecot, ["--drafts", "welcome"])
        #expect(welcome.status == 0, "\(welcome.output)")
        #expect(welcome.stdout.contains("Drafts: 2 uploaded, 0 already there, 0 failed (of 2 draft(s))"), "\(welcome.output)")
        let rest = try Self.push(root, server, dovecot, ["--drafts", "all"])
        #expect(rest.stdout.contains("Drafts: \(n + 1) uploaded, 2 already there"), "\(rest.output)")
        #expect(try Self.readBack(dovecot, kit: root.appendingPathComponent("kit")).count == n + 3)
    }

    @Test("Hostile user and folder names are carried as data or refused, never as commands; the server stays sane")
    func hostileNames() throws {
        let dovecot = try Dovecot()
        defer { dovecot.stop() }
        let root = try Self.builtSample()
        let server = "imaps://127.0.0.1:\(dovecot.imapsPort)"
        // Two failed logins only: Dovecot doubles its delay with each failure from one address.
        for user in ["a\"\u{301} LOGOUT \u{202E}", "x\r\nR9 LOGOUT\r\njürgen"] {
            let r = try CLI.refkit(["mail", "push", "--root", root.path, "--server", server, "--user", user, "--ca-file", dovecot.caFile.path],
                                   environment: ["REFKIT_IMAP_PASSWORD": dovecot.password])
            #expect(r.status == 3, "\(user.debugDescription): \(r.output)")
            #expect(r.stderr.contains("the server refused the login"), "\(user.debugDescription): \(r.stderr)")
        }
        let nul = try CLI.refkit(["mail", "push", "--root", root.path, "--server", server, "--user", "a\u{1}b", "--ca-file", dovecot.caFile.path],
                                 environment: ["REFKIT_IMAP_TOKEN": "tok"])
        #expect(nul.status == 3, "\(nul.output)")

        // A folder whose name holds a quote and a backslash, made by imaplib; and names that
        // do not exist, with CR LF and bidi controls, refused by the server as names.
        let created = try CLI.run("python3", ["-c", """
            import imaplib, ssl, sys
            m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
            m.login(sys.argv[3], sys.argv[4])
            typ, data = m.create('"Dr\\\\"a\\\\\\\\ft"')
            assert typ == "OK", data
            """, String(dovecot.imapsPort), dovecot.caFile.path, dovecot.user, dovecot.password])
        try #require(created.status == 0, "\(created.output)")
        let odd = try Self.push(root, server, dovecot, ["--folder", #"Dr"a\ft"#, "--limit", "1"])
        #expect(odd.status == 0, "\(odd.output)")
        #expect(odd.stdout.contains(#"Dr"a\ft: 1 uploaded"#), "\(odd.output)")
        for folder in ["Drafts\r\nR9 DELETE INBOX", "Dr\u{202E}afts"] {
            let r = try Self.push(root, server, dovecot, ["--folder", folder])
            #expect(r.status == 3, "\(r.output)")
            #expect(r.stderr.contains("the server refused SELECT (NO)"), "\(r.stderr)")
        }
        let after = try Self.push(root, server, dovecot)
        #expect(after.status == 0, "\(after.output)")
        #expect(after.stdout.contains("Drafts: \(Self.emlCount(root.appendingPathComponent("kit/mail/drafts"))) uploaded"), "\(after.output)")
    }

    @Test("A server that answers garbage, one endless line, responses without end or a byte now and then is refused with exit 3",
          arguments: ["garbage", "huge", "bye", "flood", "trickle"])
    func hostileServer(_ mode: String) throws {
        let root = try Self.builtSample()
        let fake = try FakeServer(mode: mode)
        defer { fake.stop() }
        // The deadline is per command, not per read: the trickling server sends a byte every
        // 0.2 s, so only the whole greeting's deadline (2 s here) ends the wait.
        let r = try CLI.refkit(["mail", "push", "--root", root.path, "--server", "imap://127.0.0.1:\(fake.port)", "--user", "u"],
                               environment: ["REFKIT_IMAP_PASSWORD": "p", "REFKIT_IMAP_TIMEOUT": "2"])
        #expect(r.status == 3, "\(r.output)")
        let expected = ["garbage": "does not speak IMAP", "huge": "longer than 65536 bytes", "bye": "BYE",
                        "flood": "answered CAPABILITY with more than 100000 responses",
                        "trickle": "did not finish answering in time during the greeting (REFKIT_IMAP_TIMEOUT"][mode]!
        #expect(r.stderr.contains(expected), "\(r.stderr)")
    }

    @Test("Ctrl-C or a kill at the password prompt gives the terminal its echo back, and refkit still dies of the signal",
          arguments: ["ctrl-c", "SIGTERM"])
    func promptSignalRestoresEcho(_ how: String) throws {
        let root = try Self.builtSample()
        // A pseudo-terminal: refkit asks for the password there with echo off; the script
        // checks the terminal's ECHO flag at the prompt and after the signal.
        let script = #"""
        import os, pty, select, signal, sys, termios, time
        binary, root, how = sys.argv[1:4]
        env = {k: v for k, v in os.environ.items() if k not in ("REFKIT_IMAP_PASSWORD", "REFKIT_IMAP_TOKEN")}
        pid, fd = pty.fork()
        if pid == 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            os.execve(binary, [binary, "mail", "push", "--server", "imaps://127.0.0.1:1", "--user", "u", "--root", root], env)
        out = b""
        deadline = time.time() + 60
        while b"Password for" not in out and time.time() < deadline:
            if select.select([fd], [], [], 1)[0]:
                out += os.read(fd, 4096)
        time.sleep(0.3)
        before = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
        if how == "ctrl-c":
            os.write(fd, b"\x03")
        else:
            os.kill(pid, signal.SIGTERM)
        _, status = os.waitpid(pid, 0)
        after = bool(termios.tcgetattr(fd)[3] & termios.ECHO)
        print(f"prompt={b'Password for' in out} before={before} after={after} signal={os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}")
        """#
        let r = try CLI.run("python3", ["-c", script, CLI.binary.path, root.path, how])
        #expect(r.status == 0, "\(r.output)")
        let signal = how == "ctrl-c" ? SIGINT : SIGTERM
        #expect(r.stdout.contains("prompt=True before=False after=True signal=\(signal)"), "\(r.output)")
    }

    @Test("Usage: a bad address, no password on a pipe, and a kit without drafts say what to do")
    func usage() throws {
        let root = try CLI.sampleProject(prefix: "refkit-push")
        let address = try CLI.refkit(["mail", "push", "--root", root.path, "--server", "https://imap.example.com", "--user", "u"])
        #expect(address.status == 2 && address.stderr.contains("imaps://"), "\(address.output)")
        let noKit = try CLI.refkit(["mail", "push", "--root", root.path, "--server", "imaps://127.0.0.1:1", "--user", "u"],
                                   environment: ["REFKIT_IMAP_PASSWORD": "p"])
        #expect(noKit.status == 1 && noKit.stderr.contains("refkit build"), "\(noKit.output)")
        let built = try Self.builtSample()
        let noPassword = try CLI.refkit(["mail", "push", "--root", built.path, "--server", "imaps://127.0.0.1:1", "--user", "u"],
                                        environment: ["REFKIT_IMAP_PASSWORD": "", "REFKIT_IMAP_TOKEN": ""])
        #expect(noPassword.status == 2 && noPassword.stderr.contains("REFKIT_IMAP_PASSWORD"), "\(noPassword.output)")
        // A password in the address is refused and never echoed.
        let secret = try CLI.refkit(["mail", "push", "--root", built.path, "--server", "imaps://pusher:Sup3rSecret@127.0.0.1:1", "--user", "u"])
        #expect(secret.status == 2 && secret.stderr.contains("REFKIT_IMAP_PASSWORD"), "\(secret.output)")
        #expect(!secret.output.contains("Sup3rSecret"), "\(secret.output)")
        let help = try CLI.refkit(["mail", "push", "--help"])
        #expect(help.stdout.contains("never sends") && help.stdout.contains("Examples:"), "\(help.output)")
    }
}

/// A Python process that listens on a free loopback port, prints it, and runs `script` with the
/// listening socket as `srv`. Stopped (killed) at the end of the test.
final class PythonServer: @unchecked Sendable {
    let port: Int
    private let process: Process

    init(_ script: String, arguments: [String]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import signal, socket, sys, threading, time
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            srv = socket.socket()
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", 0))
            srv.listen(5)
            print(srv.getsockname()[1], flush=True)
            """ + "\n" + script] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(10) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Dovecot.Failed(what: "the test server did not start", log: "")
        }
        self.port = port
    }

    func stop() { Dovecot.stop(process) }
}

/// Forwards one connection to `target` and cuts both sides once the client has sent `limit`
/// bytes: a server that drops the connection in the middle of a push.
struct CutProxy {
    let server: PythonServer
    var port: Int { server.port }

    init(target: Int, limit: Int) throws {
        server = try PythonServer("""
            target, limit = int(sys.argv[1]), int(sys.argv[2])
            conn, _ = srv.accept()
            up = socket.create_connection(("127.0.0.1", target))
            def down():
                try:
                    while True:
                        d = up.recv(65536)
                        if not d: break
                        conn.sendall(d)
                except OSError: pass
            threading.Thread(target=down, daemon=True).start()
            sent = 0
            try:
                while True:
                    d = conn.recv(65536)
                    if not d: break
                    if sent + len(d) > limit:
                        up.sendall(d[:limit - sent])
                        break
                    up.sendall(d)
                    sent += len(d)
            except OSError: pass
            for s in (conn, up):
                try: s.shutdown(socket.SHUT_RDWR)
                except OSError: pass
                s.close()
            time.sleep(30)
            """, arguments: [String(target), String(limit)])
    }

    func stop() { server.stop() }
}

/// A server that is not IMAP: garbage for a greeting, one endless line, BYE, untagged
/// responses without end, or a greeting trickled a byte at a time.
struct FakeServer {
    let server: PythonServer
    var port: Int { server.port }

    init(mode: String) throws {
        server = try PythonServer("""
            conn, _ = srv.accept()
            mode = sys.argv[1]
            try:
                if mode == "garbage":
                    conn.sendall(b"\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03 HTTP/1.1 400 Bad Request\\r\\n\\r\\n")
                elif mode == "huge":
                    for _ in range(64):
                        conn.sendall(b"* OK " + b"A" * 65536)
                elif mode == "flood":
                    conn.sendall(b"* OK hi\\r\\n")
                    conn.recv(1000)
                    while True:
                        conn.sendall(b"* OK x\\r\\n" * 10000)
                elif mode == "trickle":
                    conn.sendall(b"* OK ")
                    while True:
                        conn.sendall(b"a")
                        time.sleep(0.2)
                else:
                    conn.sendall(b"* BYE Too many connections from your address\\r\\n")
            except OSError: pass
            time.sleep(30)
            """, arguments: [mode])
    }

    func stop() { server.stop() }
}
