extension QRMatrix {
    /// A compact inline `<svg>` for web pages: one path of merged horizontal runs in module
    /// units, scaled by the viewBox, so the file stays small and crisp at any size.
    ///
    /// Every personal page has one, so this builds the UTF-8 bytes directly: string
    /// interpolation made four small Strings per run, which cost more than libqrencode's own
    /// encoding. The output is byte for byte what the interpolated version wrote (pages are
    /// compared across builds); `Tests/RefkitPrintTests/QRMatrixTests.swift` holds it to that.
    ///
    /// - Parameters:
    ///   - moduleSize: the rendered size of one module in CSS pixels (sets width and height).
    ///   - quietZone: light modules around the symbol; scanners need 4.
    ///   - label: the accessible name, e.g. the URL the code opens.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, label: String = "QR code") -> String {
        let side = size + 2 * quietZone
        var out: [UInt8] = []
        // About 24 bytes a run, a run for every three modules or so, plus the fixed parts.
        out.reserveCapacity(size * size * 8 + 256 + label.utf8.count * 2)
        out.append(ascii: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        out.append(decimal: side)
        out.append(ascii: " ")
        out.append(decimal: side)
        out.append(ascii: "\" width=\"")
        out.append(decimal: side * moduleSize)
        out.append(ascii: "\" height=\"")
        out.append(decimal: side * moduleSize)
        out.append(ascii: "\" role=\"img\" aria-label=\"")
        Self.appendEscapedAttribute(label, to: &out)
        out.append(ascii: "\" shape-rendering=\"crispEdges\"><rect width=\"")
        out.append(decimal: side)
        out.append(ascii: "\" height=\"")
        out.append(decimal: side)
        out.append(ascii: "\" fill=\"#fff\"/><path d=\"")
        forEachRun { row, startColumn, length in
            // Relative moves would be shorter but absolute ones keep every run independent.
            out.append(UInt8(ascii: "M"))
            out.append(decimal: startColumn + quietZone)
            out.append(UInt8(ascii: " "))
            out.append(decimal: row + quietZone)
            out.append(UInt8(ascii: "h"))
            out.append(decimal: length)
            out.append(ascii: "v1h-")
            out.append(decimal: length)
            out.append(UInt8(ascii: "z"))
        }
        out.append(ascii: "\" fill=\"#000\"/></svg>")
        return String(decoding: out, as: UTF8.self)
    }

    /// The five characters HTML gives meaning to in a quoted attribute; the same set as
    /// RefkitModel's `Markup.escape`, which RefkitQR does not depend on.
    private static func appendEscapedAttribute(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(ascii: "&amp;")
            case UInt8(ascii: "<"): out.append(ascii: "&lt;")
            case UInt8(ascii: ">"): out.append(ascii: "&gt;")
            case UInt8(ascii: "\""): out.append(ascii: "&quot;")
            case UInt8(ascii: "'"): out.append(ascii: "&#39;")
            default: out.append(byte)
            }
        }
    }
}

extension [UInt8] {
    /// Appends a string literal's bytes (ASCII here, so one byte per character).
    fileprivate mutating func append(ascii text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    /// Appends a non-negative integer in decimal, as `"\(n)"` writes it.
    fileprivate mutating func append(decimal value: Int) {
        precondition(value >= 0, "QR coordinates are never negative")
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
