import Foundation
import RefkitTestSupport
import Testing

/// Issue 20, preview: `refkit serve` reloads open pages after each rebuild, swaps a changed
/// stylesheet, shows a build error over the page and clears it, sends the Netlify target's
/// headers, moves off a port in use and warns about --bind. Driven by Tests/Browser/serve.py
/// (Selenium, headless Chromium), which prints the time from a saved file to the new page.
@Suite("Live reload in refkit serve", .serialized)
struct LiveReloadTests {
    @Test("a headline saved in content/ shows in the open page without the test reloading it; CSS swaps; the error banner comes and goes; headers, port fallback and --bind")
    func liveReload() throws {
        let result = try Tools.browserScript("serve")
        print(result.output)
        #expect(result.status == 0 && result.output.hasSuffix("OK\n"), "\(result.output)")
        #expect(result.output.contains("saved file to reloaded page: "))
    }
}
