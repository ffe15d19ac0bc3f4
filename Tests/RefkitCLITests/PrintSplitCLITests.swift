import Foundation
import Testing
import RefkitTestSupport

/// Print-shop files stay under Lob's 5 MB: a file that would pass it is split into parts,
/// each checked with qpdf and poppler, with every card once and in order.
@Suite("Print-shop files split under 5 MB")
struct PrintSplitCLITests {
    static let cards = 150
    static let limit = 5_000_000

    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try CLI.run(tool, arguments)
        guard result.status == 0 else { throw CLIFailure(description: "\(tool) \(arguments): \(result.output)") }
        return result.stdout
    }

    struct CLIFailure: Error, CustomStringConvertible { var description: String }

    /// The sample with one programme, one language and no variants, `cards` referrers named
    /// Ami001, Ami002, … in that order, and a hero of noise (which no compression shrinks)
    /// over the whole front: 4.74 MB of pixels, stored once per file, so that about 150 cards
    /// pass 5 MB.
    func project() throws -> URL {
        let project = try CLI.sampleProject(prefix: "refkit-print-split")
        let program = project.appendingPathComponent("content/programs/parrainage.md")
        var text = try String(contentsOf: program, encoding: .utf8)
        let variants = try #require(text.range(of: "# A/B test"))
        let end = try #require(text.range(of: "split: client\n"))
        text.removeSubrange(variants.lowerBound..<end.upperBound)
        text = text.replacingOccurrences(of: "image: hero.svg", with: "image: hero.png")
        try text.write(to: program, atomically: true, encoding: .utf8)
        for language in ["en", "ja", "ms", "zh"] {
            try FileManager.default.removeItem(at: project.appendingPathComponent("content/programs/parrainage.\(language).md"))
        }
        let layout = project.appendingPathComponent("site-templates/print/postcard.yaml")
        let yaml = try String(contentsOf: layout, encoding: .utf8)
        let box = "image: { x: 0, y: 0, width: 105, height: 72, fit: cover }"
        #expect(yaml.contains(box))
        try yaml.replacingOccurrences(of: box, with: "image: { x: 0, y: 0, width: 105, height: 148, fit: cover }")
            .write(to: layout, atomically: true, encoding: .utf8)
        var csv = "email,name,first_name,lang,program,favourite\n"
        for i in 1...Self.cards {
            let n = String(format: "%03d", i)
            csv += "ami\(n)@example.fr,Ami\(n) Martin,Ami\(n),fr,,pain\n"
        }
        try csv.write(to: project.appendingPathComponent("content/referrers.csv"), atomically: true, encoding: .utf8)
        // A seeded noise PNG, RGB, 8 bits: the same bytes every run, so the same split.
        let png = project.appendingPathComponent("content/assets/hero.png")
        _ = try run("python3", ["-c", """
            import random, struct, sys, zlib
            w, h = 1000, 1580
            noise = random.Random(19).randbytes(w * h * 3)
            raw = b"".join(b"\\0" + noise[y * w * 3:(y + 1) * w * 3] for y in range(h))
            def chunk(kind, data):
                return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
            png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \\
                + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")
            open(sys.argv[1], "wb").write(png)
            """, png.path])
        return project
    }

    @Test("a batch over 5 MB builds into parts under 5 MB that pass qpdf, hold every card once in order, and a rebuild writes nothing")
    func splitsUnderLimit() throws {
        let project = try project()
        defer { try? FileManager.default.removeItem(at: project) }
        let build = ["build", "--root", project.path, "--now", "2026-12-07"]
        let first = try CLI.refkit(build)
        #expect(first.status == 0, "\(first.output)")
        let print = project.appendingPathComponent("kit/print")
        let files = try FileManager.default.contentsOfDirectory(atPath: print.path).sorted()
        let shops = files.filter { $0.contains("-shop-") }
        #expect(shops.count >= 2, "\(files)")
        #expect(shops == (1...shops.count).map { "parrainage-fr-shop-001-\(String(format: "%03d", $0)).pdf" }, "\(files)")
        #expect(files.filter { $0.contains("-office-") } == shops.map { $0.replacingOccurrences(of: "-shop-", with: "-office-") })
        // The build's summary names every part.
        for shop in shops { #expect(first.stdout.contains(shop), "\(first.stdout)") }

        var names: [String] = []
        var codes: [String] = []
        var pages = 0
        for shop in shops {
            let path = print.appendingPathComponent(shop).path
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            #expect(size < Self.limit, "\(shop) is \(size) bytes")
            // Near the limit, or the split is wasteful: each part but the last is over 4.5 MB.
            if shop != shops.last { #expect(size > 4_500_000, "\(shop) is \(size) bytes") }
            #expect(try run("qpdf", ["--check", path]).contains("No syntax or stream encoding errors"))
            let info = try run("pdfinfo", [path])
            let line = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") })
            pages += try #require(Int(line.split(separator: " ").last ?? ""))
            let text = try run("pdftotext", [path, "-"])
            names += text.matches(of: /Ami\d{3}/).map { String($0.output) }
            codes += text.matches(of: /\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]\b/).map { String($0.output) }
        }
        // Front and back of every card, each card once, in the referrers' order.
        #expect(pages == 2 * Self.cards)
        #expect(names == (1...Self.cards).map { "Ami" + String(format: "%03d", $0) })
        #expect(codes.count == Self.cards && Set(codes).count == Self.cards)

        let before = CLI.snapshot(project.appendingPathComponent("kit"))
        let again = try CLI.refkit(build + ["--quiet"])
        #expect(again.status == 0, "\(again.output)")
        #expect(CLI.snapshot(project.appendingPathComponent("kit")) == before)

        // A change the cards do not show (a column only drafts use): the parts are carried over.
        let referrers = project.appendingPathComponent("content/referrers.csv")
        let csv = try String(contentsOf: referrers, encoding: .utf8)
        try csv.replacingOccurrences(of: ",pain\n", with: ",croissant\n").write(to: referrers, atomically: true, encoding: .utf8)
        let third = try CLI.refkit(build)
        #expect(third.status == 0, "\(third.output)")
        #expect(third.stdout.contains("all postcards carried over unchanged"), "\(third.stdout)")
        // The carried-over summary, from the print renderer's records: one print-shop file of
        // parts and its office files count as the first build counted them, parts named.
        func printLines(_ out: String) -> [String] {
            out.split(separator: "\n").filter { $0.contains("print-shop file") }.map { line in
                line.range(of: "office file(s)").map { String(line[..<$0.upperBound]) } ?? String(line)
            }
        }
        #expect(printLines(third.stdout) == printLines(first.stdout) && printLines(first.stdout).count == 2, "\(third.stdout)")
        let after = CLI.snapshot(project.appendingPathComponent("kit"))
        for file in files { #expect(after["print/" + file] == before["print/" + file], "print/\(file) was written again") }
    }
}
