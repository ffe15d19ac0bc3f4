extension MailSummary {
    /// For a build that carried the last build's drafts over instead of rendering them.
    public init(carriedOver drafts: Int) {
        self.init(drafts: drafts, skipped: 0, diagnostics: [])
    }
}
