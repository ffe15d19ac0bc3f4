extension QRMatrix {
    /// A compact inline `<svg>` for web pages: one path of merged horizontal runs in module
    /// units, scaled by the viewBox, so the file stays small and crisp at any size.
    ///
    /// - Parameters:
    ///   - moduleSize: the rendered size of one module in CSS pixels (sets width and height).
    ///   - quietZone: light modules around the symbol; scanners need 4.
    ///   - label: the accessible name, e.g. the URL the code opens.
    public func svg(moduleSize: Int = 4, quietZone: Int = 4, label: String = "QR code") -> String {
        let side = size + 2 * quietZone
        var path = ""
        path.reserveCapacity(runs.count * 12)
        for run in runs {
            // Relative moves would be shorter but absolute ones keep every run independent.
            path += "M\(run.startColumn + quietZone) \(run.row + quietZone)h\(run.length)v1h-\(run.length)z"
        }
        let pixels = side * moduleSize
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" width=\"\(pixels)\" height=\"\(pixels)\""
            + " role=\"img\" aria-label=\"\(Self.escapeAttribute(label))\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
            + "<path d=\"\(path)\" fill=\"#000\"/></svg>"
    }

    private static func escapeAttribute(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
