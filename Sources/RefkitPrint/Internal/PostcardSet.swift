import Foundation
import RefkitModel

/// The cards of one programme edition and variant, in invitation order: one run of files.
///
/// Everything the cards share (the front, the back's words, the deadline's date text) is
/// resolved once here; a card is made from its invitation only when its file is drawn
/// (`card(_:)`), so a file the next build carries over costs no strings at all.
struct PostcardSet: Sendable {
    let program: Program
    let edition: ProgramEdition
    let variant: String
    let invitations: [Invitation]
    /// A card of the set without its referrer: front, shared words, no name, code or URL.
    let blank: Postcard
    /// "From:", shown only on cards with a given name.
    let fromLabel: String
    let site: Site

    /// The sets of `invitations`: by programme in the project's order, then by edition and
    /// variant, each keeping the invitations' order.
    static func sets(_ project: Project, _ invitations: [Invitation], today: Day) -> [PostcardSet] {
        struct Key: Hashable {
            var program: Int
            var language: LanguageTag
            var variant: String
        }
        var groups: [Key: [Invitation]] = [:]
        for invitation in invitations {
            // As `Project.copy(for:)` picks the copy, without making it per card.
            let index = project.programs.firstIndex { $0.slug == invitation.referrer.program } ?? 0
            let program = project.programs[index]
            let edition = program.edition(for: invitation.referrer.language) ?? program.defaultEdition
            groups[Key(program: index, language: edition.language, variant: program.variant(for: invitation.code)), default: []]
                .append(invitation)
        }
        let images = Images(project)
        var sets: [PostcardSet] = []
        for (index, program) in project.programs.enumerated() {
            for edition in program.editions {
                for arm in program.arms {
                    guard let group = groups[Key(program: index, language: edition.language, variant: arm.name)] else { continue }
                    sets.append(PostcardSet(project, program, edition.applying(variant: arm.name), variant: arm.name, group,
                                            images: images, today: today))
                }
            }
        }
        return sets
    }

    private init(_ project: Project, _ program: Program, _ edition: ProgramEdition, variant: String, _ invitations: [Invitation],
                 images: Images, today: Day) {
        let site = project.site
        let strings = Theme.strings(project.theme, for: edition.language)
        func t(_ key: String) -> String { strings?[key] ?? key }
        let deadline = program.ends.map { day in
            t(program.hasEnded(on: today) ? "deadline.ended" : "deadline.ends").replacingOccurrences(of: "{date}", with: day.longText(in: edition.language))
        }
        self.program = program
        self.edition = edition
        self.variant = variant
        self.invitations = invitations
        self.site = site
        fromLabel = t("postcard.from")
        blank = Postcard(
            program: program.slug, language: edition.language, variant: variant, origin: edition.file,
            front: .init(headline: edition.headline, incentive: edition.incentive.friend, brandColor: site.theme.color,
                         brandName: site.name, image: edition.image.flatMap(images.image), logo: site.theme.logo.flatMap(images.image),
                         testPage: TestPageText { strings?[$0] }),
            back: .init(fromLabel: "", referrerName: "", toLabel: t("postcard.to"), code: "", qrURL: "",
                        redeem: edition.postcard.redeem ?? t("postcard.redeem"), deadline: deadline, terms: edition.postcard.terms))
    }

    /// One referrer's card.
    func card(_ invitation: Invitation) -> Postcard {
        var card = blank
        let name = invitation.referrer.firstName
        // No given name to show (see `Referrer.firstName(fromName:language:)`): no "From" line.
        card.back.fromLabel = name.isEmpty ? "" : fromLabel
        card.back.referrerName = name
        card.back.code = invitation.code.formatted(group: site.codes.group)
        card.back.qrURL = site.url(invitation.path) + "?utm_source=postcard&utm_medium=print"
        return card
    }

    /// The loader's bytes of `content/assets/`, by path: the programme's hero image and the
    /// logo go on the cards as the site publishes them (the renderer decodes them). One
    /// `PostcardImage` per asset, so every card of a set shares its buffer.
    private struct Images: Sendable {
        var byPath: [String: PostcardImage] = [:]
        init(_ project: Project) {
            for asset in project.assets { byPath[asset.path] = PostcardImage(name: asset.path, bytes: asset.bytes) }
        }
        func image(_ path: String) -> PostcardImage? { byPath[path] }
    }
}
