import RefkitMail
import RefkitModel

/// Turns invitations into email drafts of the scenario `site.yaml` picks (`mail.scenario`).
struct Drafts {
    let project: Project
    let today: Day

    /// One draft per invitation whose programme edition has the scenario's message, each made
    /// when the sequence reaches it: the mail renderer's workers walk it a chunk at a time, so
    /// the drafts are never all in memory (as an array they were 900 bytes a referrer, 900 MB
    /// at a million).
    func drafts(_ invitations: [Invitation], scenario: String) -> DraftSequence {
        DraftSequence(project: project, invitations: invitations, scenario: scenario)
    }
}

/// The drafts of `Drafts.drafts`, made one by one.
struct DraftSequence: Sequence {
    let project: Project
    let invitations: [Invitation]
    let scenario: String

    /// Whether no invitation has a draft. Walks up to the first one that has.
    var isEmpty: Bool {
        var iterator = makeIterator()
        return iterator.next() == nil
    }

    func makeIterator() -> Iterator { Iterator(sequence: self) }

    struct Iterator: IteratorProtocol {
        let sequence: DraftSequence
        var index = 0
        /// What every referrer of one programme, language and variant shares, worked out
        /// once: `longText` makes a DateFormatter, which per draft cost more than composing
        /// the draft.
        var memo: [Key: Shared] = [:]

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

        init(sequence: DraftSequence) { self.sequence = sequence }

        mutating func next() -> Draft? {
            while index < sequence.invitations.count {
                let invitation = sequence.invitations[index]
                index += 1
                if let draft = draft(invitation) { return draft }
            }
            return nil
        }

        private mutating func draft(_ invitation: Invitation) -> Draft? {
            let project = sequence.project
            let site = project.site
            let referrer = invitation.referrer
            // Asked for no more email: no draft, so no row in merge.csv either.
            if project.unsubscribed.contains(referrer.email) { return nil }
            let program = project.program(referrer.program) ?? project.mainProgram
            let key = Key(program: program.slug, language: referrer.language, variant: program.variant(for: invitation.code))
            let shared: Shared
            if let known = memo[key] {
                shared = known
            } else {
                let (program, edition, _) = project.copy(for: invitation)
                shared = Shared(message: edition.email[sequence.scenario], incentive: edition.incentive,
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
