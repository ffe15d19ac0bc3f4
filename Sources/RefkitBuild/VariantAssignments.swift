import Foundation
import RefkitCSV
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

    /// `program,code,variant`, through refkit's one CSV writer like every CSV in the kit: slugs
    /// and variant names are plain symbols today, but the writer is what keeps that from
    /// mattering.
    func csv(group: Int) -> OutputFile {
        let writer = CSVWriter(lineEnd: .lf)
        var text = writer.line(["program", "code", "variant"])
        for row in rows { text += writer.line([row.program, row.code.formatted(group: group), row.variant]) }
        return OutputFile(area: .kit, path: "variants.csv", text: text, isPrivate: true)
    }
}
