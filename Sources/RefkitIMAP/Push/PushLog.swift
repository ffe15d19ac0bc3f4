import Foundation
import RefkitCSV
import RefkitModel

/// `kit/mail/pushed.csv`: every draft refkit put into a mailbox, with where and when
/// (`server,user,folder,message_id,pushed_at`). The folder alone cannot say it: once the
/// sender sends a pushed draft, their mail program moves it out of Drafts, and a push that only
/// searched Drafts would upload it again as a new, editable draft, to be sent twice. Rows are
/// only ever added; the whole file is written anew to a temporary file and renamed over the old
/// one (atomic), readable by the owner only, like the rest of the kit.
public final class PushLog {
    public static let header = ["server", "user", "folder", "message_id", "pushed_at"]

    /// Where a draft went: the server (`host:port`), the login and the folder as shown.
    public struct Place: Hashable, Sendable {
        public var server: String
        public var user: String
        public var folder: String

        public init(server: String, user: String, folder: String) {
            self.server = server.lowercased()
            self.user = user
            self.folder = folder
        }
    }

    public let file: URL
    /// The file as read, kept whole so that saving only adds rows.
    private var text: String
    private var known: Set<[String]>
    private var added: [[String]] = []
    private let stamps = ISO8601DateFormatter()

    /// Reads the log; a missing file is an empty log. A damaged one is an error at its line:
    /// guessing would push drafts again.
    public init(file: URL, shownPath: String) throws(PushLogError) {
        self.file = file
        guard let data = FileManager.default.contents(atPath: file.path) else {
            text = CSVWriter().line(Self.header)
            known = []
            return
        }
        let read = CSVRecords.read([UInt8](data))
        if let error = read.errors.first { throw PushLogError(message: "\(shownPath):\(error.line): \(error.message); mend or restore the file (it lists the drafts already pushed).") }
        var rows = read.records.filter { !($0.fields.count == 1 && $0.fields[0].isEmpty) }
        guard let first = rows.first, first.fields == Self.header else {
            throw PushLogError(message: "\(shownPath):1: the first row is not `\(Self.header.joined(separator: ","))`; mend or restore the file (it lists the drafts already pushed).")
        }
        rows.removeFirst()
        var known: Set<[String]> = []
        for row in rows {
            guard row.fields.count == Self.header.count, row.fields[3].hasPrefix("<"), row.fields[3].hasSuffix(">") else {
                throw PushLogError(message: "\(shownPath):\(row.line): the row is not `\(Self.header.joined(separator: ","))`; mend or restore the file (it lists the drafts already pushed).")
            }
            let fields = row.fields.map(FormulaGuard.unprotect)
            known.insert(Array(fields[0..<4]))
        }
        self.known = known
        var text = String(decoding: data, as: UTF8.self)
        if !read.endsWithNewline { text += "\n" }
        self.text = text
    }

    /// Every Message-ID pushed to `place` (for `--replace`: older versions to look for).
    public func messageIDs(at place: Place) -> [String] {
        known.filter { $0[0] == place.server && $0[1] == place.user && $0[2] == place.folder }.map { $0[3] }.sorted()
    }

    public func contains(_ messageID: String, at place: Place) -> Bool {
        known.contains([place.server, place.user, place.folder, messageID])
    }

    /// Notes a draft as pushed (or found there); kept in memory until `save`.
    public func record(_ messageID: String, at place: Place, date: Date = Date()) {
        let key = [place.server, place.user, place.folder, messageID]
        guard known.insert(key).inserted else { return }
        added.append(key + [stamps.string(from: date)])
    }

    public var unsaved: Int { added.count }

    /// Writes the rows added since the last save: a temporary file in the same folder, then
    /// rename(2) over the log, so a crash leaves the old log or the new one, never half of it.
    public func save() throws(PushLogError) {
        guard !added.isEmpty else { return }
        let writer = CSVWriter()
        var next = text
        for row in added { next += writer.line(row) }
        let folder = file.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary.path, contents: Data(next.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw PushLogError(message: "\(file.path) could not be written (\(error.localizedDescription)); the drafts were pushed, but a later push may upload the ones you send again.")
        }
        text = next
        added = []
    }
}

/// The push log cannot be read or written: a problem with the kit, exit 1.
public struct PushLogError: ClassifiedError, Equatable {
    public var message: String
    public var failureKind: FailureKind { .content }
    public var leftOutputUnchanged: Bool { false }
    public var description: String { message }
}
