import Foundation
import RefkitLoad
import RefkitModel
import Testing

@Suite("A/B variants")
struct VariantTests {
    static func program(_ arms: [(String, Double)]) -> Program {
        let edition = ProgramEdition(
            language: LanguageTag("en")!, file: "content/programs/offer.md", headline: "Control",
            incentive: Incentive(referrer: "R", friend: "F"), cta: "Go",
            variants: arms.dropFirst().map { Variant(name: $0.0, weight: $0.1, overrides: VariantOverrides(headline: "H " + $0.0)) })
        return Program(slug: "offer", editions: [edition], ends: nil, controlWeight: arms[0].1)
    }

    /// 10,000 synthetic codes: enough for the shares to sit within two points of the weights.
    static let codes = (0..<10_000).map { i in
        InviteCode(uncheckedRawValue: String(StableHash.value("code \(i)"), radix: 32).uppercased())
    }

    @Test("10,000 codes split within ±2 percentage points of the weights", arguments: [
        [("a", 1.0), ("b", 1.0)], [("a", 2.0), ("b", 1.0), ("c", 1.0)], [("a", 1.0), ("b", 3.0)], [("a", 5.0), ("b", 2.0), ("c", 2.0), ("d", 1.0)],
    ])
    func shares(_ arms: [(String, Double)]) {
        let program = Self.program(arms)
        var counts: [String: Int] = [:]
        for code in Self.codes { counts[program.variant(for: code), default: 0] += 1 }
        let total = arms.reduce(0) { $0 + $1.1 }
        for (name, weight) in arms {
            let share = Double(counts[name] ?? 0) / Double(Self.codes.count)
            #expect(abs(share - weight / total) < 0.02, "\(name): \(share) for weight \(weight / total)")
        }
    }

    @Test("the assignment is stable and adding a variant moves referrers only to the new one")
    func addingVariant() {
        let before = Self.program([("a", 1), ("b", 1)])
        let after = Self.program([("a", 1), ("b", 1), ("c", 1)])
        var moved = 0
        for code in Self.codes {
            #expect(before.variant(for: code) == before.variant(for: code))
            let old = before.variant(for: code), new = after.variant(for: code)
            if old != new {
                #expect(new == "c", "a referrer moved from \(old) to \(new)")
                moved += 1
            }
        }
        #expect(abs(Double(moved) / Double(Self.codes.count) - 1.0 / 3.0) < 0.02)
    }

    @Test("a variant applies its overrides and leaves everything else as the control has it")
    func applying() {
        let program = Self.program([("a", 1), ("b", 1)])
        let b = program.defaultEdition.applying(variant: "b")
        #expect(b.headline == "H b")
        #expect(b.cta == "Go")
        #expect(program.defaultEdition.applying(variant: "a") == program.defaultEdition)
    }
}
