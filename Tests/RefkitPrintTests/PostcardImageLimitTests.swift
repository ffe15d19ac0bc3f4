import Foundation
import Testing
import RefkitModel
@testable import RefkitPrint

/// The 40-megapixel limit holds whatever wraps the image (an SVG's data: URL, an SVG saved as
/// .png behind a BOM or a comment), and files cut short are refused (attack on #19, F1 and F4).
@Suite("Image limits and broken files")
struct PostcardImageLimitTests {
    /// A PNG header claiming 30000 x 30000 pixels (900 million), with one row of data.
    static let bombPNG = TestImages.png(width: 30_000, height: 30_000, rgbRows: [[0, 0, 0]])
    /// A baseline JPEG start-of-frame claiming 30000 x 30000.
    static let bombJPEG = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF\u{0}".utf8) + [1, 1, 0, 0, 1, 0, 1, 0, 0,
                                0xFF, 0xC0, 0x00, 0x11, 0x08, 0x75, 0x30, 0x75, 0x30, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9])
    /// A 1 x 1 GIF screen whose one frame is 30000 x 30000.
    static let bombGIF = Data(Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0, 0x2C, 0, 0, 0, 0, 0x30, 0x75, 0x30, 0x75, 0, 2, 2, 0x4C, 0x01, 0, 0x3B])

    static func svg(_ href: String, prefix: String = "") -> Data {
        Data((prefix + #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><image href="\#(href)" width="100" height="100"/></svg>"#).utf8)
    }

    static func bombs() -> [(String, Data)] {
        let png = bombPNG.base64EncodedString()
        let inner = svg("data:image/png;base64,\(png)").base64EncodedString()
        return [
            ("hero.svg", svg("data:image/png;base64,\(png)")),
            ("hero.png", svg("data:image/png;base64,\(png)", prefix: "\n")),
            ("bom.png", svg("data:image/png;base64,\(png)", prefix: "\u{FEFF}<!-- made by hand -->\n<!DOCTYPE svg>\n")),
            ("refs.svg", svg("&#100;&#x61;ta:image/png;base64,\(png)")),
            ("untyped.svg", svg("DATA:;base64,\(png)")),
            ("wrapped.svg", svg("data:image/jpeg;base64,\(bombJPEG.base64EncodedString())")),
            ("frame.svg", svg("data:image/gif;base64,\(bombGIF.base64EncodedString())")),
            ("nested.svg", svg("data:image/svg+xml;base64,\(inner)")),
        ]
    }

    private func refusal(_ image: PostcardImage) -> PrintError? {
        #expect(throws: PrintError.self) {
            try PostcardRenderer(settings: .init()).render(TestImages.cards(hero: image), to: MemorySink())
        }
    }

    @Test("an image of 30000 x 30000 pixels inside an SVG (plain, after a BOM or comment, as .png, with character references, in a JPEG, a GIF frame or a nested SVG) is refused with the field and the file",
          arguments: 0..<8)
    func embeddedBombs(index: Int) throws {
        let (name, bytes) = Self.bombs()[index]
        let error = refusal(PostcardImage(name: name, bytes: bytes))
        #expect(error?.field == "front.image")
        #expect(error?.location.file == "content/assets/\(name)")
        #expect(error?.message.contains("30000 x 30000 pixels") == true, "\(String(describing: error))")
        #expect(error?.message.contains("more than 40 million") == true, "\(String(describing: error))")
    }

    @Test("an SVG whose embedded data has no readable size, that links a file, or is compressed, is refused with what to do",
          arguments: [("webp.svg", "data:image/webp;base64,UklGRgAAAABXRUJQ", "size cannot be read"),
                      ("linked.svg", "photo.jpg", "\"photo.jpg\", which refkit does not load"),
                      ("remote.svg", "https://tracker.example/p.png", "which refkit does not load")])
    func unreadableEmbeds(name: String, href: String, words: String) throws {
        let error = refusal(PostcardImage(name: name, bytes: Self.svg(href)))
        #expect(error?.field == "front.image")
        #expect(error?.location.file == "content/assets/\(name)")
        #expect(error?.message.contains(words) == true, "\(String(describing: error))")
        #expect(error?.fix?.isEmpty == false)
    }

    @Test("a gzip-compressed SVG is refused: its embedded images cannot be checked")
    func compressedSVG() throws {
        let error = refusal(PostcardImage(name: "hero.svgz", bytes: Data([0x1F, 0x8B, 8, 0]) + Data(repeating: 0, count: 40)))
        #expect(error?.message.contains("compressed") == true, "\(String(describing: error))")
    }

    @Test("an SVG embedding a small PNG, with metadata that mentions data:, still draws the PNG")
    func smallEmbedDraws() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = TestImages.stripesPNG.bytes.base64EncodedString()
        let svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><desc>Metadata: none. Data: 42</desc><image href="data:image/png;base64,\#(png)" width="300" height="100" preserveAspectRatio="none"/></svg>"#
        let front = try PageImage.render(try TestImages.shopFile(TestImages.cards(hero: PostcardImage(name: "embed.svg", bytes: Data(svg.utf8))), in: dir), page: 1, dpi: 60)
        let left = front.region(x: 13, y: 50, width: 4, height: 4)
        #expect(left.allSatisfy { $0.0 > 150 && $0.2 < 90 }, "left of the box is not red: \(left.first!)")
    }

    @Test("a PNG without its end and a JPEG cut in half are refused as cut short, naming the field and the file",
          arguments: ["png", "jpeg"])
    func truncated(kind: String) throws {
        let whole = kind == "png" ? TestImages.stripesPNG : try TestImages.stripesJPEG()
        // The PNG loses its IEND chunk (its pixels are all there); the JPEG loses half its scan.
        let bytes = [UInt8](whole.bytes)
        let cut: Data
        if kind == "png" {
            cut = whole.bytes.prefix(bytes.count - 12)
        } else {
            let scan = try #require((0..<bytes.count - 1).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
            cut = whole.bytes.prefix(scan + (bytes.count - scan) / 2)
        }
        let error = refusal(PostcardImage(name: "cut.\(kind)", bytes: Data(cut)))
        #expect(error?.field == "front.image")
        #expect(error?.location.file == "content/assets/cut.\(kind)")
        #expect(error?.message.contains("cut short") == true, "\(String(describing: error))")
    }

    @Test("a JPEG with data after its end-of-image marker (a phone's motion photo) still draws")
    func jpegWithTrailer() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpeg = try TestImages.stripesJPEG()
        let trailed = PostcardImage(name: "motion.jpg", bytes: jpeg.bytes + Data("ftypmp42".utf8) + Data(repeating: 0xFF, count: 64))
        _ = try TestImages.shopFile(TestImages.cards(hero: trailed), in: dir)
    }
}
