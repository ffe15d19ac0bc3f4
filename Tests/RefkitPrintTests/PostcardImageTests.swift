import Foundation
import Testing
import RefkitModel
@testable import RefkitPrint

/// The brand's images on the cards: what is drawn, how it fills its box, what is refused.
@Suite("Postcards with the brand's images")
struct PostcardImageTests {
    /// Print-shop pages start the trim 10 mm in (3 mm bleed + 7 mm for crop marks); the
    /// default layout's hero box is the card's top 72 mm.
    let trim = 10.0

    @Test("an SVG, a PNG and a JPEG hero are drawn across the hero box (cover), the front shows more than one colour there",
          arguments: ["svg", "png", "jpeg"])
    func heroDrawn(kind: String) throws {
        let hero = kind == "svg" ? TestImages.stripesSVG : kind == "png" ? TestImages.stripesPNG : try TestImages.stripesJPEG()
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = try TestImages.shopFile(TestImages.cards(hero: hero, logo: TestImages.stripesSVG), in: dir)
        let front = try PageImage.render(pdf, page: 1, dpi: 60)
        let box = front.region(x: trim, y: trim, width: 105, height: 72)
        #expect(PageImage.distinctColours(box) >= 3, "the hero box is one flat colour")
        // Cover: 3:1 stripes scaled to the box height, centred: 18 mm of red at the left,
        // of blue at the right.
        let left = front.region(x: trim + 3, y: trim + 40, width: 4, height: 4)
        let right = front.region(x: trim + 100, y: trim + 60, width: 3, height: 3)
        #expect(left.allSatisfy { $0.0 > 150 && $0.2 < 90 }, "left of the box is not red: \(left.first!)")
        #expect(right.allSatisfy { $0.2 > 150 && $0.0 < 90 }, "right of the box is not blue: \(right.first!)")
    }

    @Test("fit: contain shows the whole wide image with the background above and below it; cover crops it")
    func containAndCover() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var layout = PrintLayout()
        layout.front.logo = nil
        layout.front.image?.fit = .contain
        let contain = try PageImage.render(try TestImages.shopFile(TestImages.cards(hero: TestImages.stripesSVG), layout: layout, in: dir), page: 1, dpi: 60)
        // 3:1 stripes across 111 mm (with bleed) are 37 mm high, centred in the 75 mm box.
        let above = contain.region(x: trim + 40, y: trim + 2, width: 20, height: 8)
        #expect(above.allSatisfy { abs($0.0 - 0x8A) < 12 && abs($0.1 - 0x3B) < 12 && abs($0.2 - 0x12) < 12 }, "above the image is not the brand background: \(above.first!)")
        let middle = contain.region(x: trim + 45, y: trim + 34, width: 10, height: 4)
        #expect(middle.allSatisfy { $0.1 > 130 && $0.0 < 90 }, "the image's middle stripe is not there: \(middle.first!)")

        layout.front.image?.fit = .cover
        let sub = dir.appendingPathComponent("cover")
        let cover = try PageImage.render(try TestImages.shopFile(TestImages.cards(hero: TestImages.stripesSVG), layout: layout, in: sub), page: 1, dpi: 60)
        let top = cover.region(x: trim + 40, y: trim + 2, width: 20, height: 8)
        #expect(top.allSatisfy { $0.1 > 130 && $0.0 < 90 }, "cover leaves the top of the box empty: \(top.first!)")
    }

    @Test("the front is drawn once per file: each further card adds a few kilobytes, whatever the images")
    func frontOncePerFile() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let hero = try TestImages.stripesJPEG()
        func size(_ count: Int) throws -> Int {
            let sub = dir.appendingPathComponent("n\(count)")
            let pdf = try TestImages.shopFile(TestImages.cards(hero: hero, logo: TestImages.stripesSVG, count: count), in: sub)
            return try Data(contentsOf: pdf).count
        }
        let perCard = Double(try size(20) - size(10)) / 10
        #expect(perCard < 4_000, "\(perCard) bytes per card")
    }

    @Test("an SVG cannot load files: <image> and external entities pointing at a red image draw nothing red")
    func svgLoadsNoFiles() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let red = dir.appendingPathComponent("red.png")
        try TestImages.png(width: 2, height: 2, rgbRows: [[255, 0, 0, 255, 0, 0], [255, 0, 0, 255, 0, 0]]).write(to: red)
        let fragment = dir.appendingPathComponent("fragment.xml")
        try Data(##"<rect width="300" height="100" fill="#ff0000"/>"##.utf8).write(to: fragment)
        let hostile = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 300 100"><rect width="300" height="100" fill="#ffffff"/><image href="\##(red.absoluteString)" width="300" height="100"/><image xlink:href="\##(red.path)" width="300" height="100"/><image href="red.png" width="300" height="100"/></svg>"##,
            ##"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY ext SYSTEM "\##(fragment.absoluteString)">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><rect width="300" height="100" fill="#ffffff"/>&ext;</svg>"##,
        ]
        for (i, svg) in hostile.enumerated() {
            let hero = PostcardImage(name: "hostile\(i).svg", bytes: Data(svg.utf8))
            let sub = dir.appendingPathComponent("h\(i)")
            do {
                let front = try PageImage.render(try TestImages.shopFile(TestImages.cards(hero: hero), in: sub), page: 1, dpi: 40)
                let box = front.region(x: trim, y: trim, width: 105, height: 72)
                #expect(!box.contains(where: PageImage.isRed), "fixture \(i) drew the file it points at")
            } catch let error as PrintError {
                // Refusing the SVG outright is fine too, as long as it names the image.
                #expect(error.field == "front.image" && error.message.contains("hostile\(i).svg"), "\(error)")
            }
        }
    }

    @Test("an SVG with huge dimensions is fitted into its box")
    func hugeSVG() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = ##"<svg xmlns="http://www.w3.org/2000/svg" width="3000000000" height="1000000000"><rect width="3000000000" height="1000000000" fill="#20a020"/></svg>"##
        let front = try PageImage.render(try TestImages.shopFile(TestImages.cards(hero: PostcardImage(name: "huge.svg", bytes: Data(svg.utf8))), in: dir),
                                         page: 1, dpi: 40)
        let middle = front.region(x: trim + 40, y: trim + 30, width: 20, height: 10)
        #expect(middle.allSatisfy { $0.1 > 130 && $0.0 < 90 }, "\(middle.first!)")
    }

    @Test("a corrupt PNG, a PNG claiming 60,000 x 60,000 pixels and an SVG that is not XML are errors naming the field and the asset",
          arguments: ["corrupt", "bomb", "notxml"])
    func brokenImages(kind: String) throws {
        let image: PostcardImage
        switch kind {
        case "corrupt": image = PostcardImage(name: "broken.png", bytes: Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) + Data(repeating: 0x41, count: 200))
        case "bomb":
            // A real header and almost no data: the size is refused before any pixel is allocated.
            image = PostcardImage(name: "bomb.png", bytes: TestImages.png(width: 60_000, height: 60_000, rgbRows: [[0, 0, 0]]))
        default: image = PostcardImage(name: "notxml.svg", bytes: Data("<svg><g></svg>\u{0}".utf8))
        }
        let error = #expect(throws: PrintError.self) {
            try PostcardRenderer(settings: .init()).render(TestImages.cards(hero: image), to: MemorySink())
        }
        #expect(error?.field == "front.image")
        #expect(error?.location.file == "content/assets/\(image.name)")
        #expect(error?.diagnostics.first?.description.contains("bread-club") == true, "\(String(describing: error))")
        if kind == "bomb" { #expect(error?.message.contains("60000 x 60000 pixels") == true, "\(String(describing: error))") }
    }

    @Test("the logo sits in its box on the front and on the back's brand band")
    func logoDrawn() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pdf = try TestImages.shopFile(TestImages.cards(hero: nil, logo: TestImages.stripesSVG), in: dir)
        let front = try PageImage.render(pdf, page: 1, dpi: 60)
        let back = try PageImage.render(pdf, page: 2, dpi: 60)
        // 3:1 stripes contained in the square logo boxes: the middle is green.
        #expect(front.region(x: trim + 16, y: trim + 16, width: 2, height: 2).allSatisfy { $0.1 > 130 && $0.0 < 90 })
        #expect(back.region(x: trim + 11.5, y: trim + 7.5, width: 1, height: 1).allSatisfy { $0.1 > 130 && $0.0 < 90 })
    }
}
