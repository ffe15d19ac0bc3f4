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
        var head: [UInt8] = []
        head.reserveCapacity(256 + label.utf8.count * 6)
        head.append(ascii: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        head.append(decimal: side)
        head.append(ascii: " ")
        head.append(decimal: side)
        head.append(ascii: "\" width=\"")
        head.append(decimal: side * moduleSize)
        head.append(ascii: "\" height=\"")
        head.append(decimal: side * moduleSize)
        head.append(ascii: "\" role=\"img\" aria-label=\"")
        Self.appendEscapedAttribute(label, to: &head)
        head.append(ascii: "\" shape-rendering=\"crispEdges\"><rect width=\"")
        head.append(decimal: side)
        head.append(ascii: "\" height=\"")
        head.append(decimal: side)
        head.append(ascii: "\" fill=\"#fff\"/><path d=\"")
        let tail: StaticString = "\" fill=\"#000\"/></svg>"
        // The runs go straight into the string's storage, which is sized for the worst case:
        // per run `M` x ` ` y `h` n `v1h-` n `z`, numbers of at most `digits` digits, and at
        // most one run per two modules of a row, plus one.
        let digits = String(side).utf8.count
        let runBytes = 7 + 4 * digits
        let capacity = head.count + (size * (size / 2 + 1)) * runBytes + tail.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var out = ByteWriter(base: buffer.baseAddress!)
            head.withUnsafeBufferPointer { out.write($0) }
            forEachRun { row, startColumn, length in
                // Relative moves would be shorter but absolute ones keep every run independent.
                out.write(UInt8(ascii: "M"))
                out.write(decimal: startColumn + quietZone)
                out.write(UInt8(ascii: " "))
                out.write(decimal: row + quietZone)
                out.write(UInt8(ascii: "h"))
                out.write(decimal: length)
                out.write(UInt8(ascii: "v"))
                out.write(UInt8(ascii: "1"))
                out.write(UInt8(ascii: "h"))
                out.write(UInt8(ascii: "-"))
                out.write(decimal: length)
                out.write(UInt8(ascii: "z"))
            }
            tail.withUTF8Buffer { out.write($0) }
            precondition(out.count <= capacity, "the QR code's SVG outgrew its worst case")
            return out.count
        }
    }

    /// Writes bytes at a pointer the caller sized; `svg` checks the count against the size.
    private struct ByteWriter {
        let base: UnsafeMutablePointer<UInt8>
        var count = 0

        mutating func write(_ byte: UInt8) {
            base[count] = byte
            count += 1
        }

        mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard let source = bytes.baseAddress else { return }
            (base + count).update(from: source, count: bytes.count)
            count += bytes.count
        }

        /// A non-negative integer in decimal, as `"\(n)"` writes it.
        mutating func write(decimal value: Int) {
            precondition(value >= 0, "QR coordinates are never negative")
            if value < 10 {
                write(UInt8(truncatingIfNeeded: 48 + value))
            } else if value < 100 {
                write(UInt8(truncatingIfNeeded: 48 + value / 10))
                write(UInt8(truncatingIfNeeded: 48 + value % 10))
            } else {
                var digits: [UInt8] = []
                var rest = value
                while rest > 0 { digits.append(UInt8(truncatingIfNeeded: 48 + rest % 10)); rest /= 10 }
                for digit in digits.reversed() { write(digit) }
            }
        }
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
