import Crypto
import Foundation
import RefkitCounter
import RefkitLoad
import RefkitModel
import RefkitTestSupport
import Testing

/// The counter page's file, through the renderer's public API on the sample project: what it
/// holds, how its data are escaped, and that its policy names exactly its inline script and style.
@Suite("Counter renderer")
struct CounterRendererTests {
    static let hostileNames = [
        "</script><script>alert(1)</script>", "<!--", "\"\u{301}Zoë", "Ann\u{2028}e", "\u{202E}evil", "a & b <c>",
        "</SCRIPT ", "\\\"\\u003c", "\u{FEFF}x", "\u{0}nul",
    ]
    static let hostileOffer = "20% </script><!--<script>x()</script> \"\u{301} \u{2028}\u{2029} \u{202E} &amp;"

    /// The sample project, its referrers given hostile first names and codes, and its French
    /// offer made hostile; plus two inactive codes.
    func render() throws -> (page: String, project: Project, invitations: [Invitation], inactive: [InviteCode]) {
        let root = try CLI.sampleProject(prefix: "refkit-counter-renderer")
        defer { try? FileManager.default.removeItem(at: root) }
        var project = try ProjectLoader(root: root).load()
        project.programs[0].editions[0].incentive.friend = Self.hostileOffer
        var invitations: [Invitation] = []
        for (i, referrer) in project.referrers.enumerated() {
            var r = referrer
            if i < Self.hostileNames.count { r.firstName = Self.hostileNames[i] }
            invitations.append(Invitation(referrer: r, code: InviteCode(uncheckedRawValue: String(format: "C%07dX", 1000 - i))))
        }
        let inactive = [InviteCode(uncheckedRawValue: "ZZZZZZZZZ"), InviteCode(uncheckedRawValue: "000000000")]
        let file = try CounterRenderer(project: project, invitations: invitations, inactive: inactive).render()
        #expect(file.area == .kit && file.path == "counter/index.html")
        return (String(decoding: file.bytes, as: UTF8.self), project, invitations, inactive)
    }

    /// The JSON of the data block, parsed by Foundation.
    func data(_ page: String) throws -> [String: Any] {
        let open = "<script type=\"application/json\" id=\"counter-data\">"
        let start = try #require(page.range(of: open)).upperBound
        let end = try #require(page.range(of: "</script>", range: start..<page.endIndex)).lowerBound
        return try #require(try JSONSerialization.jsonObject(with: Data(page[start..<end].utf8)) as? [String: Any])
    }

    @Test("hostile first names and offers stay inside the data block and read back exactly")
    func hostileValues() throws {
        let (page, _, invitations, _) = try render()
        // Two script elements close, and nothing else could: no value ended one or opened a comment.
        #expect(page.components(separatedBy: "</script>").count == 3)
        #expect(!page.lowercased().contains("</script><script>alert"))
        #expect(!page.contains("<!--"))
        #expect(!page.unicodeScalars.contains("\u{2028}") && !page.unicodeScalars.contains("\u{2029}"))
        let json = try data(page)
        let names = try #require(json["names"] as? [String])
        for name in Self.hostileNames { #expect(names.contains(name), "\(name.debugDescription) did not read back") }
        let groups = try #require(json["groups"] as? [Any])
        let offers = groups.compactMap { ($0 as? [String: Any])?["o"] as? String }
        #expect(offers.contains(Self.hostileOffer))
        // Every active code once, sorted, with its name.
        let blocks = try #require(json["codes"] as? [[String: Any]])
        #expect(blocks.count == 1 && blocks[0]["n"] as? Int == 9)
        let all = try #require(blocks[0]["s"] as? String)
        let codes = stride(from: 0, to: all.count, by: 9).map { String(all.dropFirst($0).prefix(9)) }
        #expect(codes == codes.sorted() && codes.count == invitations.count + 2)
        let n = try #require(json["n"] as? [Int]), g = try #require(json["g"] as? [Int])
        for invitation in invitations {
            let i = try #require(codes.firstIndex(of: invitation.code.rawValue))
            #expect(names[n[i]] == invitation.referrer.firstName)
            #expect(g[i] != 0)
        }
        for code in ["ZZZZZZZZZ", "000000000"] {
            let i = try #require(codes.firstIndex(of: code))
            #expect(g[i] == 0 && n[i] == 0, "an inactive code carries a name or an offer")
        }
    }

    @Test("no email, no surname and no other referrer column reaches the page")
    func nothingPrivate() throws {
        let (page, project, _, _) = try render()
        for referrer in project.referrers {
            #expect(!page.contains(referrer.email))
            #expect(!page.contains(referrer.name) || referrer.name == referrer.firstName, "\(referrer.name) is on the page")
            for field in referrer.extra where field.value.count > 3 { #expect(!page.contains(field.value), "\(field.name) is on the page") }
        }
    }

    @Test("the page's Content-Security-Policy allows its own inline script and style by hash, and nothing else")
    func policy() throws {
        let (page, _, _, _) = try render()
        func between(_ open: String, _ close: String) throws -> String {
            let start = try #require(page.range(of: open)).upperBound
            return String(page[start..<(try #require(page.range(of: close, range: start..<page.endIndex))).lowerBound])
        }
        func hash(_ text: String) -> String { "'sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString() + "'" }
        let script = try between("</script>\n<script>", "</script>\n</body>")
        let style = try between("<style>", "</style>")
        // The attribute is HTML-escaped (`'` as `&#39;`), as every attribute refkit writes.
        let csp = try between("http-equiv=\"Content-Security-Policy\" content=\"", "\"").replacingOccurrences(of: "&#39;", with: "'")
        #expect(csp.hasPrefix("default-src 'none';"))
        #expect(csp.contains("script-src \(hash(script));"))
        #expect(csp.contains("style-src \(hash(style));"))
        #expect(!csp.contains("unsafe") && !csp.contains("http"))
        #expect(!page.contains("src=\"http") && !page.contains("href=\"http") && !page.contains("@import") && !page.contains("url("))
    }

    @Test("every programme language is on the switch, with all its strings; a missing string is an error naming the file")
    func strings() throws {
        let (page, project, invitations, inactive) = try render()
        let json = try data(page)
        let langs = try #require(json["langs"] as? [String: [String: Any]])
        #expect(Set(langs.keys) == Set(project.programs.flatMap(\.languages).map(\.rawValue)))
        #expect(json["default"] as? String == project.site.language.rawValue)
        for (tag, entry) in langs {
            let s = try #require(entry["s"] as? [String: String])
            #expect(Set(s.keys) == Set(CounterStrings.keys), "\(tag)")
            #expect(s.values.allSatisfy { !$0.isEmpty }, "\(tag)")
        }
        var broken = project
        let ja = try #require(LanguageTag("ja"))
        broken.theme.strings[ja]!.values["counter.valid"] = nil
        let error = #expect(throws: CounterError.self) {
            _ = try CounterRenderer(project: broken, invitations: invitations, inactive: inactive).render()
        }
        #expect(error?.diagnostics.first?.location.file == "site-templates/i18n/ja.yaml")
        #expect(error?.description.contains("counter.valid") == true)
    }
}
