import Foundation
import RefkitModel
import RefkitPrint

/// Cards in four scripts: Japanese, Simplified Chinese, Malay and French, each with a
/// referrer's name in its own script and copy in its own language.
enum Fixtures {
    static let baseURL = "https://bakery.example/"

    struct Copy {
        var language: String
        var headline: String
        var incentive: String
        var from: String
        var to: String
        var redeem: String
        var deadline: String?
        var terms: String?
        var names: [String]
    }

    static let copies: [Copy] = [
        Copy(language: "ja", headline: "焼きたてのパンをお友だちに", incentive: "はじめてのご来店でクロワッサン2個をプレゼント",
             from: "紹介者：", to: "宛先：", redeem: "このカードをお店でお見せいただくか、QRコードを読み取ってお申し込みください。",
             deadline: "2026年12月31日まで有効", terms: "お一人様1回限り。他の割引との併用はできません。", names: ["山田 花子", "佐藤 健"]),
        Copy(language: "zh-Hans", headline: "把新鲜面包分享给朋友", incentive: "首次光临即送两个牛角包",
             from: "推荐人：", to: "收件人：", redeem: "到店出示此卡，或扫描二维码领取礼物。",
             deadline: "有效期至2026年12月31日", terms: "每人限用一次，不与其他优惠同时使用。", names: ["王小明", "李静"]),
        Copy(language: "ms", headline: "Kongsi roti segar dengan rakan anda", incentive: "Dua croissant percuma pada lawatan pertama",
             from: "Daripada:", to: "Kepada:", redeem: "Tunjukkan kad ini di kedai atau imbas kod QR untuk menuntut hadiah anda.",
             deadline: "Tawaran tamat pada 31 Disember 2026.", terms: "Satu kad bagi setiap pelanggan baharu.", names: ["Nur Aisyah binti Ahmad", "Siti"]),
        Copy(language: "fr", headline: "Partagez le bon pain avec vos amis", incentive: "Deux croissants offerts à votre première visite",
             from: "De :", to: "À :", redeem: "Présentez cette carte en boutique ou scannez le code QR pour recevoir votre cadeau.",
             deadline: "Offre valable jusqu’au 31 décembre 2026.", terms: "Une carte par nouveau client ; non cumulable.", names: ["Marie-Hélène", "Éloïse"]),
    ]

    /// `K7QM00014`-style codes, distinct per card (digits are Crockford symbols too).
    static func code(_ i: Int, _ lang: String) -> String {
        "K7QM" + String(format: "%04d", i) + "X"
    }

    static func url(_ raw: String) -> String {
        "\(baseURL)r/\(raw)/?utm_source=postcard&utm_medium=print"
    }

    /// `count` cards of one language, cycling through its names.
    static func postcards(_ copy: Copy, count: Int, program: String = "bread-club", image: Data? = nil) -> [Postcard] {
        let language = LanguageTag(copy.language)!
        let front = Postcard.Front(headline: copy.headline, incentive: copy.incentive, brandColor: "#8A3B12",
                                   image: image.map { PostcardImage(name: "hero.png", bytes: $0) })
        return (0..<count).map { i in
            let raw = code(i, copy.language)
            let code = InviteCode(uncheckedRawValue: raw)
            return Postcard(program: program, language: language, origin: "content/programs/\(program).\(copy.language).md", front: front,
                            back: .init(fromLabel: copy.from, referrerName: copy.names[i % copy.names.count], toLabel: copy.to,
                                        code: code.formatted(), qrURL: url(raw), redeem: copy.redeem,
                                        deadline: copy.deadline, terms: copy.terms))
        }
    }

    /// A small opaque PNG (8 x 4 white pixels), made by hand so the tests need no image files.
    static let png = TestImages.png(width: 8, height: 4, rgbRows: Array(repeating: [UInt8](repeating: 0xff, count: 8 * 3), count: 4))

    /// Writes every file of `sink` under `dir` and returns their URLs by kit path.
    static func write(_ sink: MemorySink, to dir: URL) throws -> [String: URL] {
        var urls: [String: URL] = [:]
        for file in sink.files {
            let url = dir.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.bytes.write(to: url)
            urls[file.path] = url
        }
        return urls
    }
}
