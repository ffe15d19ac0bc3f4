/// The named steps of a build, in order. Each shows in progress lines and in timings.
///
/// The order matters: codes are issued before anything renders because every personal page,
/// card and draft shows one; everything renders before anything is written, so a failure in
/// any renderer leaves the previous output untouched.
public enum BuildStep: String, CaseIterable, Sendable {
    case load = "Load content"
    case issueCodes = "Issue codes"
    /// Whether anything the outputs are made from changed; when nothing did, the build ends here.
    case findChanges = "Find changes"
    case renderSite = "Render site"
    /// The counter page in the kit: every code the staff may be shown, so after codes.
    case renderCounter = "Render counter page"
    case renderPrint = "Render postcards"
    case renderMail = "Render email drafts"
    case write = "Write output"
}

/// What a build reports while it runs.
public enum BuildEvent: Sendable {
    case started(BuildStep, index: Int, of: Int)
    case finished(BuildStep, seconds: Double)
}
