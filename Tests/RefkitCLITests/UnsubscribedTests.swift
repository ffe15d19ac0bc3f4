import Foundation
import RefkitModel
import RefkitTestSupport
import Testing

/// `content/unsubscribed.csv` through the real binary: nobody on it gets an invitation draft,
/// a row in merge.csv or a message in the mbox; hostile cells are refused at their line or
/// match nobody, and the list never reaches public/ (the privacy scan of every build).
@Suite("content/unsubscribed.csv", .serialized)
struct UnsubscribedTests {
    static func write(_ text: String, to project: URL) throws {
        try Data(text.utf8).write(to: project.appendingPathComponent("content/unsubscribed.csv"))
    }

    /// The invitation drafts' recipients, the mbox's and merge.csv's, read with Python's own modules.
    static func recipients(_ project: URL) throws -> (eml: Set<String>, mbox: Set<String>, merge: Set<String>) {
        let script = """
        import csv, email, glob, mailbox, sys, json
        from email.utils import parseaddr
        kit = sys.argv[1]
        eml = [parseaddr(email.message_from_binary_file(open(f, 'rb'))['To'])[1] for f in glob.glob(kit + '/mail/drafts/*.eml')]
        mbox = [parseaddr(m['To'])[1] for m in mailbox.mbox(kit + '/mail/drafts.mbox')]
        merge = [row['email'] for row in csv.DictReader(open(kit + '/mail/merge.csv', encoding='utf-8-sig', newline=''))]
        print(json.dumps([eml, mbox, merge]))
        """
        let result = try CLI.run("python3", ["-c", script, project.appendingPathComponent("kit").path])
        #expect(result.status == 0, "\(result.stderr)")
        let lists = try JSONDecoder().decode([[String]].self, from: Data(result.stdout.utf8))
        return (Set(lists[0]), Set(lists[1]), Set(lists[2]))
    }

    @Test("an unsubscribed referrer gets no invitation draft, no mbox message and no merge.csv row, however the address is spelled; removing them from the list brings the draft back")
    func invitationsAndMerge() throws {
        let project = try CLI.sampleProject(prefix: "refkit-unsub")
        defer { try? FileManager.default.removeItem(at: project) }
        // Léa as typed by hand (case, spaces), Jean-Baptiste with a +tag, a stranger, a reason column.
        try Self.write("Email,reason\r\n  Lea.Fontaine@Example.FR ,asked in the shop\r\njean-baptiste.roux+news@example.fr,\r\nnobody@example.org,x\r\n", to: project)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(build.status == 0, "\(build.stderr)")
        #expect(build.stdout.contains("18 drafts"))
        #expect(build.stdout.contains("2 referrer(s) in content/unsubscribed.csv left out"))
        let gone: Set = ["lea.fontaine@example.fr", "jean-baptiste.roux@example.fr"]
        var r = try Self.recipients(project)
        for list in [r.eml, r.mbox, r.merge] {
            #expect(list.count == 18 && list.isDisjoint(with: gone), "\(list.sorted())")
        }
        // The pages stay: the list stops email, not the programme.
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.appendingPathComponent("public/r").path).count == 20)

        try Self.write("email\nnobody@example.org\n", to: project)
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        r = try Self.recipients(project)
        #expect(r.eml.count == 20 && r.mbox.count == 20 && r.merge.count == 20 && gone.isSubset(of: r.merge))
    }

    @Test("hostile cells are refused at their line with a fix, or match no one, and nothing is written when refused", arguments: [
        ("email\n\u{202E}rf.elpmaxe@eniatnof.ael\n", 2),
        ("email\nlea.fontaine@example.fr\u{0}\n", 2),
        ("email\n\"lea.fontaine@example.fr\r\nevil@example.com\"\n", 2),
        ("email\nlea.fontaine\u{200B}@example.fr\n", 2),
        ("email\nnot an address\n", 2),
        ("address\nlea.fontaine@example.fr\n", 1),
        ("email\n\"lea.fontaine@example.fr\n", 2),
        ("email\n<b>x@example.com</b>\n\"\"\"\u{301}y@example.com\"\n=HYPERLINK(\"http://evil.example\")@x.y\n＝SUM(1)@x.y\n", 0),
    ])
    func hostile(text: String, line: Int) throws {
        let project = try CLI.sampleProject(prefix: "refkit-unsub")
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        let before = CLI.snapshot(project.appendingPathComponent("kit"))
        try Self.write(text, to: project)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        if line == 0 {
            #expect(build.status == 0, "\(build.stderr)")
            #expect(try Self.recipients(project).merge.count == 20, "markup and formulas match nobody")
        } else {
            #expect(build.status == 1)
            #expect(build.stderr.contains("content/unsubscribed.csv:\(line)"), "\(build.stderr)")
            #expect(!build.stderr.contains("\u{202E}") && !build.stderr.contains("\u{0}"))
            #expect(CLI.snapshot(project.appendingPathComponent("kit")) == before)
        }
    }

    @Test("a link to a file outside content/ is refused like any input link; the list is read only from content/")
    func symlink() throws {
        let project = try CLI.sampleProject(prefix: "refkit-unsub")
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        try FileManager.default.createSymbolicLink(atPath: project.appendingPathComponent("content/unsubscribed.csv").path,
                                                   withDestinationPath: project.appendingPathComponent("kit/codes.csv").path)
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("content/unsubscribed.csv"), "\(build.stderr)")
    }
}
