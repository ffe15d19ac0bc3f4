import Foundation
import RefkitBuild
import RefkitModel
import RefkitTestSupport
import Testing

/// Postcards are keyed by what they are made from: a page template they never read leaves
/// every print file as it was; their layout or their strings draw them all again.
@Suite("Postcard reuse")
struct PrintReuseTests {
    let root: URL

    init() throws {
        root = try CLI.sampleProject(prefix: "refkit-print-reuse")
    }

    func build() throws -> BuildReport {
        try Build(options: BuildOptions(root: root, today: Day("2026-11-23")!,
                                        environment: ["REFKIT_SECRET": "print-reuse-test-secret-0123456789"])).run()
    }

    func edit(_ path: String, _ find: String, _ replace: String) throws {
        let url = root.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        try #require(text.contains(find), "\(path) has no \(find)")
        try text.replacingOccurrences(of: find, with: replace).write(to: url, atomically: true, encoding: .utf8)
    }

    /// The print files and their records, with bytes and modification times.
    func printFiles() throws -> [String: (Data, Date?)] {
        let kit = root.appendingPathComponent("kit")
        let times = CLI.snapshot(kit).filter { $0.key.hasPrefix("print/") || $0.key.hasPrefix(".refkit/cache/print/") }
        return try times.reduce(into: [:]) { $0[$1.key] = (try Data(contentsOf: kit.appendingPathComponent($1.key)), $1.value) }
    }

    @Test("a page layout edit carries every postcard over untouched; the card layout or the strings draw them all again")
    func keyedByWhatCardsRead() throws {
        let first = try build()
        #expect(first.print.cards == 20 && first.reusedPostcards == 0)
        let before = try printFiles()
        #expect(before.keys.contains { $0.hasPrefix(".refkit/cache/print/") })

        try edit("site-templates/layouts/personal.mustache", "<main id=\"main\">", "<main id=\"main\" class=\"edited\">")
        let second = try build()
        #expect(second.site.reusedPersonalPages == 0)
        #expect(second.reusedPostcards == first.print.cards)
        // The summary comes from the records kept with the files: pages and paths included.
        #expect(second.print == first.print)
        let after = try printFiles()
        #expect(Set(after.keys) == Set(before.keys))
        for (path, (bytes, time)) in before {
            #expect(after[path]?.0 == bytes, "\(path) changed")
            #expect(after[path]?.1 == time, "\(path) was written again")
        }

        // A comment in the card layout changes no card, but the cards are made from the file.
        try edit("site-templates/print/postcard.yaml", "# Postcard layout", "# Postcard layout, edited")
        let third = try build()
        #expect(third.reusedPostcards == 0 && third.print == first.print)

        // A string the French cards print: every card is drawn again, with it.
        try edit("site-templates/i18n/fr.yaml", "  from: \"De :\"", "  from: \"De la part de :\"")
        let fourth = try build()
        #expect(fourth.reusedPostcards == 0 && fourth.print.cards == first.print.cards)
        let shop = root.appendingPathComponent("kit/print/parrainage-fr-shop-001.pdf")
        let text = try CLI.run("pdftotext", [shop.path, "-"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("De la part de"), "\(text.stdout)")
    }
}
