import Foundation
import RefkitCodes
import RefkitModel
@testable import RefkitReport

enum Fixtures {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let folder = repository.appendingPathComponent("Tests/Fixtures/report")

    static func data(_ name: String) throws -> Data { try Data(contentsOf: folder.appendingPathComponent(name)) }
    static func ledger() throws -> Ledger { try Ledger(bytes: data("codes.csv")) }

    static let fr = LanguageTag("fr")!

    /// The sample programme's shape: tiers at 1, 3 and 5, ends 2027-03-31, variants a, urgence, cadeau.
    static func program(tiers: [Int] = [1, 3, 5], variants: [String] = ["urgence", "cadeau"]) -> Program {
        let edition = ProgramEdition(language: fr, file: "content/programs/parrainage.md", headline: "h",
                                     incentive: Incentive(referrer: "un croissant", friend: "-20 %"), cta: "Go",
                                     tiers: tiers.map { Tier(referrals: $0, reward: "reward \($0)") },
                                     variants: variants.map { Variant(name: $0, weight: 1) })
        return Program(slug: "parrainage", editions: [edition], ends: Day("2027-03-31"), controlWeight: 2)
    }

    static func code(_ text: String) -> InviteCode { InviteCode.parse(text)! }
}

/// A realistic export made deterministically from a ledger: 20 rows in every block of 20 are
/// 15 counted (14 clean, 1 mistyped code), and one each of: same friend again, self-referral,
/// after the deadline, unknown code, plus one more clean row. The expected counts are
/// tallied while the rows are made, each by the rule that makes the row.
struct SyntheticExport {
    var csv = "date,code,variant,friend_name,friend_email,utm_source\n"
    var rows = 0
    var counted = 0
    var corrected = 0
    var flags: [FlagKind: Int] = [:]
    var countedPerCode: [InviteCode: Int] = [:]
    var countedPerChannel: [Channel: Int] = [:]

    init(ledger: Ledger, rows count: Int, group: Int = 4) {
        let records = ledger.records
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let start = Day("2027-01-11")!.ordinal
        var previous: (friend: String, date: Day)?
        for i in 0..<count {
            let r = records[next() % records.count]
            let channel = Channel.allCases[i % 3]
            let utm = channel == .link ? (i % 2 == 0 ? "qr" : "") : channel.rawValue
            var day = Day(ordinal: start + (i * 7) % 60)
            var code = r.code.formatted(group: group)
            var friend = Self.friend(i)
            var kind: FlagKind?
            switch i % 20 {
            case 14:
                // One symbol substituted: the check symbol fails, and only this code is one edit away.
                var chars = Array(r.code.rawValue)
                let at = next() % chars.count
                chars[at] = chars[at] == "7" ? "8" : "7"
                code = String(chars)
                corrected += 1
            case 15:
                // The previous counted friend again, in another spelling, no earlier than before.
                friend = previous!.friend.uppercased().replacingOccurrences(of: "@", with: "+again@")
                day = previous!.date
                kind = .duplicate
            case 16:
                let at = r.email.firstIndex(of: "@")!
                friend = r.email[..<at] + "+me" + r.email[at...]
                kind = .selfReferral
            case 17:
                day = Day("2027-04-0\(1 + i % 9)")!
                kind = .late
            case 18:
                code = "NOPE\(i % 1000)"
                kind = .unknownCode
            default:
                break
            }
            let name = i % 7 == 0 ? "\"Dupont, Marie \(i)\"" : "Friend \(i)"
            csv += "\(day),\(code),\(r.code.rawValue.hasPrefix("Z") ? "a" : ""),\(name),\(friend),\(utm)\n"
            rows += 1
            if let kind {
                flags[kind, default: 0] += 1
            } else {
                counted += 1
                countedPerCode[r.code, default: 0] += 1
                countedPerChannel[channel, default: 0] += 1
                previous = (friend, day)
            }
        }
    }

    /// The address of row `i`'s friend: ten letters from a hash of `i`, so that no two friends
    /// of one referrer are one letter apart (`friend12` and `friend13` would be, and the
    /// report holds such look-alikes when bare submissions earn rewards).
    static func friend(_ i: Int) -> String {
        var x = UInt64(i) &+ 0x9E37_79B9_7F4A_7C15
        var local = ""
        for _ in 0..<10 {
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
            local.unicodeScalars.append(Unicode.Scalar(UInt8(ascii: "a") + UInt8(x % 26)))
        }
        return local + "@example.com"
    }

    /// Rewards the tiers give for the counted rows: one per tier reached per referrer.
    func rewards(tiers: [Int]) -> Int {
        countedPerCode.values.reduce(0) { total, n in total + tiers.count { $0 <= n } }
    }
}
