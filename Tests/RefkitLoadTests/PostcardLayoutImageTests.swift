import Testing
import RefkitModel
@testable import RefkitLoad

/// `print/postcard.yaml`'s image boxes, panels and logos, and `print.pdf` in site.yaml.
@Suite("Postcard layout: images, logo, bands")
struct PostcardLayoutImageTests {
    @Test("the shipped layout reads without a problem and equals the defaults")
    func shippedLayout() throws {
        let text = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/RefkitLoadTests/PostcardLayoutImageTests.swift", with: "site-templates/print/postcard.yaml"), encoding: .utf8)
        let (layout, problems) = PrintLayoutLoader.parse(text)
        #expect(problems.isEmpty, "\(problems)")
        #expect(layout == PrintLayout())
    }

    @Test("fit, boxes and none are read; bad values are reported at their line with a fix")
    func readsAndReports() {
        let (layout, problems) = PrintLayoutLoader.parse("""
            front:
              image: { x: 0, y: 0, width: 105, height: 60, fit: contain }
              logo: none
              panel: { x: 0, y: 60, width: 105, height: 88, color: "#123456" }
            back:
              accent: none
              logo: { x: 5, y: 5, width: 8, height: 8, fit: stretch }
              brand: { size: -3 }
            """)
        #expect(layout.front.image == PrintLayout.ImageBox(box: .init(x: 0, y: 0, width: 105, height: 60), fit: .contain))
        #expect(layout.front.logo == nil)
        #expect(layout.front.panel?.color == .rgb(red: 0x12, green: 0x34, blue: 0x56))
        #expect(layout.back.accent == nil)
        let messages = problems.map(\.description)
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("site-templates/print/postcard.yaml:7:") && $0.contains("\"stretch\" is not a fit") && $0.contains("cover") })
        #expect(messages.contains { $0.hasPrefix("site-templates/print/postcard.yaml:8:") && $0.contains("must be from 4 to 200 pt, not -3") })
    }

    @Test("print.pdf takes plain, x4 or x1a and names the line of anything else")
    func pdfSetting() throws {
        let goodLog = DiagnosticLog()
        let good = SiteLoader.load("name: B\nbase_url: https://b.example/\nlanguage: fr\nprint:\n  pdf: X1A\n", file: "content/site.yaml", log: goodLog)
        #expect(good?.print.pdf == .x1a)
        #expect(goodLog.items.isEmpty)
        let badLog = DiagnosticLog()
        _ = SiteLoader.load("name: B\nbase_url: https://b.example/\nlanguage: fr\nprint:\n  pdf: pdfx3\n", file: "content/site.yaml", log: badLog)
        #expect(badLog.items.map(\.description).contains { $0.hasPrefix("content/site.yaml:5:") && $0.contains("x4") }, "\(badLog.items)")
    }
}
