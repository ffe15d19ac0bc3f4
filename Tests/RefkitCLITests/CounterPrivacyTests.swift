import Foundation
import RefkitTestSupport
import Testing

/// The counter page leaves the kit (a tablet, a USB stick), so the privacy scan that follows
/// every build covers it too; this shows that scan can fail.
@Suite("Counter page privacy")
struct CounterPrivacyTests {
    @Test("every build writes the counter page; an email, a surname or the secret planted in it is found and named")
    func planted() throws {
        let project = try CLI.sampleProject(prefix: "refkit-counter-privacy")
        defer { try? FileManager.default.removeItem(at: project) }
        let built = try CLI.refkit(["build", "--root", project.path, "--now", "2026-11-23"])
        #expect(built.status == 0 && built.stdout.contains("counter/index.html"), "\(built.output)")
        let kit = project.appendingPathComponent("kit")
        let page = kit.appendingPathComponent("counter/index.html")
        let clean = try Data(contentsOf: page)
        let scan = try PrivacyScan(project: project)
        try scan.checkCounter(kit: kit)
        let secret = try String(contentsOf: kit.appendingPathComponent("secret"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        for (planted, kind) in [("lea.fontaine@example.fr", PrivacyScan.Kind.email), ("Fontaine", .surname), (secret, .secret)] {
            try (String(decoding: clean, as: UTF8.self) + planted).write(to: page, atomically: true, encoding: .utf8)
            let error = #expect(throws: PrivacyScan.LeakError.self) { try scan.checkCounter(kit: kit) }
            #expect(error?.leaks.contains { $0.needle.kind == kind && $0.description.hasPrefix("kit/counter/index.html") } == true,
                    "\(kind) not found: \(String(describing: error))")
        }
        try clean.write(to: page)
    }
}
