import Foundation
import Testing
import RefkitModel
import RefkitTestSupport
@testable import RefkitPrint

/// Print-shop files stay under 5 MB (Lob's limit): how many cards a part takes, and the one
/// case no split helps. The split itself runs through the real binary (PrintSplitCLITests).
@Suite("Print-shop files under 5 MB")
struct PrintSplitTests {
    /// Seeded noise, which no compression shrinks, as an RGB PNG of stored zlib blocks.
    static func noisePNG(width: Int, height: Int) -> PostcardImage {
        var random = SplitMix64(state: 19)
        var raw = [UInt8]()
        raw.reserveCapacity((width * 3 + 1) * height)
        for _ in 0..<height {
            raw.append(0)
            for _ in 0..<(width * 3) { raw.append(UInt8(truncatingIfNeeded: random.next())) }
        }
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        let table: [UInt32] = (0..<256).map { n in
            (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xedb88320 ^ (c >> 1) : c >> 1 }
        }
        func crc(_ bytes: [UInt8]) -> UInt32 {
            ~bytes.reduce(0xffffffff as UInt32) { table[Int(($0 ^ UInt32($1)) & 0xff)] ^ ($0 >> 8) }
        }
        var a: UInt32 = 1, b: UInt32 = 0
        for x in raw { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        var zlib: [UInt8] = [0x78, 0x01]
        var start = 0
        while start < raw.count {
            let n = min(65535, raw.count - start)
            let last: UInt8 = start + n == raw.count ? 1 : 0
            zlib += [last, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8(~n >> 8 & 0xff)]
            zlib += raw[start..<(start + n)]
            start += n
        }
        zlib += be(b << 16 | a)
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(UInt32(data.count)) + body + be(crc(body))
        }
        let ihdr = be(UInt32(width)) + be(UInt32(height)) + [8, 2, 0, 0, 0]
        let png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", [])
        return PostcardImage(name: "noise.png", bytes: Data(png))
    }

    @Test("one card whose print-shop file alone passes 5 MB is an error naming the programme, language and the image to shrink")
    func singleCardTooLarge() throws {
        var layout = PrintLayout()
        // The whole card with its bleed at 300 dpi is about 1,310 x 1,820 pixels: 7 MB of noise.
        layout.front.image = .init(box: .init(x: 0, y: 0, width: 105, height: 148), fit: .cover)
        let cards = TestImages.cards(hero: Self.noisePNG(width: 1300, height: 1800), logo: TestImages.stripesSVG, count: 1)
        let sink = MemorySink()
        let error = #expect(throws: PrintError.self) {
            try PostcardRenderer(settings: PrintSettings(), layout: layout).renderFile(number: 1, cards: cards, to: sink)
        }
        #expect(error?.program == cards[0].program && error?.language == cards[0].language)
        #expect(error?.field == "front.image")
        #expect(error?.location == SourceLocation(file: "content/assets/noise.png"))
        #expect(error?.message.contains("-shop-001.pdf") == true && error?.message.contains("5 MB") == true, "\(String(describing: error))")
        #expect(error?.fix?.hasPrefix("shrink content/assets/noise.png (7.0 MB)") == true, "\(String(describing: error?.fix))")
        #expect(sink.files.isEmpty)
    }

    @Test("the cards a part takes, from the sizes measured", arguments: [
        // One size: the file scaled, with 2 % to spare.
        ([(500, 6_000_000)], 408),
        // Two: the front (4.8 MB) and 2 KB a card, read off the line through them.
        ([(150, 5_100_000), (100, 5_000_000)], 98),
        // A front over the limit alone: one card a part, and that card is then measured.
        ([(2, 6_000_000), (1, 5_900_000)], 1),
    ])
    func cardsFitting(samples: [(Int, Int)], expected: Int) {
        var sizes = FileSizes()
        for (cards, bytes) in samples { sizes.add(cards: cards, bytes: bytes) }
        #expect(sizes.cardsFitting(5_000_000) == expected)
    }
}
