import Foundation
import Testing
import RefkitModel
@testable import RefkitMail

@Suite("The mbox and the merge CSV")
struct KitFilesTests {
    @Test("mailbox.mbox reads every draft back from drafts.mbox")
    func mboxCount() throws {
        let drafts = (0..<25).map { Fixture.draft(Fixture.people[$0 % 4], index: $0) }
        let sink = MemorySink()
        let summary = try Fixture.renderer().render(drafts, to: sink)
        #expect(summary.drafts == 25)
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Fixture.write(sink, to: directory)
        let messages = try Tool.python(PythonScript.readMbox, [directory.appendingPathComponent("mail/drafts.mbox").path], as: [MboxMessage].self)
        #expect(messages.count == 25)
        #expect(messages[2].subject == "Zoé, votre invitation à Boulangerie Étoile !")
        #expect(messages.allSatisfy { $0.text.contains("Hello ") })
        #expect(messages[0].fromLine == "bonjour@example.fr Thu Jan  1 00:00:00 1970")
        #expect(sink.file(.kit, "mail/drafts.mbox")?.isPrivate == true)
    }

    @Test("Lines starting with From get one more > in the mbox, mboxrd style")
    func mboxrdQuoting() throws {
        let eml = Data("Subject: x\r\n\r\nFrom here\r\n>From there\r\nFromage\r\n".utf8)
        let record = String(decoding: Mbox(sender: nil).record(eml), as: UTF8.self)
        #expect(record == "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\nSubject: x\n\n>From here\n>>From there\nFromage\n\n")
    }

    @Test("merge.csv has a BOM, CRLF lines, the fixed columns, then the extra ones")
    func mergeColumns() throws {
        let extra = [Referrer.Field(name: "Favourite bread", value: "Pain, \"au\" levain"), Referrer.Field(name: "store", value: "Lyon")]
        let drafts = Fixture.people.enumerated().map { Fixture.draft($1, index: $0, extra: extra) }
        let sink = MemorySink()
        try Fixture.renderer().render(drafts, to: sink)
        let csv = try Self.readCSV(sink)
        #expect(csv.bom && csv.onlyCRLF)
        #expect(csv.rows.first == ["email", "first_name", "name", "language", "code", "link", "subject", "Favourite bread", "store"])
        #expect(csv.rows.count == 5)
        #expect(csv.rows[1] == ["person0@example.com", "太郎", "山田 太郎", "ja", drafts[0].formattedCode, drafts[0].link,
                                "太郎さん、Boulangerie Étoileへのご招待です", "Pain, \"au\" levain", "Lyon"])
    }

    static func readCSV(_ sink: MemorySink) throws -> ParsedCSV {
        let directory = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Fixture.write(sink, to: directory)
        return try Tool.python(PythonScript.readCSV, [directory.appendingPathComponent("mail/merge.csv").path], as: ParsedCSV.self)
    }
}
