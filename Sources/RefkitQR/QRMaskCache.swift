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
    public init(reading bytes: Data?) {
        guard let bytes else { return }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // The file ends with a newline, so the last split is empty and the trailer is before it.
        guard lines.count >= 3, Array(lines[0]) == Array(Self.header.utf8),
              lines[lines.count - 1].isEmpty, Array(lines[lines.count - 2]) == Array(Self.trailer.utf8) else { return }
        for line in lines[1..<(lines.count - 2)] {
            let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, fields[0].count == 1, let level = Self.levelCode(fields[0].first!),
                  fields[1].count == 1, let digit = fields[1].first, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7"),
                  fields[2].count == 16, let check = UInt64(String(decoding: fields[2], as: UTF8.self), radix: 16),
                  Self.isStorable(fields[3]) else { continue }
            masks[Key(level: level, text: Array(fields[3]))] = QRKnownMask(pattern: Int(digit - UInt8(ascii: "0")), check: check)
        }
    }

    public var count: Int { masks.count }

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
