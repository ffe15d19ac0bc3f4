extension Project {
    /// The copy a referrer's whole funnel shows (their postcard and their drafts): their
    /// programme, the edition in their language (the default one when the programme has none
    /// in it), with their variant applied.
    public func copy(for invitation: Invitation) -> (program: Program, edition: ProgramEdition, variant: String) {
        let program = program(invitation.referrer.program) ?? mainProgram
        let variant = program.variant(for: invitation.code)
        let edition = program.edition(for: invitation.referrer.language) ?? program.defaultEdition
        return (program, edition.applying(variant: variant), variant)
    }
}
