import Foundation
import RefkitModel
import RefkitPrint
import RefkitQR
import RefkitTestSupport
import Testing

/// Encoding with a known mask (QRcode_encodeMask) instead of scoring all eight, and the cache
/// of masks the site and print renderers keep between builds. Every shortcut is checked
/// against the automatic encode module for module, and decoded by zbarimg.
@Suite("QR masks")
struct QRMaskTests {
    /// Personal-page and postcard URLs of many shapes: hosts and paths in either case, digits
    /// (libqrencode cuts numeric and alphanumeric runs into their own segments), a
    /// percent-encoded path, codes of 8 to 16 Crockford symbols.
    static func urls(count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(state: seed)
        let hosts = ["https://bakery.example/", "https://WWW.Bakery-42.example/", "http://127.0.0.1:8080/refer/",
                     "https://example.com/caf%C3%A9/fr/", "https://a.b/", "https://referrals.some-long-brand-name.example.co.uk/2026/"]
        let symbols = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let tails = ["?utm_source=qr&utm_medium=share", "?utm_source=postcard&utm_medium=print", "", "?x=0123456789"]
        return (0..<count).map { _ in
            let code = String((0..<Int.random(in: 8...16, using: &random)).map { _ in symbols.randomElement(using: &random)! })
            return hosts.randomElement(using: &random)! + "r/" + code + "/" + tails.randomElement(using: &random)!
        }
    }

    @Test("the mask read from the format information, given back, makes the automatic symbol",
          arguments: [QRMatrix.ErrorCorrection.low, .medium, .quartile, .high])
    func explicitMaskReproducesAutomatic(level: QRMatrix.ErrorCorrection) throws {
        var seen = Set<Int>()
        for url in Self.urls(count: 250, seed: 22) {
            let automatic = try QRMatrix(encoding: url, level: level)
            let explicit = try QRMatrix(encoding: url, level: level, mask: automatic.mask)
            #expect(explicit == automatic, "\(url)")
            seen.insert(automatic.mask)
        }
        // Reading the mask is not stuck on one value: automatic selection uses most of them.
        #expect(seen.count >= 5, "masks chosen: \(seen.sorted())")
    }

    @Test("each of the eight masks is written into the format information and read back")
    func everyMaskReadsBack() throws {
        let url = "https://bakery.example/r/K7QM4TZ9X/?utm_source=qr&utm_medium=share"
        let automatic = try QRMatrix(encoding: url)
        var symbols = Set<QRMatrix>()
        for mask in 0...7 {
            let qr = try QRMatrix(encoding: url, mask: mask)
            #expect(qr.mask == mask)
            #expect(qr.size == automatic.size)
            symbols.insert(qr)
        }
        #expect(symbols.count == 8)
        #expect(symbols.contains(automatic))
        #expect(throws: QRError.self) { try QRMatrix(encoding: url, mask: 8) }
        #expect(throws: QRError.self) { try QRMatrix(encoding: url, mask: -1) }
    }

    /// `qrencode` (Debian's qrencode package) is libqrencode's own command line: it calls
    /// QRcode_encodeString(text, 0, level, QR_MODE_8, case-sensitive), the call RefkitQR made
    /// before it built the input itself. Same symbol, module for module.
    @Test("the automatic symbol is the one QRcode_encodeString makes (the qrencode tool)")
    func sameAsEncodeString() throws {
        for url in Self.urls(count: 12, seed: 7) {
            let qr = try QRMatrix(encoding: url, level: .medium)
            let out = try Tool.run("qrencode", ["-l", "M", "-m", "0", "-t", "ASCII", "-o", "-", url])
            let rows = out.stdout.split(separator: "\n").map { row in
                // Two characters per module: "##" dark, "  " light.
                stride(from: 0, to: row.count, by: 2).map { row[row.index(row.startIndex, offsetBy: $0)] == "#" }
            }
            #expect(rows.count == qr.size, "\(url)")
            var same = rows.count == qr.size
            for r in 0..<min(rows.count, qr.size) {
                same = same && rows[r].count == qr.size && (0..<qr.size).allSatisfy { rows[r][$0] == qr.isDark(row: r, column: $0) }
            }
            #expect(same, "\(url)")
        }
    }

    @Test("the cache reads back what it wrote, keyed by exact bytes and level")
    func cacheRoundTrip() throws {
        var cache = QRMaskCache()
        let urls = Self.urls(count: 50, seed: 3)
        for url in urls { cache.record(try QRMatrix(encoding: url).knownMask, for: url, level: .medium) }
        let read = QRMaskCache(reading: cache.bytes())
        #expect(read == cache && read.count == urls.count)
        for url in urls {
            let known = try #require(read.known(for: url, level: .medium))
            #expect(try QRMatrix(encoding: url, cache: read) == QRMatrix(encoding: url))
            #expect(known == (try QRMatrix(encoding: url).knownMask))
            #expect(read.known(for: url, level: .high) == nil)
        }
        // NFC and NFD spell the same text for Swift's ==, not for a QR code's bytes.
        var accents = QRMaskCache()
        let nfc = "https://example.com/caf\u{E9}/r/K7QM4TZ9X/"
        let nfd = "https://example.com/cafe\u{301}/r/K7QM4TZ9X/"
        #expect(nfc == nfd)
        accents.record(try QRMatrix(encoding: nfc).knownMask, for: nfc, level: .medium)
        #expect(QRMaskCache(reading: accents.bytes()).known(for: nfd, level: .medium) == nil)
        // The same bytes make the same file: the writer keeps an unchanged cache.
        #expect(QRMaskCache(reading: cache.bytes()).bytes() == cache.bytes())
    }

    @Test("a cache read back is exactly as read only when every line was an entry and nothing was recorded since")
    func exactlyAsRead() throws {
        let urls = Self.urls(count: 12, seed: 5)
        var cache = QRMaskCache()
        for url in urls { cache.record(try QRMatrix(encoding: url).knownMask, for: url, level: .medium) }
        #expect(!cache.isExactlyAsRead)
        let good = cache.bytes()
        var read = QRMaskCache(reading: good)
        #expect(read.isExactlyAsRead && read == cache)
        read.record(try QRMatrix(encoding: "https://x.example/r/NEW/").knownMask, for: "https://x.example/r/NEW/", level: .medium)
        #expect(!read.isExactlyAsRead)
        // A line that is not an entry (a hand edit, a control character, a bad digit) is
        // dropped on reading, so the bytes a build writes differ from the file: not as read.
        let header = good.firstIndex(of: UInt8(ascii: "\n"))! + 1
        for junk in ["# a note\n", "M\t9\t0000000000000000\thttps://bad.example/\n", "M\t1\t+000000000000000\thttps://bad.example/\n",
                     "M\t1\t0000000000000000\thttps://bad\u{7F}.example/\n", "\n"] {
            var edited = good
            edited.insert(contentsOf: Data(junk.utf8), at: header)
            let parsed = QRMaskCache(reading: edited)
            #expect(parsed == cache && !parsed.isExactlyAsRead, "\(junk)")
        }
    }

    @Test("a missing, cut, foreign or edited cache only costs encoding afresh, never a different symbol")
    func damagedCache() throws {
        let urls = Self.urls(count: 40, seed: 11)
        var cache = QRMaskCache()
        for url in urls { cache.record(try QRMatrix(encoding: url).knownMask, for: url, level: .medium) }
        let good = cache.bytes()
        #expect(QRMaskCache(reading: nil).count == 0)
        #expect(QRMaskCache(reading: Data()).count == 0)
        #expect(QRMaskCache(reading: good.prefix(good.count - 10)).count == 0, "cut short: no trailer")
        #expect(QRMaskCache(reading: Data("# refkit QR masks 1, libqrencode 9.9.9".utf8) + good.drop { $0 != UInt8(ascii: "\n") }).count == 0,
                "another libqrencode")

        // Every mask digit replaced by every other, and every check digit flipped: lines that
        // still parse give wrong masks or checks, and each symbol is still the automatic one.
        var text = String(decoding: good, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for i in 1..<(lines.count - 2) {
            var fields = lines[i].split(separator: "\t", maxSplits: 3).map(String.init)
            if i % 2 == 0 {
                fields[1] = String((Int(fields[1])! + 1 + i % 7) % 8)
            } else {
                let c = fields[2].removeFirst()
                fields[2] = (c == "0" ? "1" : "0") + fields[2]
            }
            lines[i] = fields.joined(separator: "\t")
        }
        lines.insert("M\t9\t0000000000000000\thttps://bad.example/", at: 1)
        lines.insert("M\t3\tnot-hex-at-all!!\thttps://bad.example/2", at: 1)
        text = lines.joined(separator: "\n")
        let damaged = QRMaskCache(reading: Data(text.utf8))
        #expect(damaged.count == urls.count)
        for url in urls {
            #expect(try QRMatrix(encoding: url, cache: damaged) == QRMatrix(encoding: url), "\(url)")
        }
        // A known mask for another text is never used for this one.
        let other = try QRMatrix(encoding: urls[1]).knownMask
        #expect(try QRMatrix(encoding: urls[0], known: other) == QRMatrix(encoding: urls[0]))
    }

    // MARK: zbarimg

    @Test("QR codes encoded with cached masks decode to their exact URL at screen size (SVG via rsvg-convert)")
    func screenSizeDecodes() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let urls = Self.urls(count: 8, seed: 5)
        var cache = QRMaskCache()
        for url in urls { cache.record(try QRMatrix(encoding: url).knownMask, for: url, level: .medium) }
        cache = QRMaskCache(reading: cache.bytes())
        for (i, url) in urls.enumerated() {
            // The personal page's size: 4 CSS pixels a module, quiet zone of 4.
            let svg = try QRMatrix(encoding: url, cache: cache).svg(moduleSize: 4, quietZone: 4, label: url)
            let svgURL = dir.appendingPathComponent("\(i).svg"), png = dir.appendingPathComponent("\(i).png")
            try Data(svg.utf8).write(to: svgURL)
            try Tool.run("rsvg-convert", ["-o", png.path, svgURL.path])
            let out = try Tool.run("zbarimg", ["--raw", "-q", png.path])
            #expect(out.stdout == url + "\n", "\(url)")
        }
    }

    @Test("postcards drawn with the last build's masks decode to their exact URL at print size (pdftoppm)")
    func printSizeDecodes() throws {
        let copy = Fixtures.copies[0]
        let cards = Fixtures.postcards(copy, count: 4)
        let renderer = PostcardRenderer(settings: PrintSettings())
        // First build: no masks known; the summary carries the masks chosen, which the print
        // step keeps in the record of the file pair.
        let first = MemorySink()
        let summary = try renderer.renderFile(number: 1, cards: cards, to: first)
        #expect(summary.qrMasks.count == cards.count)

        // Second build: every card comes with its mask, nothing new is learned, the same bytes.
        let filled = cards.map { card in
            var card = card
            card.back.qrMask = summary.qrMasks[card.back.code]
            return card
        }
        for card in filled {
            #expect(card.back.qrMask == (try QRMatrix(encoding: card.back.qrURL).knownMask))
        }
        let second = MemorySink()
        let again = try renderer.renderFile(number: 1, cards: filled, to: second)
        #expect(again.qrMasks.isEmpty)
        #expect(second.files == first.files)

        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try Fixtures.write(second, to: dir)
        let pdf = try #require(files["print/bread-club-\(copy.language)-shop-001.pdf"], "\(files.keys.sorted())")
        try Tool.run("pdftoppm", ["-r", "300", "-png", pdf.path, dir.appendingPathComponent("page").path])
        var decoded: [String] = []
        for png in try FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasPrefix("page") }).sorted() {
            // Exit status 4: no code on the page (the fronts).
            decoded += try Tool.run("zbarimg", ["--raw", "-q", dir.appendingPathComponent(png).path], allowing: [0, 4])
                .stdout.split(separator: "\n").map(String.init)
        }
        #expect(decoded.sorted() == cards.map(\.back.qrURL).sorted())
    }
}
