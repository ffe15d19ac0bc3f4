import Foundation
import RefkitModel
import Testing
@testable import RefkitLoad

/// The value rules behind issue 17's classes 3 and 8: web addresses read without decoding,
/// plain email addresses, control characters made visible, and given names only.
@Suite("Addresses, visible text and given names")
struct AddressAndNameTests {
    @Test("WebAddress keeps host and path as written, lower-cases the host and builds the origin", arguments: [
        ("https://Refer.Example.com/", "refer.example.com", "/", "https://refer.example.com"),
        ("http://refer.example.com", "refer.example.com", "/", "http://refer.example.com"),
        ("https://x.example:8443/a;b/c'd/(x)/caf%C3%A9/", "x.example", "/a;b/c'd/(x)/caf%C3%A9/", "https://x.example:8443"),
        ("https://[::1]:8080/r/", "[::1]", "/r/", "https://[::1]:8080"),
        ("https://xn--bcher-kva.example/日本/", "xn--bcher-kva.example", "/日本/", "https://xn--bcher-kva.example"),
    ])
    func accepted(text: String, host: String, path: String, origin: String) throws {
        let address = try #require(WebAddress(text, kind: .siteFolder))
        #expect(address.host == host && address.path == path && address.origin == origin)
    }

    @Test("WebAddress refuses what a host file, a header or the 404 page cannot hold", arguments: [
        "https://a.example%3B%20script-src%20*/", "https://a%0Ab.example/", "https://a.example;x/", "https://$host/",
        "https://a{b}.example/", "https://a\"\u{301}.example/", "https://bücher.example/", "https://user@x.example/",
        "https://x.example/%2F%2Fevil.example/", "https://x.example/%5c%5cevil/", "https://x.example/a%0Ab/",
        "https://x.example/%2e%2e/", "https://x.example/./", "https://x.example//evil.example/", "https://x.example/?q=1",
        "https://x.example/#f", "https://x.example/a b/", "https://x.example/a\"b/", "https://x.example/%zz/",
        "https://x.example/\u{202E}/", "https://x.example:0/", "https://x.example:99999/", "https://-x.example/",
        "https://x..example/", "ftp://x.example/", "javascript:alert(1)//x.example/", "//x.example/", "https:///",
    ])
    func refused(text: String) {
        #expect(WebAddress(text, kind: .siteFolder) == nil, "\(text.debugDescription)")
    }

    @Test("a form endpoint may carry a query; the origin never holds it")
    func endpoint() throws {
        let address = try #require(WebAddress("https://Forms.example.com/f/abc?x=1;y='2'", kind: .endpoint))
        #expect(address.origin == "https://forms.example.com" && address.query == "x=1;y='2'")
        #expect(WebAddress("https://forms.example.com/f?a\nb", kind: .endpoint) == nil)
    }

    @Test("a non-ASCII host is refused with its xn-- form as the fix")
    func punycodeFix() throws {
        guard case let .failure(problem) = WebAddress.parse("https://bücher.example/", kind: .siteFolder) else {
            Issue.record("accepted")
            return
        }
        #expect(problem.fix.contains("xn--bcher-kva.example"))
    }

    @Test("site.yaml addresses are plain addr-specs", arguments: [
        ("me@example.com", true), ("o'brien+news@example.co.uk", true), ("jos\u{E9}@b\u{FC}cher.example", true),
        ("me@example.com?bcc=them%40x.example", false), ("me?bcc=x@example.com", false), ("me@example.com&cc=x", false),
        ("me%3Fbcc@example.com", false), ("me@example.com#x", false), ("Me <me@example.com>", false), ("me@localhost", false),
        ("me@@example.com", false), (".me@example.com", false), ("me..x@example.com", false), ("me@-x.example", false),
        ("me@example.com\u{FF1F}bcc=x", false), ("me\u{202E}@example.com", false), ("me@exa mple.com", false),
    ])
    func plainAddress(text: String, valid: Bool) {
        #expect(EmailCheck.isPlainAddress(text) == valid, "\(text.debugDescription)")
    }

    @Test("control characters become <U+XXXX>, by scalar", arguments: [
        ("plain", "plain"), ("a\u{1B}]0;t\u{07}b", "a<U+001B>]0;t<U+0007>b"), ("\u{9B}31m", "<U+009B>31m"),
        ("x\u{202E}y\u{2066}", "x<U+202E>y<U+2066>"), ("\r\n", "<U+000D><U+000A>"), ("\u{7F}", "<U+007F>"),
        ("\u{1B}\u{301}", "<U+001B>\u{301}"), ("日本 ü", "日本 ü"),
    ])
    func visible(text: String, shown: String) {
        #expect(VisibleText.escaped(text) == shown)
    }

    @Test("diagnostics show a refused value's controls")
    func diagnostic() {
        let d = Diagnostic(SourceLocation(file: "content/referrers.csv", line: 2), "\"e\u{1B}]0;x\u{07}@x\" is not an email address")
        #expect(d.description == "content/referrers.csv:2: \"e<U+001B>]0;x<U+0007>@x\" is not an email address.")
    }

    @Test("given names by script and language: never a surname", arguments: [
        ("山田 花子", "ja", "花子"), ("山田花子", "ja", ""), ("王小明", "zh", ""), ("欧阳　娜娜", "zh", "娜娜"), ("김민준", "ko", ""),
        ("김 민준", "ko", "민준"), ("Yamada Hanako", "ja", ""), ("Wang Xiaoming", "zh", ""), ("Nguyễn Văn An", "vi", ""),
        ("Kovács János", "hu", ""), ("Hanako", "ja", "Hanako"), ("Yamada, Hanako", "ja", "Hanako"), ("Marie Dupont", "fr", "Marie"),
        ("山田花子", "fr", ""), ("Siti Nurhaliza binti Ahmad", "ms", "Siti"), ("Dupont, Jean-Luc", "fr", "Jean-Luc"),
        ("Yamada, Jr.", "ja", ""), ("David 王", "zh", ""), ("山田 Hanako", "ja", "Hanako"), ("Hanako 山田", "en", ""),
    ])
    func givenNames(name: String, language: String, expected: String) {
        #expect(Referrer.firstName(fromName: name, language: LanguageTag(language)) == expected)
    }
}
