/// The `print:` section of `site.yaml`.
public struct PrintSettings: Hashable, Sendable, Codable {
    /// The trimmed card: A6 by default.
    public var size: CardSize
    /// Extra printed area beyond the trim that the guillotine cuts off.
    public var bleedMM: Double
    /// Crop marks on print-shop files; some shops want trim + bleed only.
    public var marks: Bool
    /// The office sheet the cards are laid out on, N-up.
    public var sheet: SheetSize
    /// Large runs are split into files of at most this many cards.
    public var cardsPerFile: Int
    /// What the print-shop files are: cairo's RGB PDF as it is, or PDF/X in CMYK.
    public var pdf: PDFStandard

    public init(size: CardSize = .a6, bleedMM: Double = 3, marks: Bool = true, sheet: SheetSize = .a4, cardsPerFile: Int = 500,
                pdf: PDFStandard = .plain) {
        self.size = size
        self.bleedMM = bleedMM
        self.marks = marks
        self.sheet = sheet
        self.cardsPerFile = cardsPerFile
        self.pdf = pdf
    }
}

/// `print.pdf`: the standard the print-shop files follow.
public enum PDFStandard: String, Hashable, Sendable, Codable, CaseIterable {
    /// cairo's PDF (RGB, no output intent): office printers, most local print shops.
    case plain
    /// PDF/X-4 (CMYK with an output intent, transparency kept): European online printers.
    case x4
    /// PDF/X-1a (CMYK only, transparency flattened, PDF 1.3): Lob and US printers.
    case x1a
}

/// A card's trimmed size in millimetres.
public struct CardSize: Hashable, Sendable, Codable, CustomStringConvertible {
    public var name: String
    public var widthMM: Double
    public var heightMM: Double

    public init(name: String, widthMM: Double, heightMM: Double) {
        self.name = name
        self.widthMM = widthMM
        self.heightMM = heightMM
    }

    public static let a6 = CardSize(name: "A6", widthMM: 105, heightMM: 148)
    public static let a5 = CardSize(name: "A5", widthMM: 148, heightMM: 210)
    public static let fourBySix = CardSize(name: "4x6in", widthMM: 101.6, heightMM: 152.4)
    public static let fiveBySeven = CardSize(name: "5x7in", widthMM: 127, heightMM: 177.8)

    /// `A6`, `A5`, `4x6in`, `5x7in` or `WxHmm` such as `99x210mm`.
    public init?(parsing text: String) {
        let t = text.trimmingWhitespace().lowercased()
        switch t {
        case "a6": self = .a6
        case "a5": self = .a5
        case "4x6in", "4x6": self = .fourBySix
        case "5x7in", "5x7": self = .fiveBySeven
        default:
            guard t.hasSuffix("mm") else { return nil }
            let dims = t.dropLast(2).split(separator: "x")
            guard dims.count == 2, let w = Double(dims[0]), let h = Double(dims[1]),
                  (50...500).contains(w), (50...500).contains(h) else { return nil }
            self.init(name: "\(dims[0])x\(dims[1])mm", widthMM: w, heightMM: h)
        }
    }

    public var description: String { name }
}

public enum SheetSize: String, Hashable, Sendable, Codable, CaseIterable {
    case a4
    case letter

    public var widthMM: Double { self == .a4 ? 210 : 215.9 }
    public var heightMM: Double { self == .a4 ? 297 : 279.4 }
}
