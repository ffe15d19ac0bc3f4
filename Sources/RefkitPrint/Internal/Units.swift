import RefkitModel

/// PDF user space is points: 72 to the inch, 25.4 mm to the inch.
let pointsPerMM = 72.0 / 25.4

extension Double {
    var mm: Double { self * pointsPerMM }
}

/// A colour as cairo wants it: three components from 0 to 1, device RGB.
struct RGB: Hashable {
    var red: Double
    var green: Double
    var blue: Double

    static let white = RGB(red: 1, green: 1, blue: 1)
    static let black = RGB(red: 0, green: 0, blue: 0)

    init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
        self.init(red: Double(r) / 255, green: Double(g) / 255, blue: Double(b) / 255)
    }

    init(_ color: PrintLayout.Color, brand: RGB) {
        switch color {
        case .brand: self = brand
        case let .rgb(r, g, b): self.init(r, g, b)
        }
    }
}
