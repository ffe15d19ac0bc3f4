import Foundation
import RefkitModel
import RefkitTestSupport
import Testing
@testable import RefkitLoad

/// A tiny project written into a temporary folder, one file per argument.
func makeProject(_ files: [String: String]) throws -> URL {
    let root = try TemporaryFolder.create("refkit-load")
    var all = [
        "content/site.yaml": "name: Café Test\nbase_url: https://example.com/\nlanguage: en\n",
        "content/programs/offer.md": "---\nheadline: Bring a friend\nincentive:\n  referrer: A free coffee\n  friend: 10% off\ncta: Join\n---\nBody text.\n",
        "site-templates/i18n/en.yaml": "language_name: English\nform:\n  submit: Send\n",
    ]
    for (path, text) in files { all[path] = text }
    for (path, text) in all where !text.isEmpty {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    return root
}

@Suite("Loading a project")
struct ProjectLoaderTests {
    @Test("a minimal project loads into the model")
    func minimal() throws {
        let project = try ProjectLoader(root: makeProject([:])).load()
        #expect(project.site.name == "Café Test")
        #expect(project.programs.map(\.slug) == ["offer"])
        #expect(project.mainProgram.defaultEdition.incentive == Incentive(referrer: "A free coffee", friend: "10% off"))
        #expect(project.mainProgram.defaultEdition.body.html == "<p>Body text.</p>\n")
    }

    @Test("each bad input is reported with its file, line, column and fix", arguments: [
        ("content/programs/offer.md", "---\nheadlin: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\n---\n",
         "content/programs/offer.md:2:1: unknown key `headlin` in the document; did you mean `headline`?"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nends: 2025-02-31\n---\n",
         "content/programs/offer.md:7:7: `ends` \"2025-02-31\" is not a date; use YYYY-MM-DD, for example 2027-03-31."),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\ncta: Go\n---\n",
         "content/programs/offer.md:4:3: `incentive.friend` is missing; add `friend: ...`, what the friend gets."),
        ("content/programs/offer.md", "---\nheadline: [unclosed\ncta: Go\n---\n",
         "content/programs/offer.md:3:4: YAML syntax error"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nimage: nope.png\n---\n",
         "content/programs/offer.md:7:8: the image \"nope.png\" is not in content/assets/"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\ntiers:\n  - referrals: 3\n    reward: A\n  - referrals: 1\n    reward: B\n---\n",
         "content/programs/offer.md:10:16: tiers must go up: 1 comes after 3"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nvariants:\n  b:\n    weight: 1\n---\n",
         "content/programs/offer.md:9:5: variant `b` changes nothing"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nvariants:\n  b:\n    headlin: Y\n---\n",
         "content/programs/offer.md:9:5: unknown key `headlin` in `variants.b`; did you mean `headline`?"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nvariants:\n  b:\n    weight: 0\n    cta: Now\n---\n",
         "content/programs/offer.md:9:13: the weight of variant `b` must be more than 0"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nvariants:\n  a:\n    headline: Y\n---\n",
         "content/programs/offer.md:9:5: variant `a` is the control"),
        ("content/programs/offer.md", "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nsections: [steps, faqs]\n---\n",
         "content/programs/offer.md:7:19: unknown section `faqs`; did you mean `faq`?"),
        ("content/site.yaml", "name: X\nbase_url: ftp://example.com\nlanguage: en\n",
         "content/site.yaml:2:11: `base_url` \"ftp://example.com\" is not an absolute http(s) address"),
        ("content/programs/r.md", "---\nheadline: X\n---\n",
         "content/programs/r.md: the programme name \"r\" is reserved"),
        ("site-templates/layouts/landing.mustache", "{{#open}}never closed",
         "site-templates/layouts/landing.mustache:"),
        ("site-templates/layouts/landing.mustache", "{{> fotter}}",
         "site-templates/layouts/landing.mustache:1: unknown partial `fotter`"),
    ])
    func badInput(file: String, text: String, expected: String) throws {
        let root = try makeProject([file: text])
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.contains { $0.hasPrefix(expected) }, "\(messages)")
    }

    @Test("all problems are reported together, sorted by place")
    func allAtOnce() throws {
        let root = try makeProject([
            "content/programs/offer.md": "---\nheadlin: X\nincentive:\n  referrer: A\ncta: Go\nends: 2025-13-01\n---\n",
        ])
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        #expect((error?.diagnostics.count ?? 0) >= 4)
        #expect(error?.diagnostics == error?.diagnostics.sorted { $0.location < $1.location })
    }

    @Test("a symbolic link in content/ that leads outside the project is refused")
    func symlinkOutside() throws {
        let root = try makeProject([:])
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("refkit-secret-\(UUID().uuidString).txt")
        try "private".write(to: outside, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("content/assets"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("content/assets/x.txt"), withDestinationURL: outside)
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        #expect(error?.diagnostics.first?.location.file == "content/assets/x.txt")
    }

    @Test("a translation must give every variant of the default language, without weights")
    func translatedVariants() throws {
        let root = try makeProject([
            "content/programs/offer.md": "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nvariants:\n  b:\n    weight: 2\n    cta: Now\n---\n",
            "content/programs/offer.fr.md": "---\nheadline: X\nincentive:\n  referrer: A\n  friend: B\ncta: Go\nvariants:\n  c:\n    cta: Vite\n---\n",
            "site-templates/i18n/fr.yaml": "language_name: Français\nform:\n  submit: Envoyer\n",
        ])
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.contains { $0.hasPrefix("content/programs/offer.fr.md:9:5: the variant `c` is not in the default language's file") }, "\(messages)")
        #expect(messages.contains { $0.contains("variant `b` of the default language is missing here") }, "\(messages)")
    }

    @Test("a translation must carry its own headline and keep the tier counts")
    func translations() throws {
        let root = try makeProject([
            "content/programs/offer.fr.md": "---\nincentive:\n  referrer: Un café\n  friend: -10 %\ncta: Go\n---\n",
            "site-templates/i18n/fr.yaml": "language_name: Français\nform:\n  submit: Envoyer\n",
        ])
        let error = #expect(throws: LoadError.self) { try ProjectLoader(root: root).load() }
        #expect(error?.diagnostics.map(\.description).contains { $0.hasPrefix("content/programs/offer.fr.md:2:1: `headline` is missing") } == true)
    }
}
