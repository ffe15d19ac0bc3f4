import RefkitCodes
import RefkitLoad
import RefkitModel
import RefkitReport

extension ReportRun {
    /// `kit/report/progress.csv`: each referrer's counts, for the next build's progress pages
    /// and leaderboards. Read back before it is written, as the build's loader will read it,
    /// so that a report never leaves a file the next build refuses.
    func progressFile(_ analysis: ReportAnalysis) throws -> OutputFile {
        let summary = analysis.progress
        let file = summary.outputFile
        guard try ProgressLoader.parse([UInt8](file.bytes)) == summary else {
            throw BuildError(ProgressSummary.displayPath, "the file does not read back as written; this is a bug in refkit",
                             fix: "report it, with the export that caused it")
        }
        return file
    }
}

extension ReportRun {
    /// `{{progress_link}}` for the report's drafts: the address the build gives the referrer's
    /// progress page. Empty without a secret (no build has run).
    func progressLinks(project: Project, secret: Secret?) -> (InviteCode) -> String {
        guard let secret else { return { _ in "" } }
        let site = project.site
        return { code in site.url("p/\(ProgressToken.token(for: code, secret: secret))/") }
    }
}
