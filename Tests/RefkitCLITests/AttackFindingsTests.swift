import Foundation
import RefkitTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What an attack on the merged fixes of issue 17 found, as a hostile user and as a careless
/// one, each through the real binary on a copy of the sample: the input that broke a promise
/// of the README, and what refkit must do instead.
@Suite("Attack findings on issue 17", .serialized)
struct AttackFindingsTests {
    static let now = ["--now", "2027-01-10"]

    /// The sample, built once (20 referrers; Léa Fontaine on ledger line 2).
    static func built() throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-attack")
        // The report findings are about counting the form's submissions.
        try CLI.rewardsFromSubmissions(project)
        let first = try CLI.refkit(["build", "--root", project.path, "-q"] + now)
        try #require(first.status == 0, "\(first.stderr)")
        return project
    }

    /// Every regular file under `public/` and `kit/`: its bytes and its modification time.
    struct Outputs: Equatable {
        var bytes: [String: Data] = [:]
        var times: [String: Date] = [:]
    }

    static func outputs(_ project: URL) -> Outputs {
        var out = Outputs()
        for folder in ["public", "kit"] {
            let base = project.appendingPathComponent(folder)
            for (path, date) in CLI.snapshot(base) {
                out.bytes[folder + "/" + path] = try? Data(contentsOf: base.appendingPathComponent(path))
                out.times[folder + "/" + path] = date
            }
        }
        return out
    }

    static func ledgerRows(_ project: URL) throws -> [[String]] {
        try CSVReadBack.python(project.appendingPathComponent("kit/codes.csv"))
    }

    static func write(_ text: String, _ project: URL, _ path: String) throws {
        let url = project.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    // MARK: - Hard links

    /// `ln kit/secret content/assets/a.txt` published the secret with exit 0, and a layout
    /// hard-linked to `kit/codes.csv` rendered the whole ledger as the 404 page: the loader
    /// checked links by path, and a hard link has none of its own. Now every input that can
    /// reach public/ with a second name is refused at its path, exit 1, nothing written.
    @Test("a hard link to the secret, the ledger or the merge file in the input folders is refused, nothing written")
    func hardLinks() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let kit = project.appendingPathComponent("kit")
        let links = [
            ("content/assets/secret.txt", "secret"),
            ("site-templates/static/merge.csv", "mail/merge.csv"),
            ("site-templates/layouts/404.mustache", "codes.csv"),
        ]
        for (path, target) in links {
            let url = project.appendingPathComponent(path)
            try? FileManager.default.removeItem(at: url)
            #expect(link(kit.appendingPathComponent(target).path, url.path) == 0, "link \(path)")
        }
        let before = Self.outputs(project)
        let result = try CLI.refkit(["build", "--root", project.path] + Self.now)
        #expect(result.status == 1, "\(result.output)")
        for (path, _) in links {
            #expect(result.stderr.contains("error: \(path): this file has "), "\(result.stderr)")
        }
        #expect(result.stderr.contains("hard links"))
        #expect(result.stderr.contains("nothing was written"))
        #expect(Self.outputs(project) == before, "the refused build changed public/ or kit/")
        try PrivacyScan(project: project).check(project.appendingPathComponent("public"))
    }

    /// referrers.csv is read but never published: a hard link to the marketer's CRM export
    /// stays allowed.
    @Test("content/referrers.csv may still be a hard link: it is never published")
    func referrersMayBeHardLinked() throws {
        let project = try CLI.sampleProject(prefix: "refkit-attack")
        // The report findings are about counting the form's submissions.
        try CLI.rewardsFromSubmissions(project)
        defer { try? FileManager.default.removeItem(at: project) }
        let referrers = project.appendingPathComponent("content/referrers.csv")
        let export = project.appendingPathComponent("crm-export.csv")
        try FileManager.default.moveItem(at: referrers, to: export)
        #expect(link(export.path, referrers.path) == 0)
        let result = try CLI.refkit(["build", "--root", project.path, "-q"] + Self.now)
        #expect(result.status == 0, "\(result.stderr)")
    }

    // MARK: - File names

    /// An asset named with a newline, a tab or a backslash passed the loader and was refused
    /// by the writer as "refused to write an unsafe output path; this is a bug in refkit",
    /// exit 3. It is the user's file name, not refkit's bug: refused at load, exit 1, with
    /// the name shown visibly and a fix.
    @Test("asset and theme names with a line break, a tab or a backslash are refused at their path, exit 1")
    func controlCharacterNames() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        try Self.write("x", project, "content/assets/a\nb.txt")
        try Self.write("x", project, "content/assets/folder\twith-tab/c.txt")
        try Self.write("x", project, "site-templates/static/back\\slash.css")
        try Self.write("x", project, "content/assets/cr\r.svg")
        let before = Self.outputs(project)
        let result = try CLI.refkit(["build", "--root", project.path] + Self.now)
        #expect(result.status == 1, "\(result.output)")
        #expect(!result.stderr.contains("bug in refkit"), "\(result.stderr)")
        for shown in ["content/assets/a<U+000A>b.txt", "content/assets/folder<U+0009>with-tab", "site-templates/static/back\\slash.css",
                      "content/assets/cr<U+000D>.svg"] {
            #expect(result.stderr.contains("error: \(shown): the name holds a control character"), "\(result.stderr)")
        }
        #expect(Self.outputs(project) == before)
    }

    // MARK: - The ledger's status, edited in a spreadsheet

    /// "Only a code's status (`active` / `inactive`) may be changed by hand": LibreOffice's
    /// autocorrect capitalises the first letter typed in a cell, and the ledger with
    /// `Inactive` was refused with "restore kit/codes.csv from a backup". The status is read
    /// whatever its case; refkit's own writer keeps writing lower case.
    @Test("a status edited to `Inactive` or ` INACTIVE ` by hand is read as inactive by codes and build")
    func statusCase() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let ledger = project.appendingPathComponent("kit/codes.csv")
        var lines = try String(contentsOf: ledger, encoding: .utf8).components(separatedBy: "\n")
        let codes = [lines[1], lines[2]].map { $0.split(separator: ",")[1] }
        lines[1] = lines[1].replacingOccurrences(of: ",active", with: ",Inactive")
        lines[2] = lines[2].replacingOccurrences(of: ",active", with: ", INACTIVE ")
        try Data(lines.joined(separator: "\n").utf8).write(to: ledger)

        let listed = try CLI.refkit(["codes", "--root", project.path, "--status", "inactive"])
        #expect(listed.status == 0, "\(listed.output)")
        for code in codes { #expect(listed.stdout.contains(code), "\(listed.stdout)") }
        let rebuilt = try CLI.refkit(["build", "--root", project.path, "-q"] + Self.now)
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        let again = try CLI.refkit(["codes", "--root", project.path])
        #expect(again.status == 0, "\(again.output)")
    }

    /// A text editor or a spreadsheet leaves a blank line or a row of empty cells (`,,,,,,`,
    /// as Excel writes for a row once touched) after the last row, or one between rows: the
    /// ledger was refused ("the row has 1 cells ... restore kit/codes.csv from a backup") and
    /// every command stopped. A row with nothing in it is skipped; an edited row is still
    /// refused after one.
    @Test("blank lines and rows of empty cells in kit/codes.csv are skipped by codes, build and report; a real edit after them is still refused")
    func blankLedgerRows() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let ledger = project.appendingPathComponent("kit/codes.csv")
        var lines = try String(contentsOf: ledger, encoding: .utf8).components(separatedBy: "\n")
        lines.insert(",,,,,,", at: 3)
        lines.insert("", at: 6)
        try Data((lines.joined(separator: "\r\n") + "\r\n,,,,,,\r\n").utf8).write(to: ledger)
        for command in [["codes"], ["build", "-q"] + Self.now, ["codes"]] {
            let result = try CLI.refkit(command + ["--root", project.path])
            #expect(result.status == 0, "\(command): \(result.output)")
        }
        try Self.write("date,code,variant,friend_name,friend_email,utm_source\n", project, "export.csv")
        let report = try CLI.refkit(["report", "export.csv", "--root", project.path, "--now", "2027-01-20", "-q"], in: project)
        #expect(report.status == 0, "\(report.output)")

        let text = try String(contentsOf: ledger, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Léa Fontaine,fr", with: "Léa Fontaina,fr").utf8).write(to: ledger)
        let edited = try CLI.refkit(["codes", "--root", project.path])
        #expect(edited.status == 1, "\(edited.output)")
        #expect(edited.stderr.contains("kit/codes.csv:2:"), "\(edited.stderr)")
    }

    // MARK: - The report: one's own address, typed another way

    /// "Not counted: self-referrals (the friend's email is the referrer's own ...). A friend is
    /// the same friend however the address is typed." `<lea@…>`, `Léa <lea@…>`,
    /// `mailto:lea@…`, a quoted local part and a comment are all Léa's own mailbox, yet each
    /// counted as a new friend: five submissions from Léa to herself earned her the top tier.
    /// And `<amy@…>` and `Amy <amy@…>` counted as three friends.
    @Test("the referrer's own address in angle brackets, with a display name, as mailto:, quoted or with a comment is a self-referral")
    func selfReferralSpellings() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let lea = try #require(try Self.ledgerRows(project).first { $0.count == 7 && $0[2] == "lea.fontaine@example.fr" })[1]
        let own = [
            "<lea.fontaine@example.fr>",
            "Léa Fontaine <LEA.FONTAINE@example.fr>",
            "mailto:lea.fontaine@example.fr?subject=hi",
            "\"lea.fontaine\"@example.fr",
            "lea.fontaine(me)@example.fr",
            "\"Léa\" <lea.fontaine+pain@example.fr>",
        ]
        var export = "date,code,variant,friend_name,friend_email,utm_source\n"
        for friend in own { export += CSVFixture.row(["2027-01-11", lea, "", "Léa", friend, "email"]) }
        for friend in ["amy@example.com", "<amy@example.com>", "Amy <AMY@example.com>"] {
            export += CSVFixture.row(["2027-01-12", lea, "", "Amy", friend, "email"])
        }
        try Self.write(export, project, "export.csv")
        let result = try CLI.refkit(["report", "export.csv", "--root", project.path, "--now", "2027-01-20"], in: project)
        #expect(result.status == 0, "\(result.output)")
        let rewards = try CSVReadBack.python(project.appendingPathComponent("kit/report/rewards.csv"))
        // Amy alone counts: one friend, the first tier and her welcome offer (the sample has a
        // `welcome` message), two rows.
        #expect(rewards.count == 3, "\(rewards)")
        #expect(rewards.dropFirst().map { $0[2] }.sorted() == ["1", "friend"], "\(rewards)")
        #expect(rewards.dropFirst().allSatisfy { $0[1] == "amy@example.com" }, "\(rewards)")
        let page = try String(contentsOf: project.appendingPathComponent("kit/report/index.html"), encoding: .utf8)
        #expect(page.components(separatedBy: "the friend&#39;s email is the referrer&#39;s own").count - 1 == own.count)
    }

    // MARK: - A link in the kit, kept by the spare

    /// A user links `kit/report` to `public/report` (to "share the report"). The first
    /// `refkit report` replaces the link with a real folder, but the kit it replaced is kept as
    /// `.kit.refkit-spare` and adopted by the next run as its staging folder, link included:
    /// the second run wrote `index.html` and `rewards.csv` (every friend's email) through the
    /// link into `public/report/`, and left the kit without its report; with `public/report`
    /// absent it failed with exit 3 instead. Staging folders are now made of real folders only.
    @Test("a link in the kit replaced by one report is not followed by the next, from the kept spare")
    func spareKitLink() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let rows = try Self.ledgerRows(project)
        let code = try #require(rows.dropFirst().first)[1]
        try Self.write("date,code,variant,friend_name,friend_email,utm_source\n2027-01-11,\(code),,Amy,amy@example.com,email\n",
                       project, "export.csv")
        try FileManager.default.createSymbolicLink(atPath: project.appendingPathComponent("kit/report").path,
                                                   withDestinationPath: "../public/report")
        let report = ["report", "export.csv", "--root", project.path, "--now", "2027-01-20", "-q"]
        let first = try CLI.refkit(report, in: project)
        #expect(first.status == 0, "\(first.output)")

        // Without the link's target: the next report must still work.
        let second = try CLI.refkit(report, in: project)
        #expect(second.status == 0, "\(second.output)")

        // With it, twice more (each run adopts the spare the run before left).
        let published = project.appendingPathComponent("public/report")
        try FileManager.default.createDirectory(at: published, withIntermediateDirectories: true)
        for _ in 0..<2 {
            let again = try CLI.refkit(report, in: project)
            #expect(again.status == 0, "\(again.output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: published.path).isEmpty, "the report was written into public/")
            let rewards = project.appendingPathComponent("kit/report/rewards.csv")
            #expect(FileManager.default.fileExists(atPath: rewards.path), "the kit lost its report")
            let kind = try FileManager.default.attributesOfItem(atPath: project.appendingPathComponent("kit/report").path)[.type] as? FileAttributeType
            #expect(kind == .typeDirectory)
        }
        try PrivacyScan(project: project).check(project.appendingPathComponent("public"))
    }

    /// The same through `refkit build`: `kit/mail` linked to a shared folder is replaced by
    /// the first build and must not be written through by the next, which adopts the spare kit.
    @Test("a link in the kit replaced by one build is not followed by the next build")
    func spareKitLinkBuild() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let mail = project.appendingPathComponent("kit/mail")
        let shared = project.appendingPathComponent("shared-drafts")
        try FileManager.default.removeItem(at: mail)
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: mail.path, withDestinationPath: "../shared-drafts")
        // Each build changes a name, so that the drafts are written, not only carried.
        let referrers = project.appendingPathComponent("content/referrers.csv")
        for (old, new) in [("Léa Fontaine,", "Léa Fontaine-Martin,"), ("Léa Fontaine-Martin,", "Léa Fontaine,")] {
            let text = try String(contentsOf: referrers, encoding: .utf8)
            try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: referrers)
            let result = try CLI.refkit(["build", "--root", project.path, "-q"] + Self.now)
            #expect(result.status == 0, "\(result.output)")
            let kind = try FileManager.default.attributesOfItem(atPath: mail.path)[.type] as? FileAttributeType
            #expect(kind == .typeDirectory)
            #expect(FileManager.default.fileExists(atPath: mail.appendingPathComponent("merge.csv").path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: shared.path).isEmpty, "the build wrote through kit/mail's old link")
        }
    }

    /// "Files in kit/ that no build wrote (for example your own notes) are kept": a link the
    /// user keeps there (`kit/backups -> /mnt/usb/refkit`) was dropped by the next build that
    /// changed anything, and by the next report; only regular files were carried into the new
    /// kit. Links are now carried as links, never followed.
    @Test("a link the user keeps in kit/ survives a build that changes something and a report, as a link")
    func userLinkInKit() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let elsewhere = project.appendingPathComponent("usb-backups")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let link = project.appendingPathComponent("kit/backups")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: elsewhere.path)
        try Self.write("mine\n", project, "kit/notes/today.txt")
        let referrers = project.appendingPathComponent("content/referrers.csv")
        let text = try String(contentsOf: referrers, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Léa Fontaine,", with: "Léa Fontaine-Martin,").utf8).write(to: referrers)
        let build = try CLI.refkit(["build", "--root", project.path, "-q"] + Self.now)
        #expect(build.status == 0, "\(build.output)")
        try Self.write("date,code,variant,friend_name,friend_email,utm_source\n", project, "export.csv")
        let report = try CLI.refkit(["report", "export.csv", "--root", project.path, "--now", "2027-01-20", "-q"], in: project)
        #expect(report.status == 0, "\(report.output)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == elsewhere.path)
        #expect(try String(contentsOf: project.appendingPathComponent("kit/notes/today.txt"), encoding: .utf8) == "mine\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    // MARK: - Invisible characters in a referrer's address

    /// An address pasted from a web page or a chat carries a zero-width space, a no-break
    /// space or a bidi override. The loader lets it through, and the mail check refuses it,
    /// rightly, but showed it with the override dropped and the zero-width space as itself:
    /// `"lea@example.fr" is not an email address a draft can go to`, a good address refused
    /// for no visible reason. Every scalar that is not printable ASCII is now written out.
    @Test("a referrer's address refused by the mail check shows its invisible characters as <U+XXXX>, in build and check")
    func invisibleAddressCharacters() throws {
        let project = try CLI.sampleProject(prefix: "refkit-attack")
        // The report findings are about counting the form's submissions.
        try CLI.rewardsFromSubmissions(project)
        defer { try? FileManager.default.removeItem(at: project) }
        try Self.write("""
            email,name,first_name,lang,program,favourite
            lea@example.fr\u{200B},Léa Fontaine,Léa,fr,,pain
            \u{202E}nimajneb@example.fr,Benjamin Roux,Benjamin,fr,,baguette
            carl\u{00A0}x@example.fr,Carl Petit,Carl,fr,,brioche
            ｄａｎ@example.fr,Dan Morel,Dan,fr,,tarte

            """, project, "content/referrers.csv")
        for command in [["build", "-q"] + Self.now, ["check"]] {
            let result = try CLI.refkit(command + ["--root", project.path])
            #expect(result.status == 1, "\(command): \(result.output)")
            for (line, shown) in [(2, "lea@example.fr<U+200B>"), (3, "<U+202E>nimajneb@example.fr"), (4, "carl<U+00A0>x@example.fr"),
                                  (5, "<U+FF44><U+FF41><U+FF4E>@example.fr")] {
                #expect(result.stderr.contains("content/referrers.csv:\(line): \"\(shown)\" is not an email address a draft can go to"),
                        "\(command): \(result.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: project.appendingPathComponent("kit").path))
        }
    }

    // MARK: - Run in the wrong folder

    /// `refkit build` run by mistake in the home folder (or `--root` with a typo) said "there
    /// is no content folder ... Nothing was written" and left `.refkit.lock` there; a root that
    /// does not exist failed with exit 3 "cannot create the lock file" instead of saying what
    /// was wrong. Without content/ there is no project to lock: nothing is created, exit 1.
    @Test("build, check and report in a folder without content/ create nothing there, not even the lock file, exit 1")
    func notAProject() throws {
        let scratch = try TemporaryFolder("refkit-attack")
        defer { scratch.remove() }
        let folder = scratch.url
        try Data("mine\n".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try Data("date,code,friend_email\n".utf8).write(to: folder.appendingPathComponent("export.csv"))
        for command in [["build"], ["check"], ["report", "export.csv"]] {
            let result = try CLI.refkit(command + ["--root", folder.path], in: folder)
            #expect(result.status == 1, "\(command): \(result.output)")
            #expect(result.stderr.contains("there is no content folder"), "\(command): \(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["export.csv", "notes.txt"], "\(command)")
        }
        let missing = try CLI.refkit(["build", "--root", folder.appendingPathComponent("typo").path])
        #expect(missing.status == 1, "\(missing.output)")
        #expect(missing.stderr.contains("there is no content folder"), "\(missing.stderr)")
    }

    // MARK: - Not fixed here

    /// The README: "an edited name, language or date ... is refused with the file, the line and
    /// the field". Delete `kit/codes.seal` first, and the same edit is accepted as "a ledger
    /// written before the seal existed", then sealed again by the next build: the seal is
    /// trusted by its presence. The kit's own manifest (`kit/.refkit/manifest.tsv`) records that
    /// the last build wrote a seal; a ledger whose seal is missing while the manifest lists it
    /// should be refused (with `rotate-secret --lost` as the way to vouch for it).
    @Test("an edited name is refused even after kit/codes.seal is deleted",
          .disabled("issue 17 follow-up: a deleted codes.seal makes any name, language or date edit pass; refuse when the kit's manifest shows the last build wrote the seal"))
    func deletedSeal() throws {
        let project = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        try FileManager.default.removeItem(at: project.appendingPathComponent("kit/codes.seal"))
        let ledger = project.appendingPathComponent("kit/codes.csv")
        let text = try String(contentsOf: ledger, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Léa Fontaine,fr,2027-01-10", with: "Mallory Evil,fr,2026-01-01").utf8).write(to: ledger)
        let before = Self.outputs(project)
        for command in [["codes"], ["build", "-q"] + Self.now] {
            let result = try CLI.refkit(command + ["--root", project.path])
            #expect(result.status == 1, "\(command): \(result.output)")
            #expect(result.stderr.contains("kit/codes.csv:2"), "\(result.stderr)")
        }
        #expect(Self.outputs(project) == before)
    }
}
