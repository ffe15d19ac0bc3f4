import Foundation
import RefkitTestSupport
import Testing

/// The QR mask caches of `refkit build`: private, in the kit, read back by the next build, and
/// never the cause of a different QR code (a theme edit re-renders every personal page with
/// the known masks; a damaged cache is encoded afresh).
@Suite("QR mask cache")
struct QRMaskCacheCLITests {
    static let siteCache = "kit/.refkit/cache/site-qr-masks.tsv"
    /// The print renderer keeps each card's mask in the record of its file pair.
    static let printRecords = "kit/.refkit/cache/print"

    /// Each personal page's inline SVG, by code folder.
    func qrSVGs(_ project: URL) throws -> [String: String] {
        let r = project.appendingPathComponent("public/r")
        var out: [String: String] = [:]
        for code in try FileManager.default.contentsOfDirectory(atPath: r.path) {
            let page = try String(contentsOf: r.appendingPathComponent("\(code)/index.html"), encoding: .utf8)
            let start = try #require(page.range(of: "<svg "))
            let end = try #require(page.range(of: "</svg>", range: start.upperBound..<page.endIndex))
            out[code] = String(page[start.lowerBound..<end.upperBound])
        }
        return out
    }

    @Test("a build keeps each personal page's and postcard's QR mask in the private kit; after a layout edit the pages carry the same QR codes")
    func cacheSurvivesThemeEdit() throws {
        let project = try CLI.sampleProject()
        let build = ["build", "--root", project.path, "--now", "2026-11-23"]
        let first = try CLI.refkit(build)
        #expect(first.status == 0, "\(first.stderr)")
        let before = try qrSVGs(project)
        #expect(before.count == 20)

        func checkPrivate(_ url: URL) throws {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            #expect(attributes[.posixPermissions] as? Int == 0o600, "\(url.path)")
        }
        let siteURL = project.appendingPathComponent(Self.siteCache)
        try checkPrivate(siteURL)
        let lines = try String(contentsOf: siteURL, encoding: .utf8).split(separator: "\n")
        #expect(lines.first?.hasPrefix("# refkit QR masks 1, libqrencode ") == true)
        #expect(lines.last == "# end")
        // One line per referrer: level, mask, check, the exact URL.
        #expect(lines.count == 20 + 2, "\(lines.count) lines")
        for line in lines.dropFirst().dropLast() {
            let fields = line.split(separator: "\t", maxSplits: 3)
            #expect(fields.count == 4 && fields[0] == "M" && Int(fields[1]).map { (0...7).contains($0) } == true)
            #expect(fields.last.map { $0.contains("/r/") && $0.contains("utm_medium=") } == true, "\(line)")
        }
        // One mask line per card, in the records of the print files: code, mask, check.
        let records = project.appendingPathComponent(Self.printRecords)
        var printMasks: [Substring] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: records.path) {
            try checkPrivate(records.appendingPathComponent(name))
            let text = try String(contentsOf: records.appendingPathComponent(name), encoding: .utf8)
            #expect(text.hasPrefix("# refkit postcard files 1\n") && text.hasSuffix("# end\n") && text.contains("\nqr\tlibqrencode "))
            printMasks += text.split(separator: "\n").filter { $0.hasPrefix("mask\t") }
        }
        #expect(printMasks.count == 20)
        for line in printMasks {
            let fields = line.split(separator: "\t")
            #expect(fields.count == 4 && fields[1].count == 11 && Int(fields[2]).map { (0...7).contains($0) } == true && fields[3].count == 16, "\(line)")
        }
        let siteCache = try String(contentsOf: project.appendingPathComponent(Self.siteCache), encoding: .utf8)
        for code in before.keys { #expect(siteCache.contains("/r/\(code)/?utm_source=qr&utm_medium=share"), "\(code)") }
        // Never published.
        let published = try FileManager.default.subpathsOfDirectory(atPath: project.appendingPathComponent("public").path)
        #expect(!published.contains { $0.contains("qr-masks") || $0.contains(".refkit") })

        // A real edit of the layout every personal page uses: every page is written again,
        // with the same QR code, and the caches keep their bytes.
        let layout = project.appendingPathComponent("site-templates/layouts/personal.mustache")
        let text = try String(contentsOf: layout, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "<main id=\"main\">", with: "<main id=\"main\">\n  <p class=\"note\">{{program.cta}}</p>").utf8)
            .write(to: layout)
        let cacheBytes = try Data(contentsOf: project.appendingPathComponent(Self.siteCache))
        let second = try CLI.refkit(build)
        #expect(second.status == 0, "\(second.stderr)")
        let page = try String(contentsOf: project.appendingPathComponent("public/r/\(before.keys.first!)/index.html"), encoding: .utf8)
        #expect(page.contains("<p class=\"note\">"))
        #expect(try qrSVGs(project) == before)
        #expect(try Data(contentsOf: project.appendingPathComponent(Self.siteCache)) == cacheBytes)

        // A damaged cache (every mask changed) that the build reads (its size and time to the
        // nanosecond put back with `touch -r`, so the manifest vouches for it) is only encoded
        // afresh: the pages' QR codes stay the automatic ones.
        let cacheURL = project.appendingPathComponent(Self.siteCache)
        let damaged = String(decoding: cacheBytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let fields = line.split(separator: "\t", maxSplits: 3).map(String.init)
            guard fields.count == 4 else { return String(line) }
            return [fields[0], String((Int(fields[1])! + 3) % 8), fields[2], fields[3]].joined(separator: "\t")
        }.joined(separator: "\n")
        let reference = project.appendingPathComponent("cache-time-reference")
        #expect(try CLI.run("cp", ["-p", cacheURL.path, reference.path]).status == 0)
        try Data(damaged.utf8).write(to: cacheURL)
        #expect(try CLI.run("touch", ["-r", reference.path, cacheURL.path]).status == 0)
        try Data(text.replacingOccurrences(of: "<main id=\"main\">", with: "<main id=\"main\">\n  <p class=\"other\">{{program.cta}}</p>").utf8)
            .write(to: layout)
        let third = try CLI.refkit(build)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try qrSVGs(project) == before)

        // Damaged so that the manifest no longer vouches for it (a new time): the build does
        // not read it, encodes afresh and writes the cache again with the right masks.
        try Data(damaged.utf8).write(to: cacheURL)
        try Data(text.utf8).write(to: layout)
        let fourth = try CLI.refkit(build)
        #expect(fourth.status == 0, "\(fourth.stderr)")
        #expect(try qrSVGs(project) == before)
        #expect(try Data(contentsOf: cacheURL) == cacheBytes)

        // A referrer taken off the list: nothing is learned, but the cache loses that line
        // (it is not the last build's bytes kept as they were).
        let referrers = project.appendingPathComponent("content/referrers.csv")
        var rows = try String(contentsOf: referrers, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        rows.remove(at: 1)
        try Data(rows.joined(separator: "\n").utf8).write(to: referrers)
        let fifth = try CLI.refkit(build)
        #expect(fifth.status == 0, "\(fifth.stderr)")
        let kept = try String(contentsOf: cacheURL, encoding: .utf8).split(separator: "\n")
        #expect(kept.count == 19 + 2, "\(kept.count) lines")
        #expect(Set(kept).isSubset(of: Set(String(decoding: cacheBytes, as: UTF8.self).split(separator: "\n"))))
    }
}
