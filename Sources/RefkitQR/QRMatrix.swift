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

    /// Encodes `text` as 8-bit bytes (UTF-8), case-sensitive, at the smallest version that fits.
    public init(encoding text: String, level: ErrorCorrection = .medium) throws {
        guard !text.isEmpty else { throw QRError(text: text, reason: "the text is empty") }
        let ecLevel: QRecLevel
        switch level {
        case .low: ecLevel = QR_ECLEVEL_L
        case .medium: ecLevel = QR_ECLEVEL_M
        case .quartile: ecLevel = QR_ECLEVEL_Q
        case .high: ecLevel = QR_ECLEVEL_H
        }
        // Version 0 lets libqrencode pick the smallest version; QR_MODE_8 with case
        // sensitivity keeps URLs byte-exact (path and query are case-sensitive).
        guard let code = QRcode_encodeString(text, 0, ecLevel, QR_MODE_8, 1) else {
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
