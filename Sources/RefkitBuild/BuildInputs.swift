import Foundation
import RefkitModel

/// Fingerprints of what a build's outputs are made from, so that the next build can carry an
/// output over instead of rendering it again (`OutputSink.reuse(inputs:)`).
///
/// `shared` covers everything but the referrers: every file the loader read (`Project.inputs`,
/// by path and the fingerprint of the bytes it read) except `referrers.csv`, the options that
/// change output, whether each programme has ended (the only way today's date reaches a page
/// or a card) and the refkit binary itself, so a new refkit renders everything afresh. Each
/// renderer adds what one output shows of its referrers (a personal page: first name, code,
/// programme, language, variant).
///
/// The files are the loader's, not a second walk of the folders: a walk of its own read
/// files the loader refuses (links out of the project, hidden files) and could see a file
/// that changed after it was loaded.
struct BuildInputs {
    let shared: String
    /// `shared` without the page layouts (`site-templates/layouts/`): the site renderer adds
    /// the layout each kind of page is made with (`SiteRenderer.inputsKey`), so that editing the
    /// personal layout renders the personal pages again and carries the progress pages over.
    let site: String
    /// `shared` without the theme files no postcard reads (`pageOnlyThemeFolders`): a
    /// postcard is made from the content (copy, assets, site.yaml), `print/postcard.yaml`, the
    /// i18n strings, the options, the programmes' ends and refkit itself. Editing a page
    /// layout then carries every card over instead of drawing 10,000 again to the same bytes.
    let print: String
    /// `shared` without the theme files no draft reads (`pageAndPrintThemeFolders`): a draft
    /// is made from the content, `mail/layout.mustache`, the i18n strings and site.yaml (the
    /// logo, colour and mail settings). Editing a page layout carries every draft over.
    let mail: String
    /// The fingerprint of `referrers.csv` as loaded; empty when there is none.
    let referrers: String

    static let referrersFile = "content/referrers.csv"
    static let layoutsFolder = "site-templates/layouts/"

    /// The theme's folders only pages, drafts and the report read: their templates, partials
    /// and static files never reach a postcard (which is drawn from `print/postcard.yaml`, the
    /// `i18n/` strings and `content/`). Any other file of the theme, known or not, stays in
    /// the print inputs: a card redrawn for nothing costs time, a stale card costs a print run.
    static let pageOnlyThemeFolders = ["site-templates/layouts/", "site-templates/partials/", "site-templates/static/",
                                       "site-templates/mail/", "site-templates/report/"]
    /// The theme's folders no draft reads: the drafts' renderer is given the mail layout, the
    /// strings and site.yaml's settings, never a page template, a static file, the postcard
    /// layout or the report's template. As for postcards, any other file stays in.
    static let pageAndPrintThemeFolders = ["site-templates/layouts/", "site-templates/partials/", "site-templates/static/",
                                           "site-templates/print/", "site-templates/report/"]

    init(options: BuildOptions, project: Project) {
        // One stat of the binary for the four keys.
        let identity = Self.executableIdentity()
        func key(_ name: String, leavingOut left: (String) -> Bool) -> String {
            var f = Fingerprint(name)
            f.add(identity)
            // The unsubscribed list decides which drafts exist, not what any output shows: like
            // referrers.csv it stays out of what every output shares (each draft's chunk says
            // whether it holds the draft) and is in the whole build's key.
            for input in project.inputs where input.path != Self.referrersFile && input.path != Unsubscribed.file && !left(input.path) {
                f.add(input.path)
                f.add(input.fingerprint)
            }
            f.add(options.baseURL)
            f.add(options.target.rawValue)
            for program in project.programs {
                f.add(program.slug)
                f.add(program.hasEnded(on: options.today))
            }
            return f.hex
        }
        shared = key("refkit build inputs 2") { _ in false }
        site = key("refkit site inputs 1") { $0.hasPrefix(Self.layoutsFolder) }
        print = key("refkit print inputs 1") { path in Self.pageOnlyThemeFolders.contains(where: path.hasPrefix) }
        mail = key("refkit mail inputs 1") { path in Self.pageAndPrintThemeFolders.contains(where: path.hasPrefix) }
        referrers = (project.inputs.first { $0.path == Self.referrersFile }?.fingerprint ?? "")
            + (project.inputs.first { $0.path == Unsubscribed.file }?.fingerprint ?? "")
    }

    /// Everything a whole build is made from: the shared inputs, `referrers.csv` as loaded, the
    /// ledger as this build leaves it and the secret. The same key and intact outputs mean the
    /// build has nothing to do.
    func wholeBuild(ledger: Data, secret: Data, progress: [UInt8] = []) -> String {
        var f = Fingerprint("whole build", shared)
        f.add(referrers)
        f.add(ledger)
        f.add(secret)
        f.add(Data(progress))
        return f.hex
    }

    /// Size and modification time of the running binary; a random value when unknown, so that
    /// nothing is reused rather than something stale.
    static func executableIdentity() -> String {
        Syscalls.executableIdentity() ?? UUID().uuidString
    }
}
