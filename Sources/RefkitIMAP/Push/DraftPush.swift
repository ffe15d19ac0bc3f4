import Foundation

/// `refkit mail push`: the kit's drafts into the sender's Drafts folder, each once.
///
/// The order matters for "safe to interrupt": refkit first reads which of its drafts the folder
/// holds (UID SEARCH for their exact Message-IDs, then the ids of what matched fetched in
/// batches), appends only those missing and not in the push log (`kit/mail/pushed.csv`: a
/// draft the sender has sent is no longer in Drafts, but must not come back), and deletes older
/// versions (`--replace`) only after the new ones are in.
/// A push cut off anywhere leaves at worst a draft appended whose OK never arrived; the next
/// run's search finds it and does not append it again. Nothing is ever sent as mail: refkit
/// speaks IMAP only, never SMTP.
public struct DraftPush {
    public enum Credential: Sendable {
        case password(String)
        case token(String)
    }

    public struct Options: Sendable {
        public var server: IMAPServerAddress
        public var user: String
        public var credential: Credential
        /// Chosen with `--folder`, in Unicode (encoded as modified UTF-7 on the wire).
        public var folder: String?
        public var dryRun: Bool
        public var replace: Bool
        /// Seconds to wait between uploads, for a provider's rate limits.
        public var pace: Double
        public var caFile: String?
        /// Seconds for the greeting and for each command's whole answer (REFKIT_IMAP_TIMEOUT).
        public var timeout: TimeInterval
        /// Upload drafts the push log lists as pushed earlier (deleted by mistake, say).
        public var again: Bool

        public init(server: IMAPServerAddress, user: String, credential: Credential, folder: String? = nil,
                    dryRun: Bool = false, replace: Bool = false, pace: Double = 0, caFile: String? = nil, again: Bool = false,
                    timeout: TimeInterval = 60) {
            self.server = server
            self.user = user
            self.credential = credential
            self.folder = folder
            self.dryRun = dryRun
            self.replace = replace
            self.pace = pace
            self.caFile = caFile
            self.again = again
            self.timeout = timeout
        }
    }

    public struct Summary: Sendable, Equatable {
        /// The Drafts folder as a person reads its name.
        public var folder = ""
        public var uploaded = 0
        public var alreadyThere = 0
        /// Not in the folder any more, but pushed there before (the push log): sent, or deleted.
        public var pushedEarlier = 0
        /// Drafts the server refused, with its words.
        public var failed: [Failure] = []
        /// Older versions deleted (`--replace`), or to be deleted in a dry run.
        public var replaced = 0
        /// Older versions flagged `\Deleted` but left for the mail program to remove, on a
        /// server without UIDPLUS.
        public var flaggedOnly = 0
        public init() {}
    }

    public struct Failure: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public var options: Options
    /// What was pushed where, read before and written after; nil keeps no record (tests).
    public var log: PushLog?
    /// Makes the connection; tests substitute a proxy or a scripted transport.
    public var connect: @Sendable (IMAPServerAddress, String?) throws(IMAPError) -> any IMAPTransport

    public init(options: Options, log: PushLog? = nil,
                connect: (@Sendable (IMAPServerAddress, String?) throws(IMAPError) -> any IMAPTransport)? = nil) {
        self.options = options
        self.log = log
        let timeout = options.timeout
        if let connect {
            self.connect = connect
        } else {
            self.connect = { address, caFile throws(IMAPError) in
                try NIOTransport.connect(address, caFile: caFile, timeout: timeout)
            }
        }
    }

    /// Pushes the drafts; the caller saves the log afterwards (its errors are not the
    /// server's). `summary` holds what was done even when a connection failure ends
    /// the push early. `progress` is called after each draft with (done, total).
    public func run(_ drafts: [DraftFile], summary: inout Summary, progress: (Int, Int) -> Void = { _, _ in }) throws(IMAPError) {
        let transport = try connect(options.server, options.caFile)
        let client = IMAPClient(transport: transport, limits: .init(seconds: options.timeout))
        do {
            try push(drafts, client: client, summary: &summary, progress: progress)
            client.logout()
        } catch {
            // What was appended before the failure is on the server: recorded all the same.
            if !options.dryRun { try? log?.save() }
            // LOGOUT only where the server still speaks IMAP (it refused something with NO or
            // BAD); after BYE, a broken connection or a server that is not IMAP, waiting for
            // its answer would only wait for the timeout.
            if case let .refused(_, status, _) = error, status != "BYE" { client.logout() } else { transport.close() }
            throw error
        }
    }

    private func push(_ drafts: [DraftFile], client: IMAPClient, summary: inout Summary, progress: (Int, Int) -> Void) throws(IMAPError) {
        try open(client)
        let folder = try findFolder(client)
        summary.folder = folder.shownName
        try client.select(folder.wireName, readOnly: options.dryRun)

        let place = PushLog.Place(server: "\(options.server.host):\(options.server.port)", user: options.user, folder: folder.shownName)

        // Which of these drafts are there (exact ids), and with --replace every version refkit
        // put there before: the older ids the push log lists, searched whole, and for drafts
        // pushed before the log existed, their common start (which servers whose search
        // matches whole words may not find): Message-ID → UIDs.
        var uids = try client.uidSearch(messageIDs: drafts.map(\.messageID))
        if options.replace {
            let keys = Set(drafts.compactMap(\.key))
            let older = (log?.messageIDs(at: place) ?? []).filter { id in DraftFile(path: "", bytes: [], messageID: id).key.map(keys.contains) ?? false }
            uids += try client.uidSearch(messageIDs: older)
            uids += try client.uidSearch(header: "Message-ID", contains: "<refkit.")
        }
        var present: [String: [UInt32]] = [:]
        for (uid, id) in try client.uidFetchMessageIDs(Array(Set(uids)).sorted()) { present[id, default: []].append(uid) }

        for (index, draft) in drafts.enumerated() {
            if present[draft.messageID] != nil {
                summary.alreadyThere += 1
                // Pushed by a refkit that kept no log: noted now, so that sending it does not
                // bring it back.
                if !options.dryRun { log?.record(draft.messageID, at: place) }
            } else if !options.again, log?.contains(draft.messageID, at: place) == true {
                summary.pushedEarlier += 1
            } else if options.dryRun {
                summary.uploaded += 1
            } else {
                do {
                    try client.append(to: folder.wireName, flags: ["\\Draft", "\\Seen"], message: try draft.message())
                    summary.uploaded += 1
                    present[draft.messageID] = []
                    log?.record(draft.messageID, at: place)
                    // Saved now and then, so that a push killed outright loses little of it.
                    if let log, log.unsaved >= 200 { try? log.save() }
                } catch let .refused(_, status, text) {
                    summary.failed.append(Failure(path: draft.path, reason: "\(status) \(text)"))
                } catch let .unsendable(_, reason) {
                    summary.failed.append(Failure(path: draft.path, reason: reason))
                }
                if options.pace > 0, index + 1 < drafts.count { Thread.sleep(forTimeInterval: options.pace) }
            }
            progress(index + 1, drafts.count)
        }

        if options.replace { try replaceOlderVersions(drafts, present: present, client: client, summary: &summary) }
    }

    /// CAPABILITY, STARTTLS when the address asks for it (refused without it: the password
    /// would cross the network in the clear), then the login.
    func open(_ client: IMAPClient) throws(IMAPError) {
        let greeting = try client.greeting()
        if client.capabilities.isEmpty { try client.capability() }
        if options.server.security == .startTLS {
            guard client.has("STARTTLS") else {
                throw .missingCapability("\(options.server) does not offer STARTTLS, so the login would cross the network unencrypted; refkit refuses. Use imaps://\(options.server.host) (port 993), or enable STARTTLS on the server.")
            }
            try client.startTLS()
        }
        if case .untagged("PREAUTH", _, _) = greeting { return }
        switch options.credential {
        case let .token(token):
            guard client.has("AUTH=XOAUTH2") else {
                throw .missingCapability("\(options.server) does not accept OAuth tokens (no AUTH=XOAUTH2); unset REFKIT_IMAP_TOKEN and use a password (REFKIT_IMAP_PASSWORD).")
            }
            try client.authenticateXOAUTH2(user: options.user, token: token)
        case let .password(password):
            if client.has("AUTH=PLAIN") {
                try client.authenticatePlain(user: options.user, password: password)
            } else if !client.has("LOGINDISABLED") {
                try client.login(user: options.user, password: password)
            } else {
                throw .missingCapability("\(options.server) accepts neither LOGIN nor AUTHENTICATE PLAIN; use an OAuth token in REFKIT_IMAP_TOKEN.")
            }
        }
        // Capabilities can change with the login (RFC 3501 6.2.3): ask again.
        try client.capability()
    }

    /// `--folder`, or the folder LIST marks `\Drafts` (RFC 6154), whatever its name or language.
    func findFolder(_ client: IMAPClient) throws(IMAPError) -> IMAPMailbox {
        if let name = options.folder {
            return IMAPMailbox(wireName: Array(ModifiedUTF7.encode(name).utf8), attributes: [], delimiter: nil)
        }
        let mailboxes = try client.list()
        guard let drafts = mailboxes.first(where: { $0.has("\\Drafts") && !$0.has("\\Noselect") && !$0.has("\\NonExistent") }) else {
            let names = mailboxes.prefix(12).map(\.shownName).joined(separator: ", ")
            throw .missingCapability("no folder on \(options.server) is marked as the Drafts folder (RFC 6154 \\Drafts); name it with --folder (the server has: \(names)).")
        }
        return drafts
    }

    /// Older versions of the pushed drafts: flagged `\Deleted` and, with UIDPLUS, expunged by
    /// UID so that nothing else the user flagged in the folder goes with them.
    func replaceOlderVersions(_ drafts: [DraftFile], present: [String: [UInt32]], client: IMAPClient, summary: inout Summary) throws(IMAPError) {
        let current = Set(drafts.map(\.messageID))
        let keys = Set(drafts.compactMap(\.key))
        var old: [UInt32] = []
        for (id, uids) in present where !current.contains(id) {
            guard let key = DraftFile(path: "", bytes: [], messageID: id).key, keys.contains(key) else { continue }
            old += uids
        }
        guard !old.isEmpty else { return }
        if options.dryRun {
            summary.replaced = old.count
            return
        }
        for start in stride(from: 0, to: old.count, by: 500) {
            let batch = Array(old[start..<min(start + 500, old.count)])
            try client.uidStoreDeleted(batch)
            if client.has("UIDPLUS") {
                try client.uidExpunge(batch)
                summary.replaced += batch.count
            } else {
                summary.flaggedOnly += batch.count
            }
        }
    }
}
