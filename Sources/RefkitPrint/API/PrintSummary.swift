import RefkitQR

/// What a print run produced, for the build's summary line.
public struct PrintSummary: Hashable, Sendable, Codable {
    public var cards: Int
    /// One card per page, front and back alternating, for a print shop.
    public var shop: Files
    /// N-up sheets with a test page, for an office printer.
    public var office: Files
    /// Cards on each office sheet.
    public var cardsPerSheet: Int
    /// Kit paths written, in order.
    public var paths: [String]
    /// The QR mask chosen for each card that came without one, by printed code: what
    /// the record of its file pair keeps for the next build (`PostcardPrinter`). Workers send
    /// it back with the summary.
    public var qrMasks: [String: QRKnownMask]

    public struct Files: Hashable, Sendable, Codable {
        public var files: Int
        public var pages: Int
        public init(files: Int = 0, pages: Int = 0) {
            self.files = files
            self.pages = pages
        }
    }

    public init(cards: Int = 0, shop: Files = .init(), office: Files = .init(), cardsPerSheet: Int = 0, paths: [String] = [],
                qrMasks: [String: QRKnownMask] = [:]) {
        self.cards = cards
        self.shop = shop
        self.office = office
        self.cardsPerSheet = cardsPerSheet
        self.paths = paths
        self.qrMasks = qrMasks
    }

    /// The print-shop files that are parts of a file split to stay under 5 MB (Lob's limit),
    /// `print/SLUG-LANG-shop-001-002.pdf`, in order: for the build's summary.
    public var splitShopPaths: [String] {
        paths.filter { path in
            guard let range = path.range(of: "-shop-", options: .backwards), path.hasSuffix(".pdf") else { return false }
            let numbers = path[range.upperBound...].dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
            return numbers.count == 2 && numbers.allSatisfy { $0.count >= 3 && $0.allSatisfy { ("0"..."9").contains($0) } }
        }
    }

    /// Adds up the runs of several programmes and languages.
    public static func + (a: PrintSummary, b: PrintSummary) -> PrintSummary {
        PrintSummary(cards: a.cards + b.cards,
                     shop: Files(files: a.shop.files + b.shop.files, pages: a.shop.pages + b.shop.pages),
                     office: Files(files: a.office.files + b.office.files, pages: a.office.pages + b.office.pages),
                     cardsPerSheet: max(a.cardsPerSheet, b.cardsPerSheet),
                     paths: a.paths + b.paths,
                     qrMasks: a.qrMasks.merging(b.qrMasks) { first, _ in first })
    }
}
