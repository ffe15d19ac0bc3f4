import Foundation

/// The kind and declared size of a raster image, read from its header alone (no pixel is
/// decoded), and whether its bytes reach the format's end marker.
///
/// Used where gdk-pixbuf would otherwise decide for us: the images embedded in an SVG as
/// `data:` URLs (librsvg decodes those with no size limit, so their size must be known before
/// librsvg sees the document), and the end of PNG and JPEG files (gdk-pixbuf's loaders accept a
/// file cut short and return a half-grey picture).
struct RasterHeader: Equatable {
    enum Kind: String { case png = "PNG", jpeg = "JPEG", gif = "GIF", bmp = "BMP" }
    var kind: Kind
    var width: Int
    var height: Int

    /// nil when the bytes are not a PNG, JPEG, GIF or BMP, or their header is cut short.
    init?(_ data: Data) {
        let b = [UInt8](data.prefix(2 * 1024 * 1024))
        func be16(_ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
        func le16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        func be32(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        func le32(_ i: Int) -> Int32 { Int32(bitPattern: UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24) }
        if b.starts(with: Self.pngSignature) {
            // The IHDR chunk comes first: length, "IHDR", width, height (big-endian).
            guard b.count >= 24, b[12...15].elementsEqual("IHDR".utf8) else { return nil }
            self.init(kind: .png, width: be32(16), height: be32(20))
        } else if b.starts(with: [0xFF, 0xD8]) {
            // Segments up to the first start-of-frame, which holds height then width.
            var i = 2
            while i + 4 <= b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                if marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                let length = be16(i + 2)
                let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
                if isFrame {
                    guard i + 9 <= b.count else { return nil }
                    self.init(kind: .jpeg, width: be16(i + 7), height: be16(i + 5))
                    return
                }
                if marker == 0xDA || marker == 0xD9 || length < 2 { return nil }
                i += 2 + length
            }
            return nil
        } else if b.starts(with: Array("GIF87a".utf8)) || b.starts(with: Array("GIF89a".utf8)) {
            // The logical screen, and every frame's right and bottom edge: the loader
            // allocates whichever is larger.
            guard b.count >= 13 else { return nil }
            var w = le16(6), h = le16(8)
            var i = 13
            if b[10] & 0x80 != 0 { i += 3 << (Int(b[10] & 7) + 1) }
            func skipSubBlocks(_ j: inout Int) -> Bool {
                while j < b.count {
                    let n = Int(b[j]); j += 1
                    if n == 0 { return true }
                    j += n
                }
                return false
            }
            scan: while i < b.count {
                switch b[i] {
                case 0x21:
                    i += 2
                    guard skipSubBlocks(&i) else { break scan }
                case 0x2C:
                    guard i + 10 <= b.count else { break scan }
                    w = max(w, le16(i + 1) + le16(i + 5))
                    h = max(h, le16(i + 3) + le16(i + 7))
                    let packed = b[i + 9]
                    i += 10
                    if packed & 0x80 != 0 { i += 3 << (Int(packed & 7) + 1) }
                    i += 1 // LZW minimum code size
                    guard skipSubBlocks(&i) else { break scan }
                default:
                    break scan // the trailer (0x3B), or garbage: nothing more is decoded
                }
            }
            self.init(kind: .gif, width: w, height: h)
        } else if b.starts(with: Array("BM".utf8)) {
            guard b.count >= 26 else { return nil }
            let width = Int(le32(18)), height = Int(le32(22))
            self.init(kind: .bmp, width: abs(width), height: height == Int(Int32.min) ? Int(Int32.max) : abs(height))
        } else {
            return nil
        }
    }

    init(kind: Kind, width: Int, height: Int) {
        self.kind = kind
        self.width = width
        self.height = height
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether a PNG's chunks run, whole, up to its IEND chunk.
    static func pngIsComplete(_ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let b = raw.bindMemory(to: UInt8.self)
            guard b.count >= 8 else { return false }
            var i = 8
            while i + 12 <= b.count {
                let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
                let isEnd = b[i + 4] == 0x49 && b[i + 5] == 0x45 && b[i + 6] == 0x4E && b[i + 7] == 0x44
                let next = i + 12 + length
                guard next <= b.count else { return false }
                if isEnd { return true }
                i = next
            }
            return false
        }
    }

    /// Whether a JPEG reaches its end-of-image marker: segments are walked and scan data
    /// skipped (a 0xFF in scan data is always followed by 0x00 or a restart marker), so an
    /// EXIF thumbnail's own end marker does not count, and data after the end (a phone's
    /// motion-photo video) does not matter.
    static func jpegIsComplete(_ data: Data) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let b = raw.bindMemory(to: UInt8.self)
            guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 else { return false }
            var i = 2
            while i + 1 < b.count {
                guard b[i] == 0xFF else { return false }
                let marker = b[i + 1]
                switch marker {
                case 0xD9: return true
                case 0xFF: i += 1
                case 0x01, 0xD0...0xD7: i += 2
                default:
                    guard i + 3 < b.count else { return false }
                    let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
                    guard length >= 2 else { return false }
                    i += 2 + length
                    guard marker == 0xDA else { continue }
                    // Scan data: up to the next marker that is not a stuffed byte or a restart.
                    while i + 1 < b.count {
                        if b[i] == 0xFF, b[i + 1] != 0x00, !(0xD0...0xD7).contains(b[i + 1]) { break }
                        i += 1
                    }
                    if i + 1 >= b.count { return false }
                }
            }
            return false
        }
    }
}
