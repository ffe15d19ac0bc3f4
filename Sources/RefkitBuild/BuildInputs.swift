import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// Fingerprints of what a build's outputs are made from, so that the next build can carry an
/// output over instead of rendering it again (`OutputSink.reuse(inputs:)`).
///
/// `shared` covers everything but the referrers: every file under `content/` (except
/// `referrers.csv`) and `site-templates/`, the options that change output, whether each
/// programme has ended (the only way today's date reaches a page or a card) and the refkit
/// binary itself, so a new refkit renders everything afresh. Each renderer adds what one
/// output shows of its referrers (a personal page: first name, code, programme, language,
/// variant). Reading the inputs costs a few milliseconds: they are small, and the referrers,
/// which are large, are not part of it.
struct BuildInputs {
    let shared: String

    static let referrersFile = "content/referrers.csv"

    init(options: BuildOptions, project: Project) {
        var f = Fingerprint("refkit build inputs 1")
        f.add(Self.executableIdentity())
        let root = options.root.standardizedFileURL
        for folder in ["content", "site-templates"] {
            for path in Self.files(under: root, folder) where path != Self.referrersFile {
                f.add(path)
                f.add((try? Data(contentsOf: root.appendingPathComponent(path))) ?? Data())
            }
        }
        f.add(options.baseURL)
        f.add(options.target.rawValue)
        for program in project.programs {
            f.add(program.slug)
            f.add(program.hasEnded(on: options.today))
        }
        shared = f.hex
    }

    /// Everything a whole build is made from: the shared inputs, `referrers.csv` as bytes, the
    /// ledger as this build leaves it and the secret. The same key and intact outputs mean the
    /// build has nothing to do.
    func wholeBuild(root: URL, ledger: Data, secret: Data) -> String {
        var f = Fingerprint("whole build", shared)
        f.add((try? Data(contentsOf: root.appendingPathComponent(Self.referrersFile))) ?? Data())
        f.add(ledger)
        f.add(secret)
        return f.hex
    }

    /// Size and modification time of the running binary; a random value when unknown, so that
    /// nothing is reused rather than something stale.
    static func executableIdentity() -> String {
        var s = stat()
        guard stat("/proc/self/exe", &s) == 0 else { return UUID().uuidString }
        return "\(s.st_size) \(s.st_mtim.tv_sec).\(s.st_mtim.tv_nsec) \(s.st_ino)"
    }

    /// Regular files under `folder`, as sorted relative paths, following no links out.
    static func files(under root: URL, _ folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.appendingPathComponent(folder).path) else { return [] }
        var out: [String] = []
        for case let relative as String in walker {
            let path = folder + "/" + relative
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out.append(path)
            }
        }
        return out.sorted()
    }
}
