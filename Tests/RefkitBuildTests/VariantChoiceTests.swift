import Foundation
import RefkitBuild
import RefkitModel
import RefkitTestSupport
import Testing

/// `Program.variant(for:)` hashes each arm without joining strings (every page, postcard and
/// draft asks it once per referrer): it must choose exactly what the joined-string form chose,
/// or referrers would move between arms when refkit is upgraded.
@Suite("Variant choice")
struct VariantChoiceTests {
    @Test("the two-part hash and the variant chosen are the joined-string ones, for 5,000 codes")
    func sameChoice() throws {
        let root = try CLI.sampleProject(prefix: "refkit-variant-choice")
        defer { try? FileManager.default.removeItem(at: root) }
        let project = try Build(options: BuildOptions(root: root, today: Day("2026-11-23")!,
                                                      environment: ["REFKIT_SECRET": "variant-choice-secret-0123456789"])).check()
        let program = project.mainProgram
        try #require(program.arms.count == 3)
        var chosen: [String: Int] = [:]
        for i in 0..<5000 {
            let code = InviteCode(uncheckedRawValue: String(StableHash.value("code \(i)"), radix: 32).uppercased())
            var best = (name: Variant.controlName, score: Double.infinity)
            for arm in program.arms {
                let joined = code.rawValue + "\u{0}" + arm.name
                #expect(StableHash.unitInterval(code.rawValue, arm.name) == StableHash.unitInterval(joined))
                let score = -log(StableHash.unitInterval(joined)) / arm.weight
                if score < best.score { best = (arm.name, score) }
            }
            #expect(program.variant(for: code) == best.name, "\(code.rawValue)")
            chosen[best.name, default: 0] += 1
        }
        // Every arm is chosen: the table is not trivially one arm.
        #expect(chosen.count == 3, "\(chosen)")
    }
}
