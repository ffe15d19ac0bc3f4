import Foundation
import RefkitTestSupport
import RefkitModel
@testable import RefkitCodes

/// A fixed secret: codes in tests are reproducible, and the literals below were computed
/// independently (Python's hmac and a separate GF(32) implementation).
let testSecret = Secret(text: "test-secret-0123456789abcdef")
let otherSecret = Secret(text: "another-secret-fedcba9876543210")
let day1 = Day("2025-03-01")!
let day2 = Day("2025-04-15")!

func referrer(_ email: String, _ name: String, lang: String = "fr", program: String = "main", line: Int = 2) -> Referrer {
    Referrer(email: email, name: name, firstName: Referrer.firstName(fromName: name), language: LanguageTag(lang)!,
             program: program, line: line)
}

let sampleReferrers = [
    referrer("marie@example.fr", "Marie Dupont"),
    referrer("yamada@example.jp", "山田花子", lang: "ja"),
    referrer("wang@example.cn", "王小明", lang: "zh-Hans"),
    referrer("siti@example.my", "Siti Nurhaliza binti Ahmad", lang: "ms"),
]

extension Data {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// 1,000 codes of random data symbols, of the default length unless told otherwise.
func sampleCodes(count: Int = 1000, length: Int = 8, seed: UInt64 = 11) -> [InviteCode] {
    var rng = SplitMix64(state: seed)
    return (0..<count).map { _ in
        InviteCode(dataValues: (0..<length).map { _ in UInt8.random(in: 0..<32, using: &rng) })
    }
}
