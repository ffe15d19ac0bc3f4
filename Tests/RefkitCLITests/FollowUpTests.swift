import Foundation
import RefkitModel
import RefkitTestSupport
import Testing

/// Follow-up drafts from `refkit report` through the real binary: who gets which segment on
/// which day, nothing twice, unsubscribed addresses and flagged friends never.
@Suite("follow-up drafts", .serialized)
struct FollowUpTests {
    static let lea = "lea.fontaine@example.fr", jean = "jean-baptiste.roux@example.fr"
    /// On the unsubscribed list.
    static let unsubscribedReferrer = "m.lefevre@example.fr"
    /// Removed from referrers.csv after the first build: inactive in the ledger.
    static let inactive = "francois.garcon@example.fr"
    static let friend1 = "ana.lima@example.net", friend2 = "bo.chen@example.net", friend3 = "cy.roy@example.net"

    /// The sample built on 2026-11-23 (every code issued that day), one referrer made inactive,
    /// an export where Léa brings three friends (one converts on 11-27, one is unsubscribed),
    /// Jean-Baptiste refers himself (flagged) and a stranger types an unknown code.
    static func project() throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-followups")
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        let referrers = project.appendingPathComponent("content/referrers.csv")
        let kept = try String(contentsOf: referrers, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix(inactive) }
        try Data((kept.joined(separator: "\n") + "\n").utf8).write(to: referrers)
        try Data("email\n\(unsubscribedReferrer)\nCY.Roy+shop@Example.NET\n".utf8).write(to: project.appendingPathComponent("content/unsubscribed.csv"))
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        let codes = try ProgressPageTests.codes(project)
        let export = """
        date,code,variant,friend_name,friend_email,utm_source,lang
        2026-11-25,\(codes[lea]!),a,Ana Lima,\(friend1),email,en
        2026-11-25,\(codes[lea]!),a,Bo Chen,\(friend2),email,zh
        2026-11-25,\(codes[lea]!),a,Cy Roy,\(friend3),email,fr
        2026-11-25,\(codes[jean]!),a,Jean-Baptiste,\(jean),email,fr
        2026-11-25,ZZZZ-ZZZZ-Z,a,Mallory,mallory@example.net,email,fr

        """
        try Data(export.utf8).write(to: project.appendingPathComponent("export.csv"))
        try Data("email,date\n\(friend2),2026-11-27\n".utf8).write(to: project.appendingPathComponent("till.csv"))
        return project
    }

    static func log(_ project: URL) throws -> [[String]] {
        let url = project.appendingPathComponent("kit/report/follow-ups.csv")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    }

    @Test("a table over --now: each segment drafted to exactly the right people on the right days, nothing twice, never to the unsubscribed, inactive or flagged")
    func cadenceTable() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let all = Set(try ProgressPageTests.codes(project).keys)
        // Nudged: every active referrer without a counted referral; Jean-Baptiste's own form does not count.
        let nudged = all.subtracting([Self.lea, Self.inactive, Self.unsubscribedReferrer])
        let everyone = all.subtracting([Self.inactive, Self.unsubscribedReferrer])
        let table: [(now: String, segment: String, recipients: Set<String>)] = [
            ("2026-11-27", "", []),                                 // two days after the forms: too early
            ("2026-11-28", "friend_reminder", [Self.friend1]),      // Bo converted, Cy is unsubscribed
            ("2026-11-28", "", []),                                 // the same day again
            ("2026-12-06", "", []),                                 // 13 days after the codes
            ("2026-12-07", "nudge", nudged),                        // 14 days
            ("2026-12-10", "", []),
            ("2026-12-21", "nudge", nudged),                        // 14 days after the first nudge
            ("2027-01-04", "", []),                                 // nudge_max 2
            ("2027-03-23", "", []),                                 // 8 days before ends
            ("2027-03-24", "deadline", everyone),                   // 7 days before
            ("2027-03-30", "", []),
            ("2027-04-01", "", []),                                 // the programme has ended
        ]
        var seen = 0
        for row in table {
            let result = try CLI.refkit(["report", "export.csv", "--conversions", "till.csv", "--root", project.path, "--now", row.now], in: project)
            #expect(result.status == 0, "\(row.now): \(result.stderr)")
            let log = try Self.log(project)
            let new = log.dropFirst(seen)
            seen = log.count
            #expect(Set(new.map { $0[1] }) == (row.segment.isEmpty ? [] : [row.segment]), "\(row.now)")
            #expect(Set(new.map { $0[3] }) == row.recipients, "\(row.now): \(new.map { $0[3] }.sorted())")
            #expect(new.count == row.recipients.count, "\(row.now): one draft each")
            #expect(new.allSatisfy { $0[0] == row.now })
        }
        // One .eml per logged follow-up, and each segment's mbox holds them all, read by Python.
        let script = """
        import glob, mailbox, sys, email, email.policy
        from email.utils import parseaddr
        kit = sys.argv[1] + '/report/follow-ups/'
        for seg in ('nudge', 'friend_reminder', 'deadline'):
            emls = sorted(glob.glob(kit + seg + '/*.eml'))
            box = mailbox.mbox(kit + seg + '.mbox')
            assert len(box) == len(emls), (seg, len(box), len(emls))
            print(seg, len(emls), ' '.join(sorted(parseaddr(m['To'])[1] for m in box)))
        """
        let python = try CLI.run("python3", ["-c", script, project.appendingPathComponent("kit").path])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout.contains("nudge \(2 * nudged.count) "))
        #expect(python.stdout.contains("friend_reminder 1 \(Self.friend1)\n"))
        #expect(python.stdout.contains("deadline \(everyone.count) "))
        for address in [Self.unsubscribedReferrer, Self.inactive, Self.friend3, "mallory@example.net"] {
            #expect(!python.stdout.contains(address))
        }
    }

    @Test("a friend reminder is in the language of the page the friend sent the form from, greets the friend and never carries the referrer's progress link")
    func friendReminderLanguage() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try CLI.refkit(["report", "export.csv", "--conversions", "till.csv", "--root", project.path, "--now", "2026-11-28", "-q"], in: project).status == 0)
        let folder = project.appendingPathComponent("kit/report/follow-ups/friend_reminder")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
        #expect(name.hasPrefix("2026-11-28-"))
        let script = """
        import email, email.policy, sys
        m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
        print(m['Content-Language'], '|', m['To'], '|', m['Subject'])
        print(m.get_body(('plain',)).get_content())
        """
        let out = try CLI.run("python3", ["-c", script, folder.appendingPathComponent(name).path]).stdout
        #expect(out.hasPrefix("en | Ana Lima <\(Self.friend1)> | Léa's gift is waiting for you"), "\(out)")
        #expect(out.contains("Hello Ana,"))
        #expect(!out.contains("/p/"))
    }

    @Test("a segment without its message is skipped with a warning naming the file, and is drafted once the message is added")
    func missingMessage() throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let en = project.appendingPathComponent("content/programs/parrainage.en.md")
        let text = try String(contentsOf: en, encoding: .utf8)
        let start = try #require(text.range(of: "  friend_reminder:\n")), end = try #require(text.range(of: "  deadline:\n"))
        try Data((String(text[..<start.lowerBound]) + String(text[end.lowerBound...])).utf8).write(to: en)
        let first = try CLI.refkit(["report", "export.csv", "--conversions", "till.csv", "--root", project.path, "--now", "2026-11-28"], in: project)
        #expect(first.status == 0)
        #expect(first.stderr.contains("warning: content/programs/parrainage.en.md: programme parrainage has no `friend_reminder` message in en"), "\(first.stderr)")
        #expect(try Self.log(project).isEmpty)
        try Data(text.utf8).write(to: en)
        #expect(try CLI.refkit(["report", "export.csv", "--conversions", "till.csv", "--root", project.path, "--now", "2026-11-29", "-q"], in: project).status == 0)
        #expect(try Self.log(project).map { $0[3] } == [Self.friend1])
    }

    @Test("cadence values that are negative, huge or not numbers are refused at their line in site.yaml", arguments: [
        ("nudge_after_days: -3", "between 1 and 365"),
        ("nudge_max: 99999999999999999999999", "whole number"),
        ("friend_after_days: three", "whole number"),
        ("deadline_days_before: 1e9", "whole number"),
        ("nudge_after_days: 36500", "between 1 and 365"),
        ("nudge_aftre_days: 3", "nudge_after_days"),
    ])
    func hostileCadence(line: String, message: String) throws {
        let project = try CLI.sampleProject(prefix: "refkit-followups")
        defer { try? FileManager.default.removeItem(at: project) }
        let site = project.appendingPathComponent("content/site.yaml")
        var text = try String(contentsOf: site, encoding: .utf8)
        let mail = try #require(text.range(of: "\nmail:\n"))
        text.insert(contentsOf: "  follow_ups:\n    \(line)\n", at: mail.upperBound)
        try Data(text.utf8).write(to: site)
        let number = text[..<text.range(of: line)!.lowerBound].filter { $0 == "\n" }.count + 1
        let build = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(build.status == 1)
        #expect(build.stderr.contains("content/site.yaml:\(number)"), "\(build.stderr)")
        #expect(build.stderr.contains(message), "\(build.stderr)")
    }
}
