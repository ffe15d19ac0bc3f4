import Foundation

/// A private Dovecot (Debian's `dovecot-imapd`) for the tests of `refkit mail push`: its own
/// configuration, folders, log and self-signed certificate in a temporary folder, listening on
/// loopback on free ports, started by the test and stopped by `stop()`. Nothing is shared with
/// a system Dovecot. The recipe is STACK-NOTES.md's: login and internal processes run as
/// dovenull and dovecot, the mail user as `nobody` (a UID Dovecot accepts), and the Drafts
/// folder carries RFC 6154's `\Drafts`.
public final class Dovecot: @unchecked Sendable {
    public let folder: URL
    /// Plain IMAP (STARTTLS offered when `tls` is on) and IMAP over TLS.
    public let imapPort: Int
    public let imapsPort: Int
    /// The certificate to trust (`--ca-file`): self-signed, for `certificateNames`.
    public let caFile: URL
    public let user: String
    public let password: String
    private let process: Process

    /// `drafts`: the name of the folder marked `\Drafts` (UTF-8; Dovecot lists it in modified
    /// UTF-7). `tls: false` makes a server without STARTTLS or IMAPS (imapsPort is then unused).
    /// `literalMinus`: offer LITERAL- instead of LITERAL+, so that drafts over 4 KiB wait for
    /// the server's `+` before their bytes (the synchronising path of RFC 3501's literals).
    /// Dovecot's config cannot spell a `"` in a folder name; the tests create such folders.
    /// `certificateNames`: the certificate's subjectAltName (IP:127.0.0.1 only by default, which
    /// does not stand for the name `localhost`).
    public init(user: String = "pusher@example.com", password: String = "s3cret pass", drafts: String = "Drafts", tls: Bool = true,
                literalMinus: Bool = false, certificateNames: String = "IP:127.0.0.1") throws {
        for tool in ["/usr/sbin/dovecot", "/usr/bin/openssl"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw Missing(tool: tool)
        }
        self.user = user
        self.password = password
        folder = URL(fileURLWithPath: "/tmp/refkit-dovecot-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let fm = FileManager.default
        for sub in ["run", "state", "home"] {
            try fm.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        caFile = folder.appendingPathComponent("cert.pem")
        let key = folder.appendingPathComponent("key.pem")
        let made = try CLI.run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                                                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=\(certificateNames)",
                                                    "-keyout", key.path, "-out", caFile.path])
        guard made.status == 0 else { throw Failed(what: "openssl req", log: made.output) }
        // The passwd file is colon-separated; the tests' passwords have no colon.
        let home = folder.appendingPathComponent("home")
        try "\(user):{PLAIN}\(password):65534:65534::\(home.path)::\n".write(to: folder.appendingPathComponent("passwd"), atomically: true, encoding: .utf8)
        _ = try CLI.run("/bin/chown", ["-R", "65534:65534", home.path])
        for file in [folder, folder.appendingPathComponent("passwd")] {
            try fm.setAttributes([.posixPermissions: file == folder ? 0o755 : 0o644], ofItemAtPath: file.path)
        }
        let ports = try Self.freePorts(2)
        imapPort = ports[0]
        imapsPort = ports[1]
        let config = """
        base_dir = \(folder.path)/run
        state_dir = \(folder.path)/state
        log_path = \(folder.path)/dovecot.log
        info_log_path = \(folder.path)/dovecot.log
        listen = 127.0.0.1
        protocols = imap
        ssl = \(tls ? "yes" : "no")
        \(tls ? "ssl_cert = <\(caFile.path)\nssl_key = <\(key.path)" : "")
        disable_plaintext_auth = \(tls ? "yes" : "no")
        auth_mechanisms = plain login
        imap_literal_minus = \(literalMinus ? "yes" : "no")
        default_login_user = dovenull
        default_internal_user = dovecot
        first_valid_uid = 1
        mail_location = maildir:~/Maildir
        passdb {
          driver = passwd-file
          args = \(folder.path)/passwd
        }
        userdb {
          driver = passwd-file
          args = \(folder.path)/passwd
        }
        service imap-login {
          inet_listener imap {
            address = 127.0.0.1
            port = \(imapPort)
          }
          inet_listener imaps {
            address = 127.0.0.1
            port = \(tls ? imapsPort : 0)
            ssl = \(tls ? "yes" : "no")
          }
        }
        service anvil {
          chroot =
        }
        namespace inbox {
          inbox = yes
          separator = /
          mailbox "\(drafts)" {
            special_use = \\Drafts
            auto = subscribe
          }
          mailbox Sent {
            special_use = \\Sent
            auto = subscribe
          }
        }
        """
        let configFile = folder.appendingPathComponent("dovecot.conf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.unblockedExec, "/usr/sbin/dovecot", "-F", "-c", configFile.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try waitForPort(imapPort)
        if tls { try waitForPort(imapsPort) }
    }

    /// Runs a program with no signal blocked. A process started from a test inherits the
    /// signal mask of the thread that started it, and Swift's worker threads block SIGTERM:
    /// Dovecot started that way ignores `terminate()` and the test hangs in `stop()`. Python
    /// clears the mask and becomes the program (`execv`: the same process id).
    public static let unblockedExec = """
        import os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        os.execv(sys.argv[1], sys.argv[1:])
        """

    /// Stops the server (SIGTERM: Dovecot stops its own processes) and deletes its folder;
    /// SIGKILL after 10 s, so that a stuck server fails no later test by hanging.
    public func stop() {
        Self.stop(process)
        try? FileManager.default.removeItem(at: folder)
    }

    public static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<100 where process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// Dovecot's own log, for failure messages.
    public var log: String { (try? String(contentsOf: folder.appendingPathComponent("dovecot.log"), encoding: .utf8)) ?? "" }

    /// Until the port accepts connections (Dovecot starts in well under a second), at most 20 s.
    private func waitForPort(_ port: Int) throws {
        for _ in 0..<200 {
            guard process.isRunning else { throw Failed(what: "dovecot exited", log: log) }
            if Self.accepts(port) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Failed(what: "dovecot did not listen on \(port)", log: log)
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Ports the kernel hands out for port 0, closed again at once.
    public static func freePorts(_ count: Int) throws -> [Int] {
        var fds: [Int32] = []
        defer { fds.forEach { close($0) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            fds.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard ok else { throw Failed(what: "no free port", log: "") }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }

    public struct Missing: Error, CustomStringConvertible {
        public var tool: String
        public var description: String { "\(tool) is missing: install dovecot-imapd and openssl (make test-deps)" }
    }

    public struct Failed: Error, CustomStringConvertible {
        public var what: String
        public var log: String
        public init(what: String, log: String) {
            self.what = what
            self.log = log
        }
        public var description: String { "\(what)\n\(log)" }
    }
}
