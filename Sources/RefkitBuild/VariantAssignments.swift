import Foundation
import RefkitModel

/// Which A/B variant each referrer's funnel tests, for `kit/variants.csv` and the summary.
struct VariantAssignments {
    typealias Share = VariantShare

    let rows: [(program: String, code: InviteCode, variant: String)]
    let shares: [Share]

    init(project: Project, invitations: [Invitation]) {
        var rows: [(String, InviteCode, String)] = []
        var counts: [String: Int] = [:]
        for invitation in invitations {
            guard let program = project.program(invitation.referrer.program) else { continue }
            let variant = program.variant(for: invitation.code)
            rows.append((program.slug, invitation.code, variant))
            counts[program.slug + "\u{0}" + variant, default: 0] += 1
        }
        self.rows = rows
        shares = project.programs.filter { !$0.defaultEdition.variants.isEmpty }.flatMap { program in
            program.arms.map { VariantShare(program: program.slug, variant: $0.name, weight: $0.weight,
                                     referrers: counts[program.slug + "\u{0}" + $0.name] ?? 0) }
        }
    }

    /// `program,code,variant`: codes and slugs are plain symbols, so no cell needs quoting.
    func csv(group: Int) -> OutputFile {
        var text = "program,code,variant\n"
        for row in rows { text += "\(row.program),\(row.code.formatted(group: group)),\(row.variant)\n" }
        return OutputFile(area: .kit, path: "variants.csv", text: text, isPrivate: true)
    }
}
