import Foundation
import RefkitIMAP
import RefkitTestSupport
import Testing

@Suite("kit/mail/pushed.csv")
struct PushLogTests {
    static func folder() throws -> URL {
        let folder = try TemporaryFolder.create("refkit-pushlog").appendingPathComponent("mail")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("Rows saved read back, keyed by server, user, folder and Message-ID; saving only adds rows; the file is the owner's only")
    func roundTrip() throws {
        let file = try Self.folder().appendingPathComponent("pushed.csv")
        let place = PushLog.Place(server: "IMAP.Example.com:993", user: "=me@example.com", folder: "Entwürfe, alt")
        let log = try PushLog(file: file, shownPath: "kit/mail/pushed.csv")
        log.record("<refkit.A.1@x.fr>", at: place)
        try log.save()
        let before = try String(contentsOf: file, encoding: .utf8)
        log.record("<refkit.B.2@x.fr>", at: place)
        log.record("<refkit.A.1@x.fr>", at: place)
        try log.save()
        let after = try String(contentsOf: file, encoding: .utf8)
        #expect(after.hasPrefix(before))
        #expect(after.split(separator: "\n").count == 3)
        #expect((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int) == 0o600)

        let again = try PushLog(file: file, shownPath: "kit/mail/pushed.csv")
        #expect(again.contains("<refkit.A.1@x.fr>", at: PushLog.Place(server: "imap.example.com:993", user: "=me@example.com", folder: "Entwürfe, alt")))
        #expect(again.contains("<refkit.B.2@x.fr>", at: place))
        #expect(!again.contains("<refkit.A.1@x.fr>", at: PushLog.Place(server: "imap.example.com:993", user: "=me@example.com", folder: "Drafts")))
        #expect(!again.contains("<refkit.A.1@x.fr>", at: PushLog.Place(server: "imap.example.com:993", user: "other", folder: "Entwürfe, alt")))
    }

    @Test("A damaged log is refused at its line, never guessed at (guessing would push sent drafts again)", arguments: [
        ("server,user,folder,message_id,pushed_at\nh:993,u,Drafts,<a@b>,2026-12-07T10:00:00Z\nh:993,u,Drafts,<a@b\n", ":3:"),
        ("server,user,folder,message_id,pushed_at\nh:993,u,\"Drafts,<a@b>,2026\n", ":2:"),
        ("server,user,folder\n", ":1:"),
    ])
    func damaged(_ text: String, _ line: String) throws {
        let file = try Self.folder().appendingPathComponent("pushed.csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let error = #expect(throws: PushLogError.self) { try PushLog(file: file, shownPath: "kit/mail/pushed.csv") }
        #expect(error?.message.hasPrefix("kit/mail/pushed.csv\(line)") == true, "\(String(describing: error))")
    }
}
