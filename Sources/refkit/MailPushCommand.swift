import ArgumentParser
import Foundation
import RefkitIMAP
import RefkitModel

/// `refkit mail push`: the drafts into the sender's Drafts folder over IMAP. Never sends.
struct MailPushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Upload the kit's drafts into your mailbox's Drafts folder over IMAP (nothing is sent).",
        discussion: """
        Each draft is appended to the folder your server marks as Drafts (RFC 6154 \\Drafts: \
        Gmail's [Gmail]/Drafts, localised names elsewhere), or to --folder, flagged \\Draft and \
        \\Seen, so that it opens as an editable draft in Gmail, Outlook, Apple Mail or \
        Thunderbird. You read each one and press Send yourself: refkit never sends mail.

        Drafts already in the folder are not uploaded again (each carries a Message-ID made \
        from its code and its content), so pushing twice uploads nothing twice, an interrupted \
        push finishes when run again, and a changed draft is uploaded as new; --replace then \
        deletes its older versions. refkit also notes each draft it pushed in \
        kit/mail/pushed.csv (server, user, folder, Message-ID, date): a draft you sent has left \
        the Drafts folder, and is not uploaded again unless you ask with --again.

        The password comes from REFKIT_IMAP_PASSWORD or is asked for (not echoed); it is never \
        taken from the command line or stored. An OAuth 2.0 access token in REFKIT_IMAP_TOKEN is \
        used instead (XOAUTH2: Gmail, Microsoft 365). imaps:// is TLS from the start; imap:// \
        is accepted only when the server offers STARTTLS. Certificates are always verified; \
        --ca-file trusts a self-hosted server's own certificate authority. Each command's whole \
        answer must come within REFKIT_IMAP_TIMEOUT seconds (60 by default).

        Examples:
          refkit mail push --server imaps://imap.gmail.com --user bakery@gmail.com
          refkit mail push --server imaps://imap.fastmail.com --user me@fastmail.com --dry-run
          refkit mail push --server imaps://outlook.office365.com --user me@example.com --drafts thanks
          refkit mail push --server imap://mail.example.com:143 --user me --ca-file my-ca.pem --replace

        Exit codes: 0 every draft is there, 1 drafts the kit lacks or cannot push, 2 usage \
        errors, 3 connection, login or server failures (with the server's own words).
        """
    )

    @OptionGroup var project: ProjectOptions

    @Option(help: ArgumentHelp("The IMAP server: imaps://HOST[:PORT] (TLS) or imap://HOST[:PORT] (STARTTLS).", valueName: "url"))
    var server: String

    @Option(help: ArgumentHelp("Your login at the server (often your email address).", valueName: "user"))
    var user: String

    @Option(help: ArgumentHelp("Where the private kit is (default: kit/ in the project).", valueName: "dir"))
    var kit: String?

    @Option(help: ArgumentHelp("The folder to upload to, instead of the one marked \\Drafts.", valueName: "name"))
    var folder: String?

    @Option(help: ArgumentHelp("Which drafts: invitations (kit/mail/drafts), thanks (kit/report/thanks), follow-ups (kit/report/follow-ups/*), welcome (kit/report/welcome), or all of them.",
                               valueName: "kind"))
    var drafts: DraftSelection = .invitations

    @Flag(help: "Log in and say what would be uploaded or replaced, changing nothing on the server.")
    var dryRun = false

    @Option(help: ArgumentHelp("Push at most the first N drafts (to try it on a few).", valueName: "n"))
    var limit: Int?

    @Flag(help: "Upload again the drafts kit/mail/pushed.csv lists as pushed earlier (sent or deleted since).")
    var again = false

    @Flag(help: "Delete older versions of the drafts pushed (flag \\Deleted, then expunge those messages only).")
    var replace = false

    @Option(help: ArgumentHelp("Seconds to wait between uploads, for a provider's rate limits (e.g. 0.5).", valueName: "seconds"))
    var pace: Double = 0

    @Option(help: ArgumentHelp("A PEM file of certificate authorities to trust instead of the system's (self-hosted servers).", valueName: "file"))
    var caFile: String?

    func validate() throws {
        if case let .failure(error) = IMAPServerAddress.parse(server) { throw ValidationError("--server: \(error.message).") }
        if user.isEmpty { throw ValidationError("--user is empty; give your login at the server.") }
        if let limit, limit < 1 { throw ValidationError("--limit \(limit) must be 1 or more.") }
        if !(pace >= 0 && pace <= 60) { throw ValidationError("--pace \(pace) must be between 0 and 60 seconds.") }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file \"\(caFile)\" cannot be read; give the PEM file of your server's certificate authority.")
        }
    }

    func run() throws {
        let address = try IMAPServerAddress.parse(server).get()
        let kitURL = kit.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? project.rootURL.appendingPathComponent("kit", isDirectory: true)
        let kitShown = kit ?? (project.root == "." ? "kit" : project.rootURL.appendingPathComponent("kit").path)
        guard FileManager.default.fileExists(atPath: kitURL.path) else {
            throw PushKitError(message: "there is no kit at \(kitShown)/; run `refkit build` first (or give --kit).")
        }
        let (all, withoutID) = try drafts.drafts(inKit: kitURL)
        guard withoutID.isEmpty else {
            let list = withoutID.prefix(5).map { "\(kitShown)/\($0)" }.joined(separator: ", ")
            throw PushKitError(message: "\(withoutID.count) draft(s) have no Message-ID (\(list)\(withoutID.count > 5 ? ", …" : "")): an older refkit wrote them. Run `refkit build` (and `refkit report` for thank-you drafts) to write them again, then push.")
        }
        var found = all
        guard !found.isEmpty else {
            throw PushKitError(message: "no \(drafts.rawValue) drafts in \(kitShown)/ to push; run `refkit build` (invitations) or `refkit report` (thanks, follow-ups, welcome) first.")
        }
        if let limit { found = Array(found.prefix(limit)) }

        let env = ProcessInfo.processInfo.environment
        // Checked, and the push log read, before the password is asked for: a typo or a
        // damaged log should not cost a prompt.
        var timeout: TimeInterval = 60
        if let text = env["REFKIT_IMAP_TIMEOUT"], !text.isEmpty {
            guard let seconds = Double(text), seconds > 0, seconds <= 3600 else {
                throw ValidationError("REFKIT_IMAP_TIMEOUT=\(text) should be a number of seconds between 0 and 3600 (60 when unset).")
            }
            timeout = seconds
        }
        let log = try PushLog(file: kitURL.appendingPathComponent("mail/pushed.csv"), shownPath: "\(kitShown)/mail/pushed.csv")
        let credential: DraftPush.Credential
        if let token = env["REFKIT_IMAP_TOKEN"], !token.isEmpty {
            credential = .token(token)
        } else if let password = env["REFKIT_IMAP_PASSWORD"], !password.isEmpty {
            credential = .password(password)
        } else if let typed = PasswordPrompt.read(prompt: "Password for \(user) at \(address.host): "), !typed.isEmpty {
            credential = .password(typed)
        } else {
            throw ValidationError("no password: set REFKIT_IMAP_PASSWORD (or REFKIT_IMAP_TOKEN for an OAuth token), or run on a terminal to be asked.")
        }

        let push = DraftPush(options: .init(server: address, user: user, credential: credential, folder: folder,
                                            dryRun: dryRun, replace: replace, pace: pace, caFile: caFile, again: again, timeout: timeout),
                             log: log)
        var summary = DraftPush.Summary()
        let bar = ProgressLine(enabled: PasswordPrompt.stderrIsTerminal && !project.quiet)
        do {
            try push.run(found, summary: &summary) { done, total in bar.show(done, total) }
            bar.clear()
            if !dryRun { try log.save() }
        } catch {
            bar.clear()
            if summary.uploaded > 0 { report(summary, total: found.count, interrupted: true) }
            throw error
        }
        report(summary, total: found.count, interrupted: false)
        if !summary.failed.isEmpty { throw ExitCode(3) }
    }

    private func report(_ s: DraftPush.Summary, total: Int, interrupted: Bool) {
        for failure in s.failed.prefix(20) {
            Terminal.plainError(Terminal.styled("error: ", .red, fd: 2) + "\(failure.path): the server refused it: \(failure.reason)")
        }
        if s.failed.count > 20 { Terminal.plainError("… and \(s.failed.count - 20) more refused.") }
        guard !project.quiet || !s.failed.isEmpty else { return }
        let verb = dryRun ? "would upload" : "uploaded"
        var line = "\(s.folder): \(s.uploaded) \(verb), \(s.alreadyThere) already there, "
        if s.pushedEarlier > 0 { line += "\(s.pushedEarlier) already pushed earlier (sent or deleted since; --again uploads them), " }
        line += "\(s.failed.count) failed"
        if interrupted { line = "Before the connection failed, " + line }
        if s.replaced > 0 { line += ", \(s.replaced) older version(s) \(dryRun ? "would be " : "")deleted" }
        if s.flaggedOnly > 0 { line += ", \(s.flaggedOnly) older version(s) flagged \\Deleted (your mail program removes them when it compacts the folder)" }
        Terminal.out((dryRun ? "Dry run, nothing changed. " : "") + line + " (of \(total) draft(s)). Nothing was sent: open the drafts in your mail program to send them.")
    }
}

extension DraftSelection: ExpressibleByArgument {}

/// The kit holds no drafts refkit can push: a problem with the project, exit 1.
struct PushKitError: ClassifiedError {
    var message: String
    var failureKind: FailureKind { .content }
    var leftOutputUnchanged: Bool { false }
    var description: String { message }
}

/// `pushed 120/10000` redrawn in place on stderr, at most ten times a second.
final class ProgressLine {
    private let enabled: Bool
    private var last = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ done: Int, _ total: Int) {
        guard enabled, done == total || Date().timeIntervalSince(last) > 0.1 else { return }
        last = Date()
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) drafts".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
