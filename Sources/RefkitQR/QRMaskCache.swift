import Foundation
internal import CQRencode

/// A mask known for one text, with a check of the symbol it made, so that a cached mask is
/// used only when it makes that very symbol again.
public struct QRKnownMask: Hashable, Sendable, Codable {
    /// The mask pattern, 0-7.
    public var pattern: Int
    /// FNV-1a (64 bits) of the symbol's modules, row by row.
    public var check: UInt64

    /// A mask read back from a cache kept elsewhere (a print file's record).
    public init(pattern: Int, check: UInt64) {
        self.pattern = pattern
        self.check = check
    }
}

/// The mask each text's QR code was given, kept from one build to the next.
///
/// Choosing the mask is about 90 % of an encode (libqrencode scores all eight: 111-134 us per
/// personal-page URL here); with the mask known it takes 8-12 us. A referrer's code never
/// changes, so neither does the URL its QR code opens for a given base URL, nor the mask
/// automatic selection picks for it: a rebuild after a theme or programme edit can encode
/// everything it has encoded before with the known mask, and get the same symbol.
///
/// Why a damaged cache cannot make a wrong QR code: entries are keyed by the text's exact
/// UTF-8 bytes (Swift's `String ==` would match a differently normalised text) and the error
/// correction level; a mask is used only when it is 0-7 and the symbol it makes has the
/// recorded check, otherwise the text is encoded with the automatic choice. (Any mask 0-7
/// makes a valid symbol of the same text; the check keeps pages byte for byte what a build
/// without the cache makes.) A file without its header, written by another libqrencode
/// (whose choice might differ), or cut short, reads as empty, and every text is encoded afresh.
public struct QRMaskCache: Sendable, Equatable {
    static let header = "# refkit QR masks 1, libqrencode \(QRMatrix.libraryVersion): level, mask, check, text (exact bytes). Delete to rebuild."
    static let trailer = "# end"

    struct Key: Hashable, Sendable {
        var level: UInt8
        var text: [UInt8]
    }

    private var masks: [Key: QRKnownMask] = [:]

    public init() {}

    /// The cache a previous build wrote (`bytes()`); empty when there is none or it is damaged.
    /// Read as bytes: it has a line per referrer.
    public init(reading bytes: Data?) {
        guard let bytes else { return }
        let header = Array((Self.header + "\n").utf8), trailer = Array((Self.trailer + "\n").utf8)
        var masks: [Key: QRKnownMask] = [:]
        var skipped = 0
        let intact: Bool = bytes.withUnsafeBytes { raw in
            let b = raw.bindMemory(to: UInt8.self)
            // The file ends with the trailer and a newline; anything else was cut short.
            guard b.count >= header.count + trailer.count, b.starts(with: header),
                  UnsafeBufferPointer(rebasing: b[(b.count - trailer.count)...]).elementsEqual(trailer) else { return false }
            masks.reserveCapacity((b.count - header.count) / 64)
            let end = b.count - trailer.count
            var start = header.count
            while start < end {
                var stop = start
                while stop < end, b[stop] != UInt8(ascii: "\n") { stop += 1 }
                defer { start = stop + 1 }
                // level TAB mask TAB 16 hex digits TAB text
                let line = UnsafeBufferPointer(rebasing: b[start..<stop])
                guard line.count > 21, let level = Self.levelCode(line[0]), line[1] == UInt8(ascii: "\t"),
                      line[2] >= UInt8(ascii: "0"), line[2] <= UInt8(ascii: "7"), line[3] == UInt8(ascii: "\t"),
                      line[20] == UInt8(ascii: "\t"), let check = Self.hex64(UnsafeBufferPointer(rebasing: line[4..<20])) else {
                    skipped += 1
                    continue
                }
                let text = UnsafeBufferPointer(rebasing: line[21...])
                guard Self.isStorable(text) else { skipped += 1; continue }
                masks[Key(level: level, text: Array(text))] = QRKnownMask(pattern: Int(line[2] - UInt8(ascii: "0")), check: check)
            }
            return true
        }
        guard intact else { return }
        self.masks = masks
        isExactlyAsRead = skipped == 0
    }

    /// Whether every line of the file this cache was read from was an entry, so that
    /// `bytes()` would give that file back as it was (until something is recorded).
    public private(set) var isExactlyAsRead = false

    /// 16 hex digits, either case (`UInt64(_:radix:)` reads both).
    private static func hex64(_ digits: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    public var count: Int { masks.count }

    public static func == (a: QRMaskCache, b: QRMaskCache) -> Bool { a.masks == b.masks }

    /// The mask recorded for exactly this text at this level, if any.
    public func known(for text: String, level: QRMatrix.ErrorCorrection) -> QRKnownMask? {
        masks[Key(level: Self.code(level), text: Array(text.utf8))]
    }

    /// Records `known` for `text`; a text that cannot be stored on one line, or a mask outside
    /// 0-7, is left out (and encoded afresh next time).
    public mutating func record(_ known: QRKnownMask, for text: String, level: QRMatrix.ErrorCorrection) {
        let bytes = Array(text.utf8)
        guard (0...7).contains(known.pattern), Self.isStorable(bytes[...]) else { return }
        masks[Key(level: Self.code(level), text: bytes)] = known
        isExactlyAsRead = false
    }

    /// The cache as a file: sorted, so that an unchanged cache is the same bytes and the
    /// writer keeps the old file.
    public func bytes() -> Data {
        var out = Data((Self.header + "\n").utf8)
        let sorted = masks.sorted { $0.key.level != $1.key.level ? $0.key.level < $1.key.level : $0.key.text.lexicographicallyPrecedes($1.key.text) }
        for (key, known) in sorted {
            out.append(key.level)
            out.append(UInt8(ascii: "\t"))
            out.append(UInt8(ascii: "0") + UInt8(known.pattern))
            out.append(UInt8(ascii: "\t"))
            let hex = String(known.check, radix: 16)
            out.append(contentsOf: (String(repeating: "0", count: 16 - hex.count) + hex).utf8)
            out.append(UInt8(ascii: "\t"))
            out.append(contentsOf: key.text)
            out.append(UInt8(ascii: "\n"))
        }
        out.append(contentsOf: (Self.trailer + "\n").utf8)
        return out
    }

    /// One line per entry: no control characters (tab, newline) in the text.
    private static func isStorable<C: Collection>(_ text: C) -> Bool where C.Element == UInt8 {
        !text.isEmpty && !text.contains { $0 < 0x20 || $0 == 0x7F }
    }

    private static func code(_ level: QRMatrix.ErrorCorrection) -> UInt8 {
        switch level {
        case .low: UInt8(ascii: "L")
        case .medium: UInt8(ascii: "M")
        case .quartile: UInt8(ascii: "Q")
        case .high: UInt8(ascii: "H")
        }
    }

    private static func levelCode(_ byte: UInt8) -> UInt8? {
        [UInt8(ascii: "L"), UInt8(ascii: "M"), UInt8(ascii: "Q"), UInt8(ascii: "H")].contains(byte) ? byte : nil
    }
}

extension QRMatrix {
    /// libqrencode's version (`QRcode_APIVersionString`): another version may choose masks
    /// differently, so the cache is tied to it.
    public static let libraryVersion = String(cString: QRcode_APIVersionString())

    /// This symbol's mask and check, to record in a `QRMaskCache`.
    public var knownMask: QRKnownMask { QRKnownMask(pattern: mask, check: moduleCheck) }

    /// Encodes `text` with a known mask when it makes the symbol `known` was recorded from,
    /// and with the automatic choice otherwise (no `known`, a mask outside 0-7, a check that
    /// does not match): the result is always the symbol `init(encoding:level:)` makes.
    public init(encoding text: String, level: ErrorCorrection = .medium, known: QRKnownMask?) throws {
        if let known, (0...7).contains(known.pattern),
           let fast = try? QRMatrix(encoding: text, level: level, mask: known.pattern), fast.moduleCheck == known.check {
            self = fast
            return
        }
        try self.init(encoding: text, level: level, mask: nil)
    }

    /// Encodes `text` with the mask `cache` holds for it, as `init(encoding:level:known:)`.
    public init(encoding text: String, level: ErrorCorrection = .medium, cache: QRMaskCache) throws {
        try self.init(encoding: text, level: level, known: cache.known(for: text, level: level))
    }
}
