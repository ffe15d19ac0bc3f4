import Foundation
import Testing
import RefkitQR

/// RefkitQR has no test target of its own; its matrix is checked here, and its codes are
/// decoded by zbarimg in the print tests.
@Suite("QR matrix")
struct QRMatrixTests {
    let url = "https://bakery.example/r/K7QM4TZ9X/?utm_source=postcard&utm_medium=print"

    @Test("runs cover exactly the dark modules, each run maximal")
    func runsMatchModules() throws {
        let qr = try QRMatrix(encoding: url, level: .medium)
        #expect(qr.size >= 21 && (qr.size - 17) % 4 == 0)
        var fromRuns = Set<[Int]>()
        for run in qr.runs {
            #expect(run.length > 0)
            for c in run.startColumn..<(run.startColumn + run.length) { fromRuns.insert([run.row, c]) }
            // Maximal: the modules either side are light or off the symbol.
            if run.startColumn > 0 { #expect(!qr.isDark(row: run.row, column: run.startColumn - 1)) }
            if run.startColumn + run.length < qr.size { #expect(!qr.isDark(row: run.row, column: run.startColumn + run.length)) }
        }
        var dark = Set<[Int]>()
        for r in 0..<qr.size { for c in 0..<qr.size where qr.isDark(row: r, column: c) { dark.insert([r, c]) } }
        #expect(fromRuns == dark)
        // Finder pattern: the top-left 7 x 7 has a dark border.
        #expect((0..<7).allSatisfy { qr.isDark(row: 0, column: $0) && qr.isDark(row: 6, column: $0) })
    }

    @Test("the SVG is one path in a viewBox with the quiet zone, labelled for screen readers")
    func svg() throws {
        let qr = try QRMatrix(encoding: url)
        let svg = qr.svg(moduleSize: 4, quietZone: 4, label: "Open \(url)")
        let side = qr.size + 8
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.contains("viewBox=\"0 0 \(side) \(side)\""))
        #expect(svg.contains("width=\"\(side * 4)\""))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-label=\"Open https://bakery.example/r/K7QM4TZ9X/?utm_source=postcard&amp;utm_medium=print\""))
        #expect(svg.components(separatedBy: "<path").count == 2)
        let d = try #require(svg.components(separatedBy: " d=\"").last?.components(separatedBy: "\"").first)
        #expect(d.components(separatedBy: "M").count - 1 == qr.runs.count)
    }

    @Test("text that cannot be a QR code throws")
    func tooLong() {
        #expect(throws: QRError.self) { try QRMatrix(encoding: "") }
        #expect(throws: QRError.self) { try QRMatrix(encoding: String(repeating: "x", count: 4000), level: .high) }
    }

    /// The SVG as it was first written, with string interpolation: the byte-level version
    /// must match it exactly, since pages are compared across builds.
    func referenceSVG(_ qr: QRMatrix, moduleSize: Int, quietZone: Int, label: String) -> String {
        let side = qr.size + 2 * quietZone
        var path = ""
        for run in qr.runs {
            path += "M\(run.startColumn + quietZone) \(run.row + quietZone)h\(run.length)v1h-\(run.length)z"
        }
        var escaped = ""
        for c in label {
            switch c {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(c)
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(side) \(side)\" width=\"\(side * moduleSize)\" height=\"\(side * moduleSize)\""
            + " role=\"img\" aria-label=\"\(escaped)\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
            + "<path d=\"\(path)\" fill=\"#000\"/></svg>"
    }

    @Test("the SVG is byte for byte the interpolated original", arguments: [
        ("https://bakery.example/r/K7QM4TZ9X/?utm_source=postcard&utm_medium=print", 4, 4, "Open <it> & \"scan\" 'now'"),
        ("x", 1, 0, "QR code"),
        (String(repeating: "https://bakery.example/r/ABCDEFGH/", count: 20), 10, 12, "Café 紹介 ✓"),
    ])
    func svgMatchesReference(text: String, moduleSize: Int, quietZone: Int, label: String) throws {
        for level in [QRMatrix.ErrorCorrection.low, .medium, .high] {
            let qr = try QRMatrix(encoding: text, level: level)
            #expect(qr.svg(moduleSize: moduleSize, quietZone: quietZone, label: label)
                    == referenceSVG(qr, moduleSize: moduleSize, quietZone: quietZone, label: label))
        }
    }
}
