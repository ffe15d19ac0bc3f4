import Foundation
import RefkitTestSupport
import Testing

/// The site in a real browser (Debian's chromium, driven by chromedriver through Selenium),
/// scanned by axe-core, laid out at phone and laptop widths, and served by a real nginx.
/// Each script builds its own copy of the sample and prints why it failed.
/// One at a time: each starts a browser, and the machine has two cores.
@Suite("Browser", .serialized)
struct BrowserTests {
    @Test("pages load cleanly under the CSP, ?ref= fills the code, the form posts every field, the split sticks, no-JS works, weight within budget")
    func behaviour() throws {
        let result = try Tools.browserScript("behaviour")
        print(result.output)
        #expect(result.status == 0 && result.output.hasSuffix("OK\n"), "\(result.output)")
    }

    @Test("axe-core 4.x finds no WCAG 2.2 A/AA or best-practice violation on any page type in any sample language")
    func accessibility() throws {
        let result = try Tools.browserScript("accessibility")
        print(result.output)
        #expect(result.status == 0 && result.output.hasSuffix("OK\n"), "\(result.output)")
    }

    @Test("no horizontal overflow and the CTA above the fold at 360 and 1280 px; CJK in CJK fonts; screenshots kept")
    func layout() throws {
        let result = try Tools.browserScript("layout")
        print(result.output)
        #expect(result.status == 0 && result.output.hasSuffix("OK\n"), "\(result.output)")
    }

    @Test("nginx with the generated server block serves the landing page, a noindex personal page and the 404 page")
    func nginx() throws {
        let result = try Tools.browserScript("nginx")
        print(result.output)
        #expect(result.status == 0 && result.output.hasSuffix("OK\n"), "\(result.output)")
    }
}
