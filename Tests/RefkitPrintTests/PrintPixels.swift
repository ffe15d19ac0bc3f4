import Testing
import Foundation
import RefkitModel
@testable import RefkitPrint

/// Pages rendered to pixels with poppler (`pdftoppm -ppm`) and plates separated with
/// Ghostscript (`gs -sDEVICE=tiffsep`), read back for region checks.
struct PageImage {
    let width: Int
    let height: Int
    /// RGB, 3 bytes a pixel, row by row.
    let rgb: [UInt8]
    /// Pixels per millimetre.
    let scale: Double

    /// Page `page` of `pdf` at `dpi`.
    static func render(_ pdf: URL, page: Int, dpi: Int) throws -> PageImage {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let prefix = dir.appendingPathComponent("p").path
        try Tool.run("pdftoppm", ["-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile", pdf.path, prefix])
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm")))
        // "P6\nW H\n255\n" then the pixels.
        var fields: [Int] = []
        var i = 2
        while fields.count < 3 {
            while data[i] == 0x20 || data[i] == 0x0A { i += 1 }
            var n = 0
            while data[i] >= 0x30 && data[i] <= 0x39 { n = n * 10 + Int(data[i] - 0x30); i += 1 }
            fields.append(n)
        }
        i += 1
        return PageImage(width: fields[0], height: fields[1], rgb: Array(data[i...]), scale: Double(dpi) / 25.4)
    }

    func pixel(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        let o = (y * width + x) * 3
        return (Int(rgb[o]), Int(rgb[o + 1]), Int(rgb[o + 2]))
    }

    /// The pixels of a rectangle given in millimetres from the page's top left.
    func region(x: Double, y: Double, width w: Double, height h: Double) -> [(Int, Int, Int)] {
        var out: [(Int, Int, Int)] = []
        for py in Int(y * scale)..<min(height, Int((y + h) * scale)) {
            for px in Int(x * scale)..<min(width, Int((x + w) * scale)) { out.append(pixel(px, py)) }
        }
        return out
    }

    static func distinctColours(_ pixels: [(Int, Int, Int)]) -> Int {
        Set(pixels.map { $0.0 << 16 | $0.1 << 8 | $0.2 }).count
    }

    /// Roughly red (the hostile fixtures' "loaded a file" colour).
    static func isRed(_ p: (Int, Int, Int)) -> Bool { p.0 > 200 && p.1 < 80 && p.2 < 80 }
}

/// One page's ink plates from Ghostscript's tiffsep device (uncompressed TIFF, 0 = full ink).
struct Plates {
    let width: Int
    let height: Int
    let scale: Double
    var planes: [String: [UInt8]]

    static func separate(_ pdf: URL, page: Int, dpi: Int) throws -> Plates {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("p.tif").path
        try Tool.run("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=tiffsep", "-sCompression=none", "-r\(dpi)",
                            "-dFirstPage=\(page)", "-dLastPage=\(page)", "-o", out, pdf.path])
        var planes: [String: [UInt8]] = [:]
        var size = (0, 0)
        for ink in ["Cyan", "Magenta", "Yellow", "Black"] {
            let (w, h, pixels) = try readTIFF(dir.appendingPathComponent("p(\(ink)).tif"))
            planes[ink] = pixels
            size = (w, h)
        }
        return Plates(width: size.0, height: size.1, scale: Double(dpi) / 25.4, planes: planes)
    }

    /// The smallest value (most ink) of `ink` in a rectangle in millimetres from the page's top left.
    func mostInk(_ ink: String, x: Double, y: Double, width w: Double, height h: Double) -> UInt8 {
        let plane = planes[ink]!
        var least: UInt8 = 255
        for py in Int(y * scale)..<min(height, Int((y + h) * scale)) {
            for px in Int(x * scale)..<min(width, Int((x + w) * scale)) { least = min(least, plane[py * width + px]) }
        }
        return least
    }

    /// An uncompressed 8-bit little-endian TIFF, as tiffsep writes it: width, height, strips.
    private static func readTIFF(_ url: URL) throws -> (Int, Int, [UInt8]) {
        let d = [UInt8](try Data(contentsOf: url))
        func u16(_ o: Int) -> Int { Int(d[o]) | Int(d[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        guard d.count > 8, d[0] == 0x49, d[1] == 0x49 else { throw Tool.Failure(description: "\(url.lastPathComponent) is not a little-endian TIFF") }
        let ifd = u32(4)
        var tags: [Int: [Int]] = [:]
        for i in 0..<u16(ifd) {
            let e = ifd + 2 + 12 * i
            let (tag, type, count) = (u16(e), u16(e + 2), u32(e + 4))
            let size = type == 3 ? 2 : 4
            let base = count * size <= 4 ? e + 8 : u32(e + 8)
            tags[tag] = (0..<count).map { size == 2 ? u16(base + $0 * 2) : u32(base + $0 * 4) }
        }
        guard let w = tags[256]?.first, let h = tags[257]?.first, let offsets = tags[273], let counts = tags[279], tags[259]?.first == 1 else {
            throw Tool.Failure(description: "\(url.lastPathComponent): not an uncompressed TIFF")
        }
        var pixels: [UInt8] = []
        for (o, c) in zip(offsets, counts) { pixels += d[o..<(o + c)] }
        return (w, h, pixels)
    }
}

/// Test images, made without image files: SVG as text, PNG by hand, JPEG by Ghostscript.
enum TestImages {
    /// Three stripes, red, green and blue, three times as wide as high.
    static let stripesSVG = PostcardImage(name: "stripes.svg", bytes: Data("""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100" width="300" height="100">
          <rect width="100" height="100" fill="#d02020"/><rect x="100" width="100" height="100" fill="#20a020"/>
          <rect x="200" width="100" height="100" fill="#2020d0"/>
        </svg>
        """.utf8))

    /// The same stripes as a 30 x 10 PNG (large enough that interpolation keeps them apart).
    static var stripesPNG: PostcardImage {
        let stripes: [[UInt8]] = [[0xd0, 0x20, 0x20], [0x20, 0xa0, 0x20], [0x20, 0x20, 0xd0]]
        let row = (0..<30).flatMap { stripes[$0 / 10] }
        return PostcardImage(name: "stripes.png", bytes: png(width: 30, height: 10, rgbRows: Array(repeating: row, count: 10)))
    }

    /// The same stripes as a 60 x 20 JPEG.
    static func stripesJPEG() throws -> PostcardImage {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("s.jpg").path
        try Tool.run("gs", ["-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-sDEVICE=jpeg", "-g60x20", "-r72", "-o", out, "-c",
                            "0.82 0.13 0.13 setrgbcolor 0 0 20 20 rectfill 0.13 0.63 0.13 setrgbcolor 20 0 20 20 rectfill 0.13 0.13 0.82 setrgbcolor 40 0 20 20 rectfill showpage"])
        return PostcardImage(name: "stripes.jpg", bytes: try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    /// A PNG of the given RGB rows (zlib stored blocks), or a header claiming any size.
    static func png(width: Int, height: Int, rgbRows: [[UInt8]]) -> Data {
        func crc(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xffffffff
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 == 1 ? 0xedb88320 ^ (c >> 1) : c >> 1 }
            }
            return c ^ 0xffffffff
        }
        func adler(_ bytes: [UInt8]) -> UInt32 {
            var a: UInt32 = 1, b: UInt32 = 0
            for x in bytes { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
            return b << 16 | a
        }
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(UInt32(data.count)) + body + be(crc(body))
        }
        var raw: [UInt8] = []
        for row in rgbRows { raw.append(0); raw += row }
        let n = UInt16(raw.count)
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8(~n >> 8)] + raw + be(adler(raw))
        let ihdr = be(UInt32(width)) + be(UInt32(height)) + [8, 2, 0, 0, 0]
        return Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] + chunk("IHDR", ihdr) + chunk("IDAT", zlib) + chunk("IEND", []))
    }

    /// `count` French cards with `hero` and `logo`.
    static func cards(hero: PostcardImage?, logo: PostcardImage? = nil, count: Int = 2) -> [Postcard] {
        let copy = Fixtures.copies.first { $0.language == "fr" }!
        return Fixtures.postcards(copy, count: count).map { card in
            var card = card
            card.front.image = hero
            card.front.logo = logo
            card.front.brandName = "Boulangerie Martin"
            return card
        }
    }

    /// The print-shop file of `cards` written to `dir`.
    static func shopFile(_ cards: [Postcard], settings: PrintSettings = .init(), layout: PrintLayout = PrintLayout(), in dir: URL) throws -> URL {
        let sink = MemorySink()
        _ = try PostcardRenderer(settings: settings, layout: layout).render(cards, to: sink)
        let files = try Fixtures.write(sink, to: dir)
        return try #require(files.first { $0.key.contains("-shop-001") }?.value)
    }
}

