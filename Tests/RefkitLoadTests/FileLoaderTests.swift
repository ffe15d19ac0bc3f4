import Foundation
import RefkitModel
import Testing
@testable import RefkitLoad

/// The in-memory entry points the fuzz target uses, and regressions for what fuzzing and the
/// scaling probes next to it found.
@Suite("Loading single files from memory")
struct FileLoaderTests {
    static let site = Site(name: "Test", baseURL: "https://example.com/", language: LanguageTag("fr")!)

    @Test("a programme from bytes loads as from a project, with the display name in every message")
    func program() {
        let text = "---\nheadline: Bring a friend\nincentive:\n  referrer: A coffee\n  friend: 10% off\ncta: Join\nheadlin: typo\n---\nBody.\n"
        let (programs, diagnostics) = FileLoader.program(Data(text.utf8), file: "content/programs/offer.md", site: Self.site)
        #expect(programs.map(\.slug) == ["offer"])
        #expect(diagnostics.map(\.location) == [SourceLocation(file: "content/programs/offer.md", line: 7, column: 1)])
        #expect(diagnostics.first?.message == "unknown key `headlin` in the document")
        let latin1 = FileLoader.program(Data([0x2D, 0x2D, 0x2D, 0x0A, 0xE9, 0x0A]), file: "content/programs/offer.md", site: Self.site)
        #expect(latin1.diagnostics.map(\.message) == ["is not UTF-8 text"])
        let badName = FileLoader.program(Data(text.utf8), file: "content/programs/Offer!.md", site: Self.site)
        #expect(badName.programs.isEmpty && badName.diagnostics.first?.message.contains("not a usable programme name") == true)
    }

    @Test("site.yaml from bytes")
    func site() {
        let (site, diagnostics) = FileLoader.site(Data("name: X\nbase_url: https://x.example/\nlanguage: ja\n".utf8))
        #expect(site?.language == LanguageTag("ja") && diagnostics.isEmpty)
        let broken = FileLoader.site(Data("name: X\nlanguage: [\n".utf8))
        #expect(broken.site == nil && broken.diagnostics.first?.location.file == "content/site.yaml")
    }

    /// Found by the scaling probes run beside the fuzzer: checking a mapping's keys against a
    /// list of its own keys (variants, email messages) was quadratic, and a translation
    /// searched the default language's variants once per variant. 20,000 variants took
    /// minutes; now each file is one pass. The time limit is a hang guard with a wide margin
    /// (the fixed loader takes 5 s alone in a debug build and 86 s while `make test` runs every
    /// other suite beside it; the quadratic one took over 200 s alone), not a measurement.
    @Test("20,000 variants in a programme and its translation load in one pass", .timeLimit(.minutes(3)))
    func manyVariants() throws {
        let n = 20_000
        func file(translation: Bool) -> String {
            var text = "---\nheadline: H\ncta: C\nincentive: {referrer: R, friend: F}\nvariants:\n"
            for i in 0..<n { text += translation ? "  v\(i): {headline: T\(i)}\n" : "  v\(i): {weight: \(i % 3 + 1), headline: H\(i)}\n" }
            text += translation ? "---\n" : "  Bad_Name: {headline: X}\n---\n"
            return text
        }
        let log = DiagnosticLog()
        let loader = ProgramLoader(site: Self.site, log: log, assetExists: { _ in false })
        let programs = loader.load([
            .init(slug: "offer", language: nil, path: "content/programs/offer.md", text: file(translation: false)),
            .init(slug: "offer", language: LanguageTag("en"), path: "content/programs/offer.en.md", text: file(translation: true)),
        ])
        #expect(log.items.map(\.location) == [SourceLocation(file: "content/programs/offer.md", line: 6 + n, column: 13)])
        #expect(log.items.first?.message == "the variant name \"Bad_Name\" is not usable in an address")
        let editions = try #require(programs.first?.editions)
        #expect(editions.map { $0.variants.count } == [n, n])
        #expect(editions[1].variants[n - 1].name == "v\(n - 1)" && editions[1].variants[n - 1].weight == Double((n - 1) % 3 + 1))
        #expect(editions[1].variants[7].overrides.headline == "T7")
    }
}
