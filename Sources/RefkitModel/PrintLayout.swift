/// Where things go on a postcard, from `site-templates/print/postcard.yaml`, so that users can
/// restyle the cards without recompiling. Lengths are millimetres from the top-left corner of
/// the trimmed card; font sizes are points. The defaults equal the shipped file.
public struct PrintLayout: Hashable, Sendable, Codable {
    /// Where the layout came from, for messages.
    public var file: String
    /// Millimetres inside the trim that every text block must stay within: the guillotine
    /// may cut up to a millimetre or two off.
    public var safeZoneMM: Double
    /// Text that does not fit its block is shrunk down to this fraction of its size; past that
    /// the build fails, naming the field (text is never clipped).
    public var minimumTextScale: Double
    /// Font family lists (Pango syntax, comma-separated, first wins) by Pango language:
    /// `default`, `ja`, `zh-cn`, `zh-tw`, `ko`, ... An explicit list per language keeps CJK
    /// faces right whatever the process locale is.
    public var fonts: [String: String]
    /// The family list for the invite code: digits and capitals that do not look alike.
    public var codeFont: String
    public var marks: CropMarks
    public var front: Front
    public var back: Back

    public init(file: String = PrintLayout.defaultFile, safeZoneMM: Double = 5, minimumTextScale: Double = 0.7,
                fonts: [String: String] = PrintLayout.defaultFonts, codeFont: String = "Noto Sans Mono, Noto Sans",
                marks: CropMarks = .init(), front: Front = .init(), back: Back = .init()) {
        self.file = file
        self.safeZoneMM = safeZoneMM
        self.minimumTextScale = minimumTextScale
        self.fonts = fonts
        self.codeFont = codeFont
        self.marks = marks
        self.front = front
        self.back = back
    }

    public static let defaultFile = "site-templates/print/postcard.yaml"

    public static let defaultFonts: [String: String] = [
        "default": "Noto Sans",
        "ja": "Noto Sans, Noto Sans CJK JP",
        "ko": "Noto Sans, Noto Sans CJK KR",
        "zh-cn": "Noto Sans, Noto Sans CJK SC",
        "zh-tw": "Noto Sans, Noto Sans CJK TC",
        "zh-hk": "Noto Sans, Noto Sans CJK HK",
    ]

    /// A rectangle on the card, in millimetres from the trim's top-left corner.
    public struct Box: Hashable, Sendable, Codable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    /// `brand` (the site's theme colour) or a fixed `#RRGGBB`.
    public enum Color: Hashable, Sendable, Codable, CustomStringConvertible {
        case brand
        case rgb(red: UInt8, green: UInt8, blue: UInt8)

        /// Parses `brand` or `#RRGGBB`.
        public init?(_ text: String) {
            if text == "brand" { self = .brand; return }
            guard let (r, g, b) = Color.parseHex(text) else { return nil }
            self = .rgb(red: r, green: g, blue: b)
        }

        /// Parses `#RRGGBB` only.
        public static func parseHex(_ text: String) -> (UInt8, UInt8, UInt8)? {
            let t = Array(text.utf8)
            guard t.count == 7, t[0] == UInt8(ascii: "#"), let v = UInt32(String(text.dropFirst()), radix: 16) else { return nil }
            return (UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
        }

        public static let white = Color.rgb(red: 255, green: 255, blue: 255)
        public static let black = Color.rgb(red: 0, green: 0, blue: 0)

        public var description: String {
            switch self {
            case .brand: return "brand"
            case let .rgb(r, g, b):
                func hex(_ v: UInt8) -> String { let s = String(v, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s }
                return "#" + hex(r) + hex(g) + hex(b)
            }
        }
    }

    public enum Alignment: String, Hashable, Sendable, Codable, CaseIterable {
        case left, center, right
    }

    public enum Weight: String, Hashable, Sendable, Codable, CaseIterable {
        case normal, bold
    }

    /// A block of text: where, how large, and how it looks.
    public struct TextBlock: Hashable, Sendable, Codable {
        public var box: Box
        public var sizePt: Double
        public var weight: Weight
        public var color: Color
        public var alignment: Alignment

        public init(box: Box, sizePt: Double, weight: Weight = .normal, color: Color = .black, alignment: Alignment = .left) {
            self.box = box
            self.sizePt = sizePt
            self.weight = weight
            self.color = color
            self.alignment = alignment
        }

        /// Font sizes a card can carry. Below 4 pt, text is unreadable on a card (and a size
        /// that rounds to 0 in Pango's units makes the block vanish, since it then fits any
        /// box); above 200 pt, one letter is wider than an A6 card, and past about 2 million pt
        /// Pango's integer units overflow.
        public static let sizeRangePt: ClosedRange<Double> = 4...200
    }

    /// Sizes and positions in millimetres: 0 to 1 m covers any card or sheet; beyond that a
    /// value is a typo (or 1e300) and would overflow cairo's fixed-point coordinates.
    public static let lengthRangeMM: ClosedRange<Double> = 0...1000

    /// How an image fills its box: `cover` fills it and crops what sticks out, `contain` shows
    /// the whole image inside it. Both keep the aspect ratio and centre the image.
    public enum Fit: String, Hashable, Sendable, Codable, CaseIterable {
        case cover, contain
    }

    /// A box an image is drawn into. A side that touches the trim runs on into the bleed.
    public struct ImageBox: Hashable, Sendable, Codable {
        public var box: Box
        public var fit: Fit
        public init(box: Box, fit: Fit) {
            self.box = box
            self.fit = fit
        }
    }

    /// A flat colour behind text (over an image) or as an accent. A side that touches the trim
    /// runs on into the bleed.
    public struct Panel: Hashable, Sendable, Codable {
        public var box: Box
        public var color: Color
        public init(box: Box, color: Color) {
            self.box = box
            self.color = color
        }
    }

    /// The QR code: `sizeMM` is the symbol without its quiet zone, at least 20 mm so that
    /// phones read it from arm's length; the 4-module quiet zone is drawn around it.
    public struct QRBlock: Hashable, Sendable, Codable {
        public var x: Double
        public var y: Double
        public var sizeMM: Double
        public init(x: Double, y: Double, sizeMM: Double) {
            self.x = x
            self.y = y
            self.sizeMM = sizeMM
        }
        public static let minimumSizeMM = 20.0
    }

    /// Crop marks on print-shop files: they start `offsetMM` outside the bleed and are
    /// `lengthMM` long, so the page grows by both on every side.
    public struct CropMarks: Hashable, Sendable, Codable {
        public var offsetMM: Double
        public var lengthMM: Double
        public var lineWidthPt: Double
        public init(offsetMM: Double = 2, lengthMM: Double = 5, lineWidthPt: Double = 0.25) {
            self.offsetMM = offsetMM
            self.lengthMM = lengthMM
            self.lineWidthPt = lineWidthPt
        }
        /// A hairline the printer's press still shows, to a rule no wider than the marks' gap.
        public static let lineWidthRangePt: ClosedRange<Double> = 0.05...2
        public static let offsetRangeMM: ClosedRange<Double> = 0...20
        public static let lengthRangeMM: ClosedRange<Double> = 2...30
        /// How far the page extends beyond the bleed on each side.
        public var slugMM: Double { offsetMM + lengthMM }
    }

    public struct Front: Hashable, Sendable, Codable {
        /// Fills the whole card, bleed included.
        public var background: Color
        /// The programme's hero image (`image:` in its front matter); nil: none.
        public var image: ImageBox?
        /// A colour band under the text, so that words over the image stay readable; nil: none.
        public var panel: Panel?
        /// The site's logo (`theme.logo`); nil: none.
        public var logo: ImageBox?
        /// The brand's name (`name` in site.yaml); nil: not shown.
        public var brand: TextBlock?
        public var headline: TextBlock
        public var incentive: TextBlock

        public init(background: Color = .brand,
                    image: ImageBox? = ImageBox(box: Box(x: 0, y: 0, width: 105, height: 72), fit: .cover),
                    panel: Panel? = Panel(box: Box(x: 0, y: 72, width: 105, height: 0.8), color: .rgb(red: 0xF3, green: 0xD2, blue: 0xA2)),
                    logo: ImageBox? = ImageBox(box: Box(x: 7, y: 7, width: 20, height: 20), fit: .contain),
                    brand: TextBlock? = TextBlock(box: Box(x: 8, y: 134, width: 85, height: 7), sizePt: 8.5, weight: .bold,
                                                  color: .rgb(red: 0xF3, green: 0xD2, blue: 0xA2)),
                    headline: TextBlock = TextBlock(box: Box(x: 8, y: 80, width: 85, height: 30), sizePt: 20, weight: .bold, color: .white),
                    incentive: TextBlock = TextBlock(box: Box(x: 8, y: 112, width: 85, height: 18), sizePt: 14,
                                                     color: .rgb(red: 0xF3, green: 0xD2, blue: 0xA2))) {
            self.background = background
            self.image = image
            self.panel = panel
            self.logo = logo
            self.brand = brand
            self.headline = headline
            self.incentive = incentive
        }
    }

    public struct Back: Hashable, Sendable, Codable {
        public var background: Color
        /// A band in the brand colour; nil: none.
        public var accent: Panel?
        /// The logo, small; nil: none.
        public var logo: ImageBox?
        /// The brand's name beside the logo; nil: not shown.
        public var brand: TextBlock?
        /// "From: Marie".
        public var from: TextBlock
        /// "To:" followed by a line to write on, to the right edge of the box.
        public var to: TextBlock
        public var code: TextBlock
        public var qr: QRBlock
        public var redeem: TextBlock
        public var deadline: TextBlock
        public var terms: TextBlock

        public init(background: Color = .white,
                    accent: Panel? = Panel(box: Box(x: 0, y: 0, width: 105, height: 16), color: .brand),
                    logo: ImageBox? = ImageBox(box: Box(x: 7, y: 3, width: 10, height: 10), fit: .contain),
                    brand: TextBlock? = TextBlock(box: Box(x: 20, y: 5, width: 73, height: 7), sizePt: 10, weight: .bold, color: .white),
                    from: TextBlock = TextBlock(box: Box(x: 8, y: 21, width: 85, height: 8), sizePt: 11),
                    to: TextBlock = TextBlock(box: Box(x: 8, y: 31, width: 85, height: 8), sizePt: 11),
                    code: TextBlock = TextBlock(box: Box(x: 10, y: 43, width: 85, height: 14), sizePt: 24, weight: .bold, color: .brand, alignment: .center),
                    qr: QRBlock = QRBlock(x: 11, y: 64, sizeMM: 28),
                    redeem: TextBlock = TextBlock(box: Box(x: 47, y: 63, width: 46, height: 31), sizePt: 9.5),
                    deadline: TextBlock = TextBlock(box: Box(x: 8, y: 101, width: 85, height: 9), sizePt: 10, weight: .bold, color: .brand),
                    terms: TextBlock = TextBlock(box: Box(x: 8, y: 124, width: 85, height: 17), sizePt: 7, color: .rgb(red: 0x55, green: 0x55, blue: 0x55))) {
            self.background = background
            self.accent = accent
            self.logo = logo
            self.brand = brand
            self.from = from
            self.to = to
            self.code = code
            self.qr = qr
            self.redeem = redeem
            self.deadline = deadline
            self.terms = terms
        }
    }

    /// The family list for a Pango language tag (`zh-cn`, `ja`, `fr`): the exact tag, then its
    /// primary language, then `default`.
    public func fontFamilies(forPangoLanguage tag: String) -> String {
        let lower = tag.lowercased()
        if let exact = fonts[lower] { return exact }
        let primary = String(lower.prefix { $0 != "-" })
        return fonts[primary] ?? fonts["default"] ?? "Noto Sans"
    }
}
