import Foundation
import RefkitModel
import RefkitPrint

/// Turns invitations into postcards: one set per programme and language, every card's words
/// resolved from the programme edition and the theme's strings.
struct Postcards {
    let project: Project
    let today: Day
    /// The loader's bytes of `content/assets/`, by path: the programme's hero image and the
    /// logo go on the cards as the site publishes them (the renderer decodes them).
    private let assets: [String: PostcardImage]

    init(project: Project, today: Day) {
        self.project = project
        self.today = today
        var assets: [String: PostcardImage] = [:]
        for asset in project.assets { assets[asset.path] = PostcardImage(name: asset.path, bytes: asset.bytes) }
        self.assets = assets
    }

    private func asset(_ path: String) -> PostcardImage? { assets[path] }

    /// The cards of one programme edition and variant, in invitation order: one set of files.
    struct Batch {
        var program: Program
        var edition: ProgramEdition
        var variant: String
        var cards: [Postcard]
    }

    func batches(_ invitations: [Invitation]) -> [Batch] {
        var byKey: [String: [Invitation]] = [:]
        for invitation in invitations {
            let (program, edition, variant) = copy(for: invitation)
            byKey["\(program.slug)\u{0}\(edition.language)\u{0}\(variant)", default: []].append(invitation)
        }
        var out: [Batch] = []
        for program in project.programs {
            for edition in program.editions {
                for arm in program.arms {
                    guard let group = byKey["\(program.slug)\u{0}\(edition.language)\u{0}\(arm.name)"] else { continue }
                    let copy = edition.applying(variant: arm.name)
                    out.append(Batch(program: program, edition: copy, variant: arm.name,
                                     cards: group.map { card($0, program, copy, variant: arm.name) }))
                }
            }
        }
        return out
    }

    /// The copy a referrer's whole funnel shows: their programme, the edition in their language
    /// (the default one when the programme has none in it), with their variant applied.
    func copy(for invitation: Invitation) -> (program: Program, edition: ProgramEdition, variant: String) {
        let program = project.program(invitation.referrer.program) ?? project.mainProgram
        let variant = program.variant(for: invitation.code)
        let edition = program.edition(for: invitation.referrer.language) ?? program.defaultEdition
        return (program, edition.applying(variant: variant), variant)
    }

    func card(_ invitation: Invitation, _ program: Program, _ edition: ProgramEdition, variant: String) -> Postcard {
        let site = project.site
        let strings = Theme.strings(project.theme, for: edition.language)
        func t(_ key: String) -> String { strings?[key] ?? key }
        let deadline = program.ends.map { day in
            t(program.hasEnded(on: today) ? "deadline.ended" : "deadline.ends").replacingOccurrences(of: "{date}", with: day.longText(in: edition.language))
        }
        return Postcard(
            program: program.slug, language: edition.language, variant: variant, origin: edition.file,
            front: .init(headline: edition.headline, incentive: edition.incentive.friend, brandColor: site.theme.color,
                         brandName: site.name, image: edition.image.flatMap(asset), logo: site.theme.logo.flatMap(asset),
                         testPage: TestPageText { strings?[$0] }),
            // No given name to show (see `Referrer.firstName(fromName:language:)`): no "From" line.
            back: .init(fromLabel: invitation.referrer.firstName.isEmpty ? "" : t("postcard.from"), referrerName: invitation.referrer.firstName, toLabel: t("postcard.to"),
                        code: invitation.code.formatted(group: site.codes.group),
                        qrURL: site.url(invitation.path) + "?utm_source=postcard&utm_medium=print",
                        redeem: edition.postcard.redeem ?? t("postcard.redeem"), deadline: deadline, terms: edition.postcard.terms))
    }
}
