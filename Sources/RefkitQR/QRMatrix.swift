internal import CQRencode

/// A QR code as plain modules: copied out of libqrencode's `QRcode` at once and freed, so
/// no C pointer outlives the initialiser and the value is freely `Sendable`.
public struct QRMatrix: Hashable, Sendable {
    /// How much of the symbol may be damaged and still decode; more means more modules.
    public enum ErrorCorrection: Sendable, Hashable {
        case low, medium, quartile, high
    }

    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row-major, 1 for dark and 0 for light: libqrencode's bytes with the other bits cleared.
    private let modules: [UInt8]

    /// FNV-1a (64 bits) of the modules, for `QRKnownMask`: a cached mask is trusted only when
    /// the symbol it makes has the check recorded with it.
    var moduleCheck: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for module in modules {
            hash ^= UInt64(module)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The mask pattern (0-7) the symbol is masked with, read back from its format information.
    public let mask: Int

    /// Encodes `text` as 8-bit bytes (UTF-8), case-sensitive, at the smallest version that fits,
    /// with the mask libqrencode's automatic selection chooses (all eight scored).
    public init(encoding text: String, level: ErrorCorrection = .medium) throws {
        try self.init(encoding: text, level: level, mask: nil)
    }

    /// Encodes `text` as `init(encoding:level:)` does, with mask pattern `mask` (0-7) instead of
    /// the automatic choice when one is given: about ten times faster. Given the mask the
    /// automatic choice made (`mask` of that matrix), the symbol is the same module for module;
    /// given another, it is still a valid symbol of the same text, only not the best-scored one.
    public init(encoding text: String, level: ErrorCorrection = .medium, mask: Int?) throws {
        guard !text.isEmpty else { throw QRError(text: text, reason: "the text is empty") }
        if let mask, !(0...7).contains(mask) {
            throw QRError(text: text, reason: "mask \(mask) is not a QR mask pattern (0-7)")
        }
        let ecLevel: QRecLevel
        switch level {
        case .low: ecLevel = QR_ECLEVEL_L
        case .medium: ecLevel = QR_ECLEVEL_M
        case .quartile: ecLevel = QR_ECLEVEL_Q
        case .high: ecLevel = QR_ECLEVEL_H
        }
        // What QRcode_encodeString(text, 0, level, QR_MODE_8, 1) does, with the mask ours to
        // give (see shim.h). Version 0 lets libqrencode pick the smallest version; QR_MODE_8
        // with case sensitivity keeps URLs byte-exact (path and query are case-sensitive).
        // The input is ours until QRinput_free.
        guard let input = QRinput_new2(0, ecLevel) else {
            throw QRError(text: text, reason: "libqrencode could not start an input (out of memory?)")
        }
        defer { QRinput_free(input) }
        guard Split_splitStringToQRinput(text, input, QR_MODE_8, 1) == 0,
              let code = QRcode_encodeMask(input, Int32(mask ?? -1)) else {
            throw QRError(text: text, reason: "libqrencode could not encode it (too long for a QR code?)")
        }
        // The QRcode and its data buffer belong to us until QRcode_free.
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        self.size = width
        self.modules = [UInt8](unsafeUninitializedCapacity: width * width) { buffer, count in
            for i in 0..<(width * width) {
                // Bit 0 is the module colour; the other bits describe what the module is for.
                buffer[i] = data[i] & 1
            }
            count = width * width
        }
        guard let written = Self.formatMask(modules, width: width, level: level), mask == nil || written == mask else {
            throw QRError(text: text, reason: "libqrencode wrote format information refkit cannot read back")
        }
        self.mask = written
    }

    /// The mask pattern recorded in the format information around the top-left finder.
    ///
    /// ISO/IEC 18004 §7.9: 15 bits, XORed with 101010000010010 (0x5412); unmasked, bits 14-13
    /// are the error-correction level (L 01, M 00, Q 11, H 10), bits 12-10 the mask and the
    /// rest a BCH(15,5) check. libqrencode (mask.c, Mask_writeFormatInformation) writes bit i,
    /// least significant first, at column 8 of rows 0-5, 7 and 8 for bits 0-7, then along row 8
    /// at columns 7, 5, 4, 3, 2, 1, 0 for bits 8-14 (column 6 is the timing pattern). Nil when
    /// the bits are not a valid format word for `level`.
    static func formatMask(_ modules: [UInt8], width: Int, level: ErrorCorrection) -> Int? {
        guard width >= 21 else { return nil }
        let places: [(row: Int, column: Int)] = [(0, 8), (1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (7, 8), (8, 8),
                                                 (8, 7), (8, 5), (8, 4), (8, 3), (8, 2), (8, 1), (8, 0)]
        var word = 0
        for (bit, place) in places.enumerated() where modules[place.row * width + place.column] != 0 {
            word |= 1 << bit
        }
        let unmasked = word ^ 0x5412
        let levelBits: Int
        switch level {
        case .low: levelBits = 0b01
        case .medium: levelBits = 0b00
        case .quartile: levelBits = 0b11
        case .high: levelBits = 0b10
        }
        let data = unmasked >> 10
        guard data >> 3 == levelBits, unmasked == (data << 10 | bchRemainder(data)) else { return nil }
        return data & 0b111
    }

    /// The BCH(15,5) check bits of 5 format data bits: the remainder of data·x^10 divided by
    /// the generator x^10 + x^8 + x^5 + x^4 + x^2 + x + 1 (0b10100110111).
    private static func bchRemainder(_ data: Int) -> Int {
        var value = data << 10
        let generator = 0b101_0011_0111
        for shift in stride(from: 4, through: 0, by: -1) where value & (1 << (shift + 10)) != 0 {
            value ^= generator << shift
        }
        return value
    }

    public func isDark(row: Int, column: Int) -> Bool {
        precondition(row >= 0 && row < size && column >= 0 && column < size, "module outside the symbol")
        return modules[row * size + column] != 0
    }

    /// A horizontal stretch of dark modules on one row.
    public struct Run: Hashable, Sendable {
        public var row: Int
        public var startColumn: Int
        public var length: Int
    }

    /// Dark modules merged into horizontal runs, top to bottom and left to right. Drawing one
    /// rectangle per run (and filling them as one path) avoids the hairline seams that
    /// anti-aliasing leaves between adjacent single-module squares.
    public var runs: [Run] {
        var result: [Run] = []
        result.reserveCapacity(size * size / 4)
        forEachRun { row, startColumn, length in
            result.append(Run(row: row, startColumn: startColumn, length: length))
        }
        return result
    }

    /// Calls `body` for each run in `runs` order, without building the array: the SVG and
    /// the print mask walk the runs once per code.
    func forEachRun(_ body: (_ row: Int, _ startColumn: Int, _ length: Int) -> Void) {
        modules.withUnsafeBufferPointer { modules in
            for row in 0..<size {
                let base = row * size
                var column = 0
                while column < size {
                    if modules[base + column] != 0 {
                        let start = column
                        column += 1
                        while column < size, modules[base + column] != 0 { column += 1 }
                        body(row, start, column - start)
                    } else {
                        column += 1
                    }
                }
            }
        }
    }
}

/// The text could not be made into a QR code.
public struct QRError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String
    public var description: String { "cannot make a QR code of \"\(text)\": \(reason)" }
}
