import RefkitMail
import RefkitModel

/// Turns invitations into email drafts of the scenario `site.yaml` picks (`mail.scenario`).
struct Drafts {
    let project: Project
    let today: Day

    /// One draft per invitation whose programme edition has the scenario's message.
    func drafts(_ invitations: [Invitation], scenario: String) -> [Draft] {
        let postcards = Postcards(project: project, today: today)
        let site = project.site
        return invitations.compactMap { invitation in
            let (program, edition, _) = postcards.copy(for: invitation)
            guard let message = edition.email[scenario] else { return nil }
            return Draft(referrer: invitation.referrer, code: invitation.code,
                         formattedCode: invitation.code.formatted(group: site.codes.group),
                         link: site.url(invitation.path) + "?utm_source=email&utm_medium=email",
                         incentive: edition.incentive, deadline: program.ends?.longText(in: edition.language),
                         brand: site.name, message: message, language: edition.language)
        }
    }
}
