import Foundation
internal import CPangoCairo
internal import CQRencode

/// The postcard floor: a minimal loop over the calls refkit's postcards make (cairo PDF
/// surfaces, a recorded front replayed on every page, Pango layouts for each text of the
/// back, a libqrencode QR drawn as rectangles), with no layout checks, no text fitting and
/// no qpdf pass. It writes the same kinds of files: print-shop files with one card side per
/// page and office files with four cards per A4 side.
public struct CardFloor {
    /// The floor is a rate: past this many cards a run only takes longer and fills more disk.
    static let maximumCards = WriteFloor.maximumFiles

    let directory: URL
    let cardsPerFile: Int

    /// The words of one language's cards; close in length to the sample's.
    struct Copy: Sendable {
        var lang: String
        var families: String
        var headline: String
        var incentive: String
        var from: String
        var to: String
        var redeem: String
        var terms: String
        var name: String
    }

    static let copies: [Copy] = [
        Copy(lang: "fr", families: "Noto Sans", headline: "Faites découvrir votre boulangerie préférée",
             incentive: "-20 % sur le premier achat", from: "De la part de ", to: "Pour :",
             redeem: "Présentez cette carte au comptoir lors de votre premier passage.",
             terms: "Une carte par nouveau client. Valable jusqu'au 31/03/2027.", name: "Léa"),
        Copy(lang: "en", families: "Noto Sans", headline: "Introduce a friend to your favourite bakery",
             incentive: "20% off the first purchase", from: "From ", to: "To:",
             redeem: "Bring this card to the counter on your first visit.",
             terms: "One card per new customer. Valid until 31/03/2027.", name: "Olivia"),
        Copy(lang: "ja", families: "Noto Sans CJK JP", headline: "お気に入りのパン屋さんを紹介しよう",
             incentive: "初回のお買い物が20%オフ", from: "紹介者：", to: "お友だち：",
             redeem: "初めてのご来店時に、このカードをレジでお見せください。",
             terms: "新規のお客様お一人につき1枚。2027年3月31日まで有効。", name: "山田花子"),
        Copy(lang: "zh-cn", families: "Noto Sans CJK SC", headline: "把您最爱的面包店介绍给朋友",
             incentive: "首次购物享八折", from: "推荐人：", to: "朋友：",
             redeem: "首次光临时请在柜台出示此卡。", terms: "每位新顾客限用一张。有效期至2027年3月31日。", name: "王伟"),
        Copy(lang: "ms", families: "Noto Sans", headline: "Kenalkan kedai roti kegemaran anda",
             incentive: "Diskaun 20% untuk pembelian pertama", from: "Daripada ", to: "Kepada:",
             redeem: "Bawa kad ini ke kaunter semasa lawatan pertama anda.",
             terms: "Satu kad bagi setiap pelanggan baharu. Sah sehingga 31/03/2027.", name: "Nurul Aina"),
    ]

    /// Renders `cards` two-sided cards, one file pair per work item, and returns the seconds
    /// taken and the pages drawn: in `processes` child processes of `executable` (refkit
    /// itself, `bench --card-floor-share`), as refkit's build renders postcards on print
    /// workers, or on this thread when there is no executable. Threads would share cairo's
    /// fonts, which Debian 12's cairo 1.16 cannot do safely (see `PrintWorker`).
    func measure(cards: Int, processes: Int, executable: URL?) throws -> (seconds: Double, pages: Int, bytes: Int) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let start = Date()
        guard let executable, processes > 1 else {
            let share = renderShare(cards: cards, part: 0, parts: 1)
            return (Date().timeIntervalSince(start), share.pages, share.bytes)
        }
        var children: [(Process, Pipe)] = []
        for part in 0..<processes {
            let child = Process(), out = Pipe()
            child.executableURL = executable
            child.arguments = ["bench", "--card-floor-share", "\(part),\(processes),\(cards),\(cardsPerFile)", "--work-dir", directory.path]
            child.standardOutput = out
            try child.run()
            children.append((child, out))
        }
        var pages = 0, bytes = 0
        for (child, out) in children {
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            child.waitUntilExit()
            let numbers = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            guard child.terminationStatus == 0, numbers.count == 2 else {
                throw BenchError("the minimal postcard loop's process \(child.processIdentifier) failed (status \(child.terminationStatus)): \(text)")
            }
            pages += numbers[0]
            bytes += numbers[1]
        }
        return (Date().timeIntervalSince(start), pages, bytes)
    }

    /// Renders the file pairs `part`, `part + parts`, `part + 2 × parts`, ... of `measure`'s
    /// work, so that `parts` processes share it evenly across the languages.
    func renderShare(cards: Int, part: Int, parts: Int) -> (pages: Int, bytes: Int) {
        let files = (cards + cardsPerFile - 1) / cardsPerFile
        var pages = 0, bytes = 0
        for f in stride(from: part, to: files, by: parts) {
            let count = min(cardsPerFile, cards - f * cardsPerFile)
            let file = renderFile(f, count: count, copy: Self.copies[f % Self.copies.count])
            pages += file.pages
            bytes += file.bytes
        }
        return (pages, bytes)
    }

    /// `bench --card-floor-share PART,PARTS,CARDS,PER-FILE`: one process's share, answered
    /// as "pages bytes" on standard output.
    public static func runShare(_ spec: String, directory: URL) -> String? {
        let n = spec.split(separator: ",").compactMap { Int($0) }
        guard n.count == 4, n[1] >= 1, (0..<n[1]).contains(n[0]), n[2] >= 0, n[3] >= 1 else { return nil }
        let share = CardFloor(directory: directory, cardsPerFile: n[3]).renderShare(cards: n[2], part: n[0], parts: n[1])
        return "\(share.pages) \(share.bytes)"
    }

    private static let mm = 72.0 / 25.4
    private static let trimW = 105 * mm, trimH = 148 * mm, bleed = 3 * mm, slug = 10 * mm

    /// One print-shop file and one office file of `count` cards.
    private func renderFile(_ number: Int, count: Int, copy: Copy) -> (pages: Int, bytes: Int) {
        let mm = Self.mm, trimW = Self.trimW, trimH = Self.trimH, bleed = Self.bleed, slug = Self.slug
        let fontMap = pango_cairo_font_map_new()!
        let pango = pango_font_map_create_context(fontMap)!
        pango_cairo_context_set_resolution(pango, 72)
        pango_context_set_round_glyph_positions(pango, 0)
        pango_context_set_language(pango, pango_language_from_string(copy.lang))
        defer {
            g_object_unref(UnsafeMutableRawPointer(pango))
            g_object_unref(UnsafeMutableRawPointer(fontMap))
        }
        func layout(_ text: String, size: Double, width: Double?, family: String? = nil) -> OpaquePointer {
            let l = pango_layout_new(pango)!
            let font = pango_font_description_from_string("\(family ?? copy.families) \(size)")
            pango_layout_set_font_description(l, font)
            pango_font_description_free(font)
            if let width { pango_layout_set_width(l, Int32(width * Double(PANGO_SCALE))) }
            pango_layout_set_text(l, text, -1)
            return l
        }
        func show(_ cr: OpaquePointer, _ l: OpaquePointer, _ x: Double, _ y: Double) {
            cairo_move_to(cr, x, y)
            pango_cairo_show_layout(cr, l)
            g_object_unref(UnsafeMutableRawPointer(l))
        }

        // The front, recorded once per file and replayed.
        var extents = cairo_rectangle_t(x: -bleed, y: -bleed, width: trimW + 2 * bleed, height: trimH + 2 * bleed)
        let front = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents)!
        do {
            let cr = cairo_create(front)!
            cairo_set_source_rgb(cr, 0.54, 0.23, 0.07)
            cairo_rectangle(cr, -bleed, -bleed, trimW + 2 * bleed, trimH + 2 * bleed)
            cairo_fill(cr)
            cairo_set_source_rgb(cr, 1, 1, 1)
            show(cr, layout(copy.headline, size: 22, width: trimW - 20 * mm), 10 * mm, 40 * mm)
            show(cr, layout(copy.incentive, size: 14, width: trimW - 20 * mm), 10 * mm, 100 * mm)
            cairo_destroy(cr)
        }
        defer { cairo_surface_destroy(front) }

        func back(_ cr: OpaquePointer, _ i: Int) {
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1)
            show(cr, layout(copy.from + copy.name, size: 12, width: trimW - 20 * mm), 10 * mm, 12 * mm)
            show(cr, layout(copy.to, size: 12, width: nil), 10 * mm, 24 * mm)
            cairo_set_line_width(cr, 0.6)
            cairo_move_to(cr, 30 * mm, 30 * mm)
            cairo_line_to(cr, trimW - 10 * mm, 30 * mm)
            cairo_stroke(cr)
            let code = String(format: "K7QM-%04d-X", i % 10000)
            show(cr, layout(code, size: 16, width: nil, family: "Noto Sans Mono"), 10 * mm, 40 * mm)
            show(cr, layout(copy.redeem, size: 10, width: trimW - 20 * mm), 10 * mm, 56 * mm)
            show(cr, layout(copy.terms, size: 7, width: trimW - 20 * mm), 10 * mm, 130 * mm)
            let url = "https://parrainage.boulangerie-martin.example.fr/r/K7QM\(i)X/?utm_source=postcard&utm_medium=print"
            guard let qr = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return }
            defer { QRcode_free(qr) }
            let width = Int(qr.pointee.width)
            let module = 30 * mm / Double(width)
            let x0 = 65 * mm, y0 = 80 * mm
            cairo_set_source_rgb(cr, 1, 1, 1)
            cairo_rectangle(cr, x0 - 4 * module, y0 - 4 * module, Double(width + 8) * module, Double(width + 8) * module)
            cairo_fill(cr)
            cairo_set_source_rgb(cr, 0, 0, 0)
            for row in 0..<width {
                var col = 0
                while col < width {
                    guard qr.pointee.data[row * width + col] & 1 == 1 else { col += 1; continue }
                    let startCol = col
                    while col < width, qr.pointee.data[row * width + col] & 1 == 1 { col += 1 }
                    cairo_rectangle(cr, x0 + Double(startCol) * module, y0 + Double(row) * module, Double(col - startCol) * module, module)
                }
            }
            cairo_fill(cr)
        }

        var pages = 0, bytes = 0
        // Print-shop file: front then back of each card.
        let shop = PDFSink()
        do {
            let surface = shop.surface(width: trimW + 2 * (bleed + slug), height: trimH + 2 * (bleed + slug))
            let cr = cairo_create(surface)!
            for i in 0..<count {
                cairo_save(cr)
                cairo_translate(cr, bleed + slug, bleed + slug)
                cairo_set_source_surface(cr, front, 0, 0)
                cairo_paint(cr)
                cairo_restore(cr)
                cairo_show_page(cr)
                cairo_save(cr)
                cairo_translate(cr, bleed + slug, bleed + slug)
                back(cr, number * cardsPerFile + i)
                cairo_restore(cr)
                cairo_show_page(cr)
                pages += 2
            }
            cairo_destroy(cr)
            cairo_surface_finish(surface)
            cairo_surface_destroy(surface)
        }
        // Office file: four cards a side on A4.
        let office = PDFSink()
        do {
            let surface = office.surface(width: 210 * mm, height: 297 * mm)
            let cr = cairo_create(surface)!
            let origins = [(0.0, 0.0), (trimW, 0.0), (0.0, trimH), (trimW, trimH)]
            var i = 0
            while i < count {
                let sheet = min(4, count - i)
                for s in 0..<sheet {
                    cairo_save(cr)
                    cairo_translate(cr, origins[s].0, origins[s].1)
                    cairo_rectangle(cr, 0, 0, trimW, trimH)
                    cairo_clip(cr)
                    cairo_set_source_surface(cr, front, 0, 0)
                    cairo_paint(cr)
                    cairo_restore(cr)
                }
                cairo_show_page(cr)
                for s in 0..<sheet {
                    cairo_save(cr)
                    cairo_translate(cr, origins[s].0, origins[s].1)
                    cairo_rectangle(cr, 0, 0, trimW, trimH)
                    cairo_clip(cr)
                    back(cr, number * cardsPerFile + i + s)
                    cairo_restore(cr)
                }
                cairo_show_page(cr)
                pages += 2
                i += sheet
            }
            cairo_destroy(cr)
            cairo_surface_finish(surface)
            cairo_surface_destroy(surface)
        }
        for (kind, sink) in [("shop", shop), ("office", office)] {
            let url = directory.appendingPathComponent("floor-\(number)-\(kind).pdf")
            try? sink.data.write(to: url)
            bytes += sink.data.count
        }
        return (pages, bytes)
    }

    /// Collects what cairo's PDF stream writes.
    final class PDFSink {
        var data = Data()

        func surface(width: Double, height: Double) -> OpaquePointer {
            cairo_pdf_surface_create_for_stream({ closure, bytes, length in
                guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
                Unmanaged<PDFSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(self).toOpaque(), width, height)!
        }
    }
}
