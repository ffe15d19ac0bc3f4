import Foundation
import Testing
import RefkitTestSupport

/// The sample built by the real binary: its postcards show the hero, and each office file's
/// test sheet speaks the cards' language.
@Suite("Postcard kit from the sample")
struct PostcardKitCLITests {
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let result = try CLI.run(tool, arguments)
        guard result.status == 0 else { throw CLIFailure(description: "\(tool) \(arguments): \(result.output)") }
        return result.stdout
    }

    struct CLIFailure: Error, CustomStringConvertible { var description: String }

    @Test("with print.pdf: x4 the sample builds; the front shows the hero; the test sheet is in fr, en, ja, ms and zh")
    func sampleKit() throws {
        let project = try CLI.sampleProject(prefix: "refkit-postcards")
        defer { try? FileManager.default.removeItem(at: project) }
        let site = project.appendingPathComponent("content/site.yaml")
        let yaml = try String(contentsOf: site, encoding: .utf8)
        try yaml.replacingOccurrences(of: "  sheet: A4", with: "  pdf: x4\n  sheet: A4").write(to: site, atomically: true, encoding: .utf8)
        let result = try CLI.refkit(["build", "--root", project.path, "--now", "2026-12-07", "--quiet"])
        #expect(result.status == 0, "\(result.output)")
        let print = project.appendingPathComponent("kit/print")
        let titles = ["fr": "Test d'impression", "en": "Print test", "ja": "印刷テスト", "ms": "Ujian cetak", "zh": "打印测试"]
        let files = try FileManager.default.contentsOfDirectory(atPath: print.path)
        for (language, title) in titles {
            // The secret is new, so which variants a language's referrers test is too.
            let name = try #require(files.first { $0.hasPrefix("parrainage-\(language)-") && $0.hasSuffix("-office-001.pdf") }, "\(files)")
            let office = print.appendingPathComponent(name)
            let text = try run("pdftotext", ["-f", "1", "-l", "2", office.path, "-"])
            #expect(text.contains(title), "\(language): \(text.prefix(200))")
        }
        let shop = print.appendingPathComponent(try #require(files.first { $0.hasPrefix("parrainage-fr-") && $0.hasSuffix("-shop-001.pdf") }))
        #expect(try run("qpdf", ["--qdf", "--object-streams=disable", shop.path, "-"]).contains("/GTS_PDFXVersion (PDF/X-4)"))
        // The hero's 72 mm at the top of the front: pdftoppm's PPM, many colours, not a flat fill.
        let scratch = try TemporaryFolder("refkit-hero")
        defer { scratch.remove() }
        let dir = scratch.url
        let prefix = dir.appendingPathComponent("front").path
        _ = try run("pdftoppm", ["-r", "40", "-f", "1", "-l", "1", "-singlefile", shop.path, prefix])
        let ppm = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm")))
        let header = String(decoding: ppm.prefix(20), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        let width = Int(header[1])!
        let headerLength = ppm.indices.filter { ppm[$0] == 0x0A }.prefix(3).last! + 1
        let mm = 40.0 / 25.4
        var colours = Set<Int>()
        for y in Int(12 * mm)..<Int(80 * mm) {
            for x in Int(12 * mm)..<Int(113 * mm) {
                let o = headerLength + (y * width + x) * 3
                colours.insert(Int(ppm[o]) << 16 | Int(ppm[o + 1]) << 8 | Int(ppm[o + 2]))
            }
        }
        #expect(colours.count > 20, "the hero area has \(colours.count) colours")
    }
}
