import Foundation
import RefkitModel
import RefkitQR

/// What the print renderer keeps beside each file pair it draws, in the private kit
/// (`.refkit/cache/print/SLUG-LANG-NNN.tsv`), stamped with the pair's inputs so that it is
/// carried over with the PDFs: the pair's summary (cards, files and pages of each kind, the
/// paths) and the QR mask of every card. Not the inputs themselves: the writer's manifest
/// holds them, and a pair drawn again to the same files (one card renamed) then leaves its
/// record's bytes, and so the file, as they were.
///
/// A pair carried over takes its summary from here, so that no one counts files by their
/// names (a print-shop file split into parts is still one pair of the summary's kind); only
/// the lines before the masks are read. A pair drawn again (its cards' names, the copy or the
/// layout changed) takes each card's mask from here by printed code: its QR URL never
/// changes for a given base URL, nor does the mask libqrencode chooses for it, and choosing is
/// about 90 % of an encode. A wrong mask cannot make a wrong symbol (see `QRMaskCache`).
struct PostcardFileRecord: Equatable {
    static let header = "# refkit postcard files 1"
    static let trailer = "# end"
    /// Masks are kept only for the libqrencode that chose them.
    static let qrLibrary = "libqrencode \(QRMatrix.libraryVersion)"

    /// The pair's summary, without `qrMasks`.
    var summary: PrintSummary
    /// Each card's mask, by printed code.
    var masks: [String: QRKnownMask] = [:]

    /// Where the record of file pair `number` of a run lives in the kit.
    static func path(program: String, language: LanguageTag, variant: String, number: Int) -> String {
        let digits = String(number)
        return ".refkit/cache/print/" + PrintFileName.base(program: program, language: language, variant: variant) + "-"
            + String(repeating: "0", count: max(0, 3 - digits.count)) + digits + ".tsv"
    }

    init(summary: PrintSummary, masks: [String: QRKnownMask]) {
        self.summary = summary
        self.summary.qrMasks = [:]
        self.masks = masks
    }

    /// The record in `bytes`, read up to its masks (`withMasks` false) or whole; nil when it is
    /// not one this refkit wrote whole. A carried-over pair reads only its first lines: the
    /// masks are most of the file.
    init?(_ bytes: Data, withMasks: Bool) {
        let b = [UInt8](bytes)
        let header = Array((Self.header + "\n").utf8), trailer = Array((Self.trailer + "\n").utf8)
        guard b.count >= header.count + trailer.count, b.starts(with: header), b.suffix(trailer.count).elementsEqual(trailer) else { return nil }
        var summary = PrintSummary()
        var masksUsable = false
        var masks: [String: QRKnownMask] = [:]
        var start = header.count
        lines: while start < b.count {
            let end = b[start...].firstIndex(of: UInt8(ascii: "\n")) ?? b.count
            let line = String(decoding: b[start..<end], as: UTF8.self)
            start = end + 1
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            func number(_ i: Int) -> Int? { fields.count > i ? Int(fields[i]).flatMap { $0 >= 0 ? $0 : nil } : nil }
            switch fields[0] {
            case "cards": guard let n = number(1) else { return nil }; summary.cards = n
            case "shop": guard let f = number(1), let p = number(2) else { return nil }; summary.shop = .init(files: f, pages: p)
            case "office": guard let f = number(1), let p = number(2) else { return nil }; summary.office = .init(files: f, pages: p)
            case "per-sheet": guard let n = number(1) else { return nil }; summary.cardsPerSheet = n
            case "path" where fields.count == 2: summary.paths.append(String(fields[1]))
            case "qr": masksUsable = fields.count == 2 && fields[1] == Self.qrLibrary
            case "mask":
                // The summary ends where the masks begin.
                guard withMasks else { break lines }
                guard masksUsable, fields.count == 4, let pattern = number(2), (0...7).contains(pattern),
                      fields[3].utf8.count == 16, let check = UInt64(fields[3], radix: 16) else { continue }
                masks[String(fields[1])] = QRKnownMask(pattern: pattern, check: check)
            case Self.trailer[...]: break lines
            default: return nil
            }
        }
        guard summary.paths.count == summary.shop.files + summary.office.files else { return nil }
        self.summary = summary
        self.masks = masks
    }

    /// The record as a file: the masks sorted by code, so that the same pair makes the same bytes.
    func bytes() -> Data {
        var lines = [Self.header, "cards\t\(summary.cards)",
                     "shop\t\(summary.shop.files)\t\(summary.shop.pages)", "office\t\(summary.office.files)\t\(summary.office.pages)",
                     "per-sheet\t\(summary.cardsPerSheet)"]
        lines += summary.paths.map { "path\t" + $0 }
        lines.append("qr\t" + Self.qrLibrary)
        for (code, mask) in masks.sorted(by: { $0.key < $1.key }) where Self.isStorable(code) {
            let hex = String(mask.check, radix: 16)
            lines.append("mask\t\(code)\t\(mask.pattern)\t" + String(repeating: "0", count: 16 - hex.count) + hex)
        }
        lines.append(Self.trailer)
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// One field: no tab, newline or other control character.
    private static func isStorable(_ text: String) -> Bool {
        !text.isEmpty && !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
