import RefkitMail
import RefkitModel

/// Turns invitations into email drafts of the scenario `site.yaml` picks (`mail.scenario`).
struct Drafts {
    let project: Project
    let today: Day

    /// One draft per invitation whose programme edition has the scenario's message.
    func drafts(_ invitations: [Invitation], scenario: String) -> [Draft] {
        let site = project.site
        // What every referrer of one programme, language and variant shares, worked out once:
        // `longText` makes a DateFormatter, which per draft cost more than composing the draft.
        struct Key: Hashable {
            var program: String
            var language: LanguageTag
            var variant: String
        }
        struct Shared {
            var message: EmailMessage?
            var incentive: Incentive
            var deadline: String?
            var language: LanguageTag
        }
        var memo: [Key: Shared] = [:]
        let unsubscribed = project.unsubscribed
        return invitations.compactMap { invitation in
            let referrer = invitation.referrer
            // Asked for no more email: no draft, so no row in merge.csv either.
            if unsubscribed.contains(referrer.email) { return nil }
            let program = project.program(referrer.program) ?? project.mainProgram
            let key = Key(program: program.slug, language: referrer.language, variant: program.variant(for: invitation.code))
            let shared: Shared
            if let known = memo[key] {
                shared = known
            } else {
                let (program, edition, _) = project.copy(for: invitation)
                shared = Shared(message: edition.email[scenario], incentive: edition.incentive,
                                deadline: program.ends?.longText(in: edition.language), language: edition.language)
                memo[key] = shared
            }
            guard let message = shared.message else { return nil }
            // A draft goes to the referrer alone, so {{first_name}} may fall back to the name they
            // gave when it has no given name a page may show (山田花子): greeting someone by
            // their own full name discloses nothing, is the polite form in Chinese, Japanese and
            // Korean, and reads better than a greeting with a gap.
            var addressee = referrer
            if addressee.firstName.isEmpty { addressee.firstName = addressee.name }
            return Draft(referrer: addressee, code: invitation.code,
                         formattedCode: invitation.code.formatted(group: site.codes.group),
                         link: site.url(invitation.path) + "?utm_source=email&utm_medium=email",
                         incentive: shared.incentive, deadline: shared.deadline,
                         brand: site.name, message: message, language: shared.language,
                         progressLink: invitation.progressToken.isEmpty ? "" : site.url(invitation.progressPath))
        }
    }
}
