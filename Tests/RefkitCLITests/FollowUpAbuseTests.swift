import Foundation
import RefkitModel
import RefkitTestSupport
import Testing

/// What a stranger with the public form, a careless list or a lost file could do to follow-ups,
/// through the real binary (attack on issue #18, findings 3, 5, 8 and 13).
@Suite("follow-ups under attack", .serialized)
struct FollowUpAbuseTests {
    static let lea = FollowUpTests.lea

    /// The sample built on 2026-11-23, with `export` (rows after the header, `CODE` standing for
    /// Léa's code) and an empty till export.
    static func project(_ rows: [String], referrers: ((String) -> String)? = nil) throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-followup-abuse")
        if let referrers {
            let url = project.appendingPathComponent("content/referrers.csv")
            try Data(referrers(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
        }
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "-q"]).status == 0)
        let code = try #require(try ProgressPageTests.codes(project)[lea])
        let export = "date,code,variant,friend_name,friend_email,utm_source,lang\n"
            + rows.map { $0.replacingOccurrences(of: "CODE", with: code) }.joined(separator: "\n") + "\n"
        try Data(export.utf8).write(to: project.appendingPathComponent("export.csv"))
        try Data("email,date\n".utf8).write(to: project.appendingPathComponent("till.csv"))
        return project
    }

    static func report(_ project: URL, _ now: String, _ extra: [String] = []) throws -> CLI.Result {
        try CLI.refkit(["report", "export.csv", "--conversions", "till.csv", "--root", project.path, "--now", now] + extra, in: project)
    }

    static func drafts(_ project: URL, _ segment: String) throws -> [String] {
        let folder = project.appendingPathComponent("kit/report/follow-ups/" + segment)
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".eml") }.sorted()
    }

    /// Subject, To and plain body of each draft of a segment, read by Python's email parser.
    static func read(_ project: URL, _ folder: String) throws -> String {
        let script = """
        import email, email.policy, glob, sys
        for f in sorted(glob.glob(sys.argv[1] + '/*.eml')):
            m = email.message_from_binary_file(open(f, 'rb'), policy=email.policy.default)
            print('To:', m['To']); print('Subject:', m['Subject']); print(m.get_body(('plain',)).get_content()); print('----')
        """
        let out = try CLI.run("python3", ["-c", script, project.appendingPathComponent("kit/" + folder).path])
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout
    }

    @Test("forty forms for one code in a day to a throwaway domain draft no friend reminder, are counted as held in the summary and named in warnings; conversions mode, no rewards_from")
    func strangersFromThePublicForm() throws {
        let rows = (1...40).map { "2026-11-25,CODE,a,Victim\($0),victim\($0)@mailinator.com,email,fr" }
        let project = try Self.project(rows)
        defer { try? FileManager.default.removeItem(at: project) }
        let result = try Self.report(project, "2026-12-01")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.drafts(project, "friend_reminder").isEmpty)
        #expect(result.stdout.contains("0 friend_reminder"), "\(result.stdout)")
        #expect(result.stdout.contains("held back:  40 friend reminder(s)"), "\(result.stdout)")
        #expect(result.stdout.contains("40 look made up"))
        #expect(result.stderr.contains("warning: export.csv:2: no friend reminder to victim1@mailinator.com"), "\(result.stderr)")
        #expect(result.stderr.contains("40 forms for this code on 2026-11-25 (more than 5)"))
        #expect(result.stderr.contains("a throwaway address (mailinator.com)"))
        #expect(result.stderr.contains("30 more friend reminder(s) held"))
    }

    @Test("plausible friends spread over days are reminded at most daily_limit per code per run; the rest come on the next run")
    func capPerRun() throws {
        // Two a day over four days: no day is busy, and each friend looks real.
        let names = ["Ana Lima", "Bo Chen", "Cy Roy", "Dee Park", "Eli Nash", "Fay Wong", "Gus Hale", "Ida Berg"]
        let rows = names.enumerated().map { i, n in
            "2026-11-2\(2 + i / 2 + 2),CODE,a,\(n),\(n.lowercased().replacingOccurrences(of: " ", with: "."))@example.net,email,en"
        }
        let project = try Self.project(rows)
        defer { try? FileManager.default.removeItem(at: project) }
        let first = try Self.report(project, "2026-12-05")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try Self.drafts(project, "friend_reminder").count == 5)
        #expect(first.stdout.contains("held back:  3 friend reminder(s): 3 over 5 per code in one run (drafted on a later run)"), "\(first.stdout)")
        let second = try Self.report(project, "2026-12-06")
        #expect(second.status == 0)
        #expect(try Self.drafts(project, "friend_reminder").count == 8)
        #expect(!second.stdout.contains("held back"))
        #expect(try FollowUpTests.log(project).map { $0[3] }.count == 8)
    }

    @Test("friend reminders and welcome drafts name the referrer by referrers.csv's first_name, not a guess from the full name")
    func referrerFirstName() throws {
        let project = try Self.project([
            "2026-11-25,CODE,a,Ann Lee,ann@example.net,email,fr",
            "2026-11-25,BOB,a,Ben Ray,ben@example.net,email,en",
            "2026-11-25,BOB,a,Cy Roy,cy@example.net,email,en",
        ], referrers: { $0 + "dm@example.fr,Dupont Marie,Marie,fr,,\nbob@example.com,Robert Smith,Bob,en,,\n" })
        defer { try? FileManager.default.removeItem(at: project) }
        let codes = try ProgressPageTests.codes(project)
        // Ann goes to Marie (family name first in `name`), Ben and Cy to Bob; Cy converts.
        let export = project.appendingPathComponent("export.csv")
        var text = try String(contentsOf: export, encoding: .utf8)
        text = text.replacingOccurrences(of: codes[Self.lea]!, with: codes["dm@example.fr"]!).replacingOccurrences(of: "BOB", with: codes["bob@example.com"]!)
        try Data(text.utf8).write(to: export)
        try Data("email,date\ncy@example.net,2026-11-27\n".utf8).write(to: project.appendingPathComponent("till.csv"))
        let result = try Self.report(project, "2026-12-01")
        #expect(result.status == 0, "\(result.stderr)")
        let reminders = try Self.read(project, "report/follow-ups/friend_reminder")
        #expect(reminders.contains("Subject: Marie vous attend"), "\(reminders)")
        #expect(reminders.contains("Subject: Bob's gift is waiting for you"))
        #expect(!reminders.contains("Dupont") && !reminders.contains("Robert"))
        let welcome = try Self.read(project, "report/welcome")
        #expect(welcome.contains("Bob's advice"), "\(welcome)")
        #expect(!welcome.contains("Robert"))
    }

    @Test("a formula, quotes or 5,000 characters typed as the friend's name: the greeting shows a clean first name or none, the To: line at most 200 characters",
          arguments: [
            ("=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")", "Hello,", nil as String?),
            ("'Ana Lima", "Hello Ana,", "Ana Lima <ana@example.net>"),
            ("\"\"Ana\"\" Lima", "Hello Ana,", "Ana Lima <ana@example.net>"),
            (String(repeating: "A", count: 5000), "Hello " + String(repeating: "A", count: 39) + "…,", nil),
          ])
    func hostileFriendName(cell: String, greeting: String, to: String?) throws {
        let project = try Self.project(["2026-11-25,CODE,a,\"\(cell)\",ana@example.net,email,en"])
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try Self.report(project, "2026-12-01").status == 0)
        let draft = try Self.read(project, "report/follow-ups/friend_reminder")
        #expect(draft.contains(greeting + "\n"), "\(draft.prefix(600))")
        #expect(!draft.contains("evil.example") && !draft.contains("\"x\""))
        let toLine = try #require(draft.split(separator: "\n").first { $0.hasPrefix("To: ") })
        if let to { #expect(toLine == "To: " + to) }
        #expect(toLine.count <= 4 + 200 + 30, "about 200 characters of name, then the address")
    }

    @Test("a deleted follow-ups.csv with drafts kept is an error naming the file and what to do, and drafts nothing; --rebuild-follow-up-log rebuilds it from the drafts and drafts nothing twice")
    func lostLog() throws {
        let project = try FollowUpTests.project()
        defer { try? FileManager.default.removeItem(at: project) }
        for now in ["2026-11-28", "2026-12-07", "2026-12-21", "2027-03-24"] {
            #expect(try CLI.refkit(["report", "export.csv", "--conversions", "till.csv", "--root", project.path, "--now", now, "-q"], in: project).status == 0)
        }
        let logURL = project.appendingPathComponent("kit/report/follow-ups.csv")
        let before = try FollowUpTests.log(project)
        let kit = project.appendingPathComponent("kit/report/follow-ups")
        let snapshot = CLI.snapshot(kit)
        for damage in ["delete", "empty"] {
            if damage == "delete" { try FileManager.default.removeItem(at: logURL) } else { try Data().write(to: logURL) }
            let result = try Self.report(project, "2027-03-30")
            #expect(result.status == 1, "\(damage)")
            #expect(result.stderr.contains("kit/report/follow-ups.csv: the log of follow-ups already drafted is missing or empty, but kit/report/follow-ups/ holds \(before.count) draft(s)"), "\(result.stderr)")
            #expect(result.stderr.contains("restore kit/report/follow-ups.csv from a backup") && result.stderr.contains("--rebuild-follow-up-log"))
            #expect(CLI.snapshot(kit) == snapshot, "nothing drafted")
        }
        try FileManager.default.removeItem(at: logURL)
        let rebuilt = try Self.report(project, "2027-03-30", ["--rebuild-follow-up-log"])
        #expect(rebuilt.status == 0, "\(rebuilt.stderr)")
        #expect(rebuilt.stdout.contains("0 nudge, 0 friend_reminder, 0 deadline drafted"), "\(rebuilt.stdout)")
        #expect(Set(try FollowUpTests.log(project).map { $0.joined(separator: ",") }) == Set(before.map { $0.joined(separator: ",") }))
        // The rebuilt log is read as the original: the same day again drafts nothing.
        let again = try Self.report(project, "2027-03-30")
        #expect(again.status == 0 && again.stdout.contains("0 nudge, 0 friend_reminder, 0 deadline drafted"), "\(again.stdout)")
        // Asked to rebuild a log that is there: refused, the file left alone.
        let refused = try Self.report(project, "2027-03-30", ["--rebuild-follow-up-log"])
        #expect(refused.status == 1 && refused.stderr.contains("--rebuild-follow-up-log rebuilds a missing log, and this one is there"), "\(refused.stderr)")
    }

    @Test("a follow-ups.csv whose last row was cut short (no final line break) is an error at that line, and the friend is not reminded again")
    func truncatedLog() throws {
        let project = try FollowUpTests.project()
        defer { try? FileManager.default.removeItem(at: project) }
        #expect(try Self.report(project, "2026-11-28").status == 0)
        let logURL = project.appendingPathComponent("kit/report/follow-ups.csv")
        let text = try String(contentsOf: logURL, encoding: .utf8)
        #expect(text.hasSuffix("\(FollowUpTests.friend1)\n"))
        for cut in [String(text.dropLast(9)), String(text.dropLast(1))] {  // "ana.lima@exa" and the whole row without its line break
            try Data(cut.utf8).write(to: logURL)
            let result = try Self.report(project, "2026-11-29")
            #expect(result.status == 1)
            #expect(result.stderr.contains("kit/report/follow-ups.csv:2: "), "\(result.stderr)")
            #expect(try Self.drafts(project, "friend_reminder").count == 1)
        }
        // A recipient that is no address, in the middle of the file, is refused at its line too.
        try Data("date,segment,code,recipient\n2026-11-28,friend_reminder,\(text.split(separator: "\n")[1].split(separator: ",")[2]),crlf@ex\n".utf8).write(to: logURL)
        let bad = try Self.report(project, "2026-11-29")
        #expect(bad.status == 1 && bad.stderr.contains("kit/report/follow-ups.csv:2: the row is not `date,segment,code,recipient`"), "\(bad.stderr)")
    }
}
