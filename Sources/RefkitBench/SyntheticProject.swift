import Foundation
import RefkitCSV

/// A programme of N referrers in a temporary folder: the sample's content/ and default theme
/// (five languages, the A/B variants) with a generated `referrers.csv`.
public struct SyntheticProject: Sendable {
    public let root: URL
    public let referrers: Int

    /// Copies `content` and `siteTemplates` under `root` and writes N referrers.
    public init(root: URL, referrers: Int, content: URL, siteTemplates: URL) throws {
        self.root = root
        self.referrers = referrers
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        try fm.copyItem(at: content, to: root.appendingPathComponent("content"))
        try fm.copyItem(at: siteTemplates, to: root.appendingPathComponent("site-templates"))
        try writeReferrers()
    }

    var csvURL: URL { root.appendingPathComponent("content/referrers.csv") }

    /// Writes the CSV; `renamed` gives those referrers a new name and first name, as a
    /// marketer correcting a typo would.
    func writeReferrers(renamed: Set<Int> = []) throws {
        var text = Self.writer.line(["email", "name", "first_name", "lang", "program", "favourite"])
        text.reserveCapacity(referrers * 72)
        for i in 0..<referrers {
            var p = SyntheticNames.person(i)
            if renamed.contains(i) {
                p.name += "-Corrected"
                p.firstName = "Corrected"
            }
            text += Self.writer.line([p.email, p.name, p.firstName, p.language, "", p.favourite])
        }
        try Data(text.utf8).write(to: csvURL)
    }

    /// Changes one referrer's name (the middle one): the third build of the benchmark.
    public func renameOneReferrer() throws -> Int {
        let index = referrers / 2
        try writeReferrers(renamed: [index])
        return index
    }

    /// Changes one more referrer's name (a third of the way in), keeping the first rename:
    /// the fourth build, which finds the spare folders the third one left.
    public func renameAnotherReferrer() throws -> Int {
        let index = referrers / 3
        try writeReferrers(renamed: [referrers / 2, index])
        return index
    }

    /// Edits the personal layout, which every personal page is rendered through, as a marketer
    /// adjusting the theme would: a line of copy under the invitation. Every personal page (and
    /// every postcard and draft, whose inputs include the theme) is made again: the fifth build.
    public func editTheme() throws {
        let url = root.appendingPathComponent("site-templates/layouts/personal.mustache")
        let text = try String(contentsOf: url, encoding: .utf8)
        let anchor = "<main id=\"main\">"
        guard let range = text.range(of: anchor) else {
            throw BenchError("\(url.path) has no \(anchor) to edit after; the bench expects the sample's personal layout")
        }
        let edited = text.replacingCharacters(in: range, with: anchor + "\n  <p class=\"theme-note\">{{program.cta}}</p>")
        try Data(edited.utf8).write(to: url)
    }

    /// refkit's one CSV writer. Synthetic names never start with a formula sign, so its guard
    /// never adds a `'` that the loader would keep.
    static let writer = CSVWriter(lineEnd: .lf)
}
