import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

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
    /// The fingerprint of `referrers.csv` as loaded; empty when there is none.
    let referrers: String

    static let referrersFile = "content/referrers.csv"
    static let layoutsFolder = "site-templates/layouts/"

    init(options: BuildOptions, project: Project) {
        func key(_ name: String, leavingOut left: (String) -> Bool) -> String {
            var f = Fingerprint(name)
            f.add(Self.executableIdentity())
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
        var s = stat()
        guard stat("/proc/self/exe", &s) == 0 else { return UUID().uuidString }
        return "\(s.st_size) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(s.st_ino)"
    }
}
