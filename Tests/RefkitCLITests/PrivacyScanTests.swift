import Foundation
import RefkitTestSupport
import Testing

/// The scan that runs after every build must be able to fail: leaks planted in a clean build
/// are found, named by file and kind, in each spelling.
@Suite("Privacy scan", .serialized)
struct PrivacyScanTests {
    /// A built sample, and one of its referrers' rows: email, surname, and a ledger row.
    static func built() throws -> (project: URL, scan: PrivacyScan) {
        let project = try CLI.sampleProject(prefix: "refkit-privacy")
        #expect(try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23", "--quiet"]).status == 0)
        return (project, try PrivacyScan(project: project))
    }

    static func plant(_ text: String, in project: URL, at path: String = "index.html") throws {
        let file = project.appendingPathComponent("public/" + path)
        let page = try String(contentsOf: file, encoding: .utf8)
        try (page + "<!-- " + text + " -->\n").write(to: file, atomically: true, encoding: .utf8)
    }

    /// One build for all the cases: each plants its value in a page, checks, and puts the
    /// page back.
    @Test("a planted value of each kind is found, naming the file and the kind")
    func planted() throws {
        let (project, scan) = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let page = project.appendingPathComponent("public/en/index.html")
        let clean = try Data(contentsOf: page)
        let cases: [(String, PrivacyScan.Kind, String)] = [
            ("lea.fontaine@example.fr", .email, "raw"),
            ("lea.fontaine%40example.fr", .email, "percent-encoded"),
            ("lea.fontaine&#64;example.fr", .email, "HTML-escaped"),
            ("Madame Fontaine,", .surname, "raw"),
            ("kit/codes.csv", .kitPath, "raw"),
            ("mail/drafts.mbox", .kitPath, "raw"),
            // The sample's coupon bank (content/coupons.csv).
            ("EXEMPLE-BRIOCHE-03", .coupon, "raw"),
        ]
        for (text, kind, spelling) in cases {
            try Self.plant(text, in: project, at: "en/index.html")
            let leaks = scan.leaks(in: project.appendingPathComponent("public"))
            #expect(leaks.contains { $0.file == "en/index.html" && $0.needle.kind == kind && $0.needle.spelling == spelling }, "\(text): \(leaks)")
            #expect(leaks.allSatisfy { $0.file == "en/index.html" }, "\(leaks)")
            // The check that follows every build throws, naming file and kind.
            let error = #expect(throws: PrivacyScan.LeakError.self) {
                try CLI.scanBuild(arguments: ["build", "--root", project.path], in: nil)
            }
            #expect(error?.description.contains("public/en/index.html contains a \(kind.rawValue)") == true, "\(String(describing: error))")
            try clean.write(to: page)
        }
        try CLI.scanBuild(arguments: ["build", "--root", project.path], in: nil)
    }

    @Test("the secret and a ledger row are found, the secret also when it came from REFKIT_SECRET")
    func secretAndLedger() throws {
        let (project, scan) = try Self.built()
        defer { try? FileManager.default.removeItem(at: project) }
        let secret = try String(contentsOf: project.appendingPathComponent("kit/secret"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let row = try String(contentsOf: project.appendingPathComponent("kit/codes.csv"), encoding: .utf8)
            .split(separator: "\n")[3]
        try Self.plant(secret, in: project, at: "sitemap.xml")
        try Self.plant(String(row), in: project, at: "404.html")
        let leaks = scan.leaks(in: project.appendingPathComponent("public"))
        #expect(leaks.contains { $0.file == "sitemap.xml" && $0.needle.kind == .secret })
        #expect(leaks.contains { $0.file == "404.html" && $0.needle.kind == .ledgerRow })

        let fromEnvironment = try PrivacyScan(project: project, secret: "an-environment-secret-0123456789")
        try Self.plant("an-environment-secret-0123456789", in: project, at: "robots.txt")
        #expect(fromEnvironment.leaks(in: project.appendingPathComponent("public")).contains { $0.file == "robots.txt" && $0.needle.kind == .secret })
    }

    @Test("a surname inside a longer word, or one the author wrote in content/, is not a leak")
    func notLeaks() throws {
        let scan = PrivacyScan(needles: [.init(kind: .surname, value: "Roux", wholeWord: true)])
        #expect(scan.leaks(in: Data("Rouxel et Giroux".utf8), file: "a.html").isEmpty)
        #expect(scan.leaks(in: Data("(Roux)".utf8), file: "a.html").count == 1)
        #expect(scan.leaks(in: Data("Roux".utf8), file: "a.html").count == 1)

        let project = try CLI.sampleProject(prefix: "refkit-privacy")
        defer { try? FileManager.default.removeItem(at: project) }
        let programme = project.appendingPathComponent("content/programs/parrainage.md")
        try (try String(contentsOf: programme, encoding: .utf8) + "\nMerci à la famille Fontaine.\n").write(to: programme, atomically: true, encoding: .utf8)
        let authored = try PrivacyScan(project: project)
        #expect(!authored.needles.contains { $0.kind == .surname && $0.value == "Fontaine" })
        #expect(authored.needles.contains { $0.kind == .surname && $0.value == "Roux" })
    }
}
