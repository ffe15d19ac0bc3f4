import Foundation

/// `refkit mail push`: the kit's drafts into the sender's Drafts folder, each once.
///
/// The order matters for "safe to interrupt": refkit first reads which of its drafts the folder
/// holds (one UID SEARCH for refkit's Message-IDs, then their ids fetched in batches), appends
/// only those missing, and deletes older versions (`--replace`) only after the new ones are in.
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

        public init(server: IMAPServerAddress, user: String, credential: Credential, folder: String? = nil,
                    dryRun: Bool = false, replace: Bool = false, pace: Double = 0, caFile: String? = nil) {
            self.server = server
            self.user = user
            self.credential = credential
            self.folder = folder
            self.dryRun = dryRun
            self.replace = replace
            self.pace = pace
            self.caFile = caFile
        }
    }

    public struct Summary: Sendable, Equatable {
        /// The Drafts folder as a person reads its name.
        public var folder = ""
        public var uploaded = 0
        public var alreadyThere = 0
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
    /// Makes the connection; tests substitute a proxy or a scripted transport.
    public var connect: @Sendable (IMAPServerAddress, String?) throws(IMAPError) -> any IMAPTransport

    public init(options: Options,
                connect: @escaping @Sendable (IMAPServerAddress, String?) throws(IMAPError) -> any IMAPTransport = { address, caFile throws(IMAPError) in
                    try NIOTransport.connect(address, caFile: caFile)
                }) {
        self.options = options
        self.connect = connect
    }

    /// Pushes the drafts. `summary` holds what was done even when a connection failure ends
    /// the push early. `progress` is called after each draft with (done, total).
    public func run(_ drafts: [DraftFile], summary: inout Summary, progress: (Int, Int) -> Void = { _, _ in }) throws(IMAPError) {
        let transport = try connect(options.server, options.caFile)
        let client = IMAPClient(transport: transport)
        do {
            try push(drafts, client: client, summary: &summary, progress: progress)
            client.logout()
        } catch {
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

        // What refkit put there before: Message-ID → UIDs.
        let uids = try client.uidSearch(header: "Message-ID", contains: "<refkit.")
        var present: [String: [UInt32]] = [:]
        for (uid, id) in try client.uidFetchMessageIDs(uids) { present[id, default: []].append(uid) }

        for (index, draft) in drafts.enumerated() {
            if present[draft.messageID] != nil {
                summary.alreadyThere += 1
            } else if options.dryRun {
                summary.uploaded += 1
            } else {
                do {
                    try client.append(to: folder.wireName, flags: ["\\Draft", "\\Seen"], message: try draft.message())
                    summary.uploaded += 1
                    present[draft.messageID] = []
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
