import Foundation
import RefkitModel

extension SiteRenderer {
    /// One progress page per invitation with a token, on every core. Each page is stamped with
    /// what it shows (the referrer's first name, code and token, their counts from the last
    /// report, and the copy's programme, language and variant), so a report that changes one
    /// referrer's counts makes the next build render that referrer's page alone.
    func renderProgressPages(_ pages: PageBuilder, to sink: any OutputSink) throws -> PageCounts {
        let prototypes = Locked(PagePrototypes())
        let counts = Locked(PageCounts())
        let work = invitations.filter { !$0.progressToken.isEmpty }
        let key = layoutKey("progress")
        try forEachOnEveryCore(work.count) { index in
            try renderProgressPage(work[index], pages, prototypes, counts, key: key, to: sink)
        }
        return counts.current
    }

    private func renderProgressPage(_ invitation: Invitation, _ pages: PageBuilder, _ prototypes: Locked<PagePrototypes>,
                                    _ counts: Locked<PageCounts>, key layoutKey: String?, to sink: any OutputSink) throws {
        guard let program = project.program(invitation.referrer.program) else { return }
        let variant = program.variant(for: invitation.code)
        // As for personal pages: the variant's copy only for a page that is rendered.
        let plain = program.edition(for: invitation.referrer.language) ?? program.defaultEdition
        let standing = project.progress?[invitation.code] ?? ReferrerProgress()
        var target = sink
        if let layoutKey {
            var f = Fingerprint("progress page", layoutKey, program.slug, plain.language.rawValue, variant,
                                invitation.referrer.firstName, invitation.code.rawValue, invitation.progressToken)
            f.add(standing.friends)
            f.add(standing.waiting)
            // Whether any report has run: the page says so when none has.
            f.add(project.progress != nil)
            let inputs = f.hex
            if try sink.reuse(inputs: inputs) != nil {
                counts.withLock { $0.reused += 1 }
                return
            }
            target = sink.stamped(inputs: inputs)
        }
        let edition = plain.applying(variant: variant)
        let copyKey = "\(program.slug)\u{0}\(edition.language)\u{0}\(variant)"
        let copy = prototypes.copy(copyKey) { pages.personalCopy(program, edition) }
        let values = pages.progressValues(invitation, copy)
        // Everything else a progress page shows comes from the counts: one prototype per count.
        let key = "progress\u{0}\(copyKey)\u{0}\(standing.friends)\u{0}\(standing.waiting)"
        let bytes = try prototypedPage(key, values.all, prototypes) { all in
            var filled = values
            filled.all = all
            return try html("progress", pages.progress(filled, standing, program, edition, variant: variant))
        }
        try target.add(OutputFile(area: .site, path: invitation.progressPath + "index.html", bytes: Data(bytes)))
        counts.withLock { $0.rendered += 1 }
    }
}
