import Foundation
import RefkitModel

extension SiteRenderer {
    /// One progress page per invitation with a token, on every core. Each page is stamped with
    /// what it shows (the referrer's first name, code and token, their counts from the last
    /// report, and the copy's programme, language and variant), so a report that changes one
    /// referrer's counts makes the next build render that referrer's page alone.
    func renderProgressPages(_ pages: PageBuilder, to sink: any OutputSink) throws -> (rendered: Int, reused: Int) {
        let counts = Counts()
        let work = invitations.filter { !$0.progressToken.isEmpty }
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, work.count))
        let failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < work.count, !failure.isSet {
                do {
                    try renderProgressPage(work[index], pages, counts, to: sink)
                } catch {
                    failure.set(index, error)
                }
                index += workers
            }
        }
        try failure.rethrow()
        return (counts.rendered, counts.reused)
    }

    private func renderProgressPage(_ invitation: Invitation, _ pages: PageBuilder, _ counts: Counts, to sink: any OutputSink) throws {
        guard let program = project.program(invitation.referrer.program) else { return }
        let variant = program.variant(for: invitation.code)
        let edition = (program.edition(for: invitation.referrer.language) ?? program.defaultEdition).applying(variant: variant)
        let standing = project.progress?[invitation.code] ?? ReferrerProgress()
        var target = sink
        if let inputsKey {
            var f = Fingerprint("progress page", inputsKey, program.slug, edition.language.rawValue, variant,
                                invitation.referrer.firstName, invitation.code.rawValue, invitation.progressToken)
            f.add(standing.friends)
            f.add(standing.waiting)
            // Whether any report has run: the page says so when none has.
            f.add(project.progress != nil)
            let inputs = f.hex
            if try sink.reuse(inputs: inputs) != nil {
                counts.add(reused: 1)
                return
            }
            target = sink.stamped(inputs: inputs)
        }
        let page = pages.progress(invitation, standing, program, edition, variant: variant)
        try target.add(OutputFile(area: .site, path: invitation.progressPath + "index.html", text: try html("progress", page)))
        counts.add(rendered: 1)
    }
}
