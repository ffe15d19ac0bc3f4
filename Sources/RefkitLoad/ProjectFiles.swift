import Foundation
import RefkitModel

/// Read access to the project's two input folders, `content/` and `site-templates/`, under one
/// rule, because whatever is read from `content/assets/` or `site-templates/static/` is
/// published as it is:
///
/// - Only regular files inside the input folders are read. The input folders themselves must
///   be real folders in the project, not links, and neither the site nor the kit output folder
///   may be inside one (refkit would read its own output, the ledger included).
/// - A link is followed only to a regular file inside the same input folder it is in, and not
///   to `content/referrers.csv` or a hidden file. A link to anything else (the kit, the
///   project root, `/etc`, a folder, a link that loops or leads nowhere) is refused with its
///   file and the fix: copy the file in. A link to a folder is never followed, so no walk can
///   loop or multiply.
/// - Hidden files and folders (a name starting with `.`) are skipped when listing a folder.
/// - Named pipes, sockets and devices are refused: reading one can block forever.
///
/// Paths are relative to the root with `/` separators, which is how messages name them. Every
/// file read is recorded in `inputs`, so the build fingerprints exactly what was loaded.
final class ProjectFiles {
    let root: URL
    let log: DiagnosticLog
    /// The files read so far, in order, with the fingerprints of their bytes.
    private(set) var inputs: [InputFile] = []

    static let inputFolders = ["content", "site-templates"]
    /// Files inside an input folder that are read but never published, nor reachable by a link.
    static let privateInputs: Set<String> = ["content/referrers.csv", "content/coupons.csv", "content/confirmed.csv", Unsubscribed.file]

    init(root: URL, log: DiagnosticLog) {
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
        self.log = log
    }

    private func absolute(_ path: String) -> String { root.path + "/" + path }

    /// Whether there is anything at the path, a link to nothing included, or a link on the way
    /// to it: reading it then says why it is refused, where `lstat` would follow that link.
    func exists(_ path: String) -> Bool {
        var prefix = ""
        for part in path.split(separator: "/") {
            prefix += prefix.isEmpty ? String(part) : "/" + part
            switch Syscalls.kind(ofLink: absolute(prefix)) {
            case .missing: return false
            case .link: return true
            default: continue
            }
        }
        return true
    }

    /// Checks the input folders before anything is read: each is a real folder (or absent)
    /// and holds neither output folder. `outputs` are the site and kit folders, by what they
    /// are called in messages (`--out public`). Returns false after reporting a problem.
    func checkInputFolders(outputs: [(name: String, url: URL)]) -> Bool {
        var ok = true
        for folder in Self.inputFolders {
            switch Syscalls.kind(ofLink: absolute(folder)) {
            case .directory, .missing:
                break
            case .link:
                report(folder + "/", "this is a link to \(quoted(Syscalls.linkText(absolute(folder))))",
                       fix: "replace the link with the folder itself: refkit reads only the project's own \(folder)/, so that a link cannot publish another folder")
                ok = false
            case let other:
                report(folder + "/", "this is \(other.name), not a folder", fix: "make \(folder)/ a folder")
                ok = false
            }
        }
        guard ok else { return false }
        for (name, url) in outputs {
            let output = url.standardizedFileURL.resolvingSymlinksInPath().path
            for folder in Self.inputFolders {
                let input = absolute(folder)
                let problem = Self.isInside(output, input) ? "this folder holds the \(name) output folder \(output)"
                    : Self.isInside(input, output) ? "this folder is inside the \(name) output folder \(output)" : nil
                if let problem {
                    report(folder + "/", problem,
                           fix: "choose an output folder outside content/ and site-templates/: refkit never reads its own output or the kit")
                    ok = false
                }
            }
        }
        return ok
    }

    /// Whether the path is a folder refkit may list: every part of it below the input folder
    /// a real folder, not a link (reported once when it is one).
    func isFolder(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard let input = parts.first, Self.inputFolders.contains(input) else { return false }
        var prefix = input
        guard Syscalls.kind(ofLink: absolute(prefix)) == .directory else { return false }
        for part in parts.dropFirst() {
            prefix += "/" + part
            switch Syscalls.kind(ofLink: absolute(prefix)) {
            case .directory:
                continue
            case .link:
                refuseLink(prefix, input: input, link: quoted(Syscalls.linkText(absolute(prefix))),
                           toFolder: Syscalls.kind(following: absolute(prefix)) == .directory)
                return false
            default:
                return false
            }
        }
        return true
    }

    /// The entries of a folder (sorted) that are not folders, optionally with those of its
    /// subfolders. Hidden entries are skipped; links and special files are listed, so that
    /// reading them reports why they are refused.
    func list(_ folder: String, recursive: Bool = false) -> [String] {
        guard isFolder(folder) else { return [] }
        var out: [String] = []
        walk(folder, recursive: recursive, into: &out)
        return out
    }

    /// `list` below a folder already checked: each subfolder is a real one, seen by `lstat`.
    private func walk(_ folder: String, recursive: Bool, into out: inout [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: absolute(folder)) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = folder + "/" + name
            // A published file's name becomes a path in the site and a line of the kit's
            // manifest, neither of which can hold a control character or a backslash; refused
            // here with its path, not left for the writer to reject as refkit's own bug.
            if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) {
                report(path, "the name holds a control character (a line break, a tab) or a backslash",
                       fix: "rename the file or folder with letters, digits, `-`, `_` and `.`")
                continue
            }
            if Syscalls.kind(ofLink: absolute(path)) == .directory {
                if recursive { walk(path, recursive: true, into: &out) }
            } else {
                out.append(path)
            }
        }
    }

    /// The bytes of a file under the rule above, recorded in `inputs`; nil after reporting
    /// why not.
    func data(_ path: String) -> Data? {
        guard let target = readablePath(path) else { return nil }
        // A hard link is the very file it links to, wherever that is: `ln kit/secret
        // content/assets/a.txt` would publish the secret, and a layout hard-linked to
        // kit/codes.csv would render the ledger as a page. No path tells it apart from a file
        // of its own, so no input that can reach public/ may have a second name.
        switch Syscalls.readRegularFile(target, refusingHardLinks: !Self.privateInputs.contains(path)) {
        case let .success(data):
            var f = Fingerprint()
            f.add(data)
            inputs.append(InputFile(path: path, fingerprint: f.hex))
            return data
        case let .failure(.hardLinked(count)):
            report(path, "this file has \(count) names (hard links), so it may be a file of the kit or anywhere else",
                   fix: "give it bytes of its own: `cp FILE FILE.copy && mv FILE.copy FILE`")
        case let .failure(.notRegular(kind)):
            report(path, "this is \(kind.name), not a regular file", fix: "remove it: refkit reads only regular files")
        case let .failure(.failed(reason)):
            report(path, "cannot be read: \(reason)", fix: "check that the file exists and is readable")
        }
        return nil
    }

    /// The file as UTF-8 text; other encodings are refused with a message saying so.
    func text(_ path: String) -> String? {
        guard let data = data(path) else { return nil }
        return Self.text(data, path: path, log: log)
    }

    /// Far more than any hand-written file (the sample's largest is 10 KB; a programme with
    /// 20,000 variants is under 1 MB), far less than what makes parsing take seconds: a 50 MB
    /// line in a strings file took 5 s and 200 MB, and would land in every page.
    static let maximumTextBytes = 4 << 20

    /// The bytes as UTF-8 text without a byte order mark; shared with `FileLoader`, so a file
    /// fed from memory is decoded exactly as one read from the project. Text files larger than
    /// `maximumTextBytes` are refused unread.
    static func text(_ data: Data, path: String, log: DiagnosticLog) -> String? {
        guard data.count <= maximumTextBytes else {
            log.add(SourceLocation(file: path), "the file is \(data.count) bytes long; refkit reads text files of up to \(maximumTextBytes) bytes (4 MB)",
                    fix: "check that it is the right file: settings, programmes, strings and templates are written by hand")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            log.add(SourceLocation(file: path), "is not UTF-8 text", fix: "save it as UTF-8 in your editor")
            return nil
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    // MARK: - The rule

    /// The absolute path to open for a project path: the file itself when it is regular, the
    /// file a link leads to when the rule allows it; nil after reporting why not.
    private func readablePath(_ path: String) -> String? {
        let parts = path.split(separator: "/").map(String.init)
        guard let input = parts.first, Self.inputFolders.contains(input), parts.count > 1 else {
            report(path, "is not inside content/ or site-templates/", fix: "put the file in one of them")
            return nil
        }
        let folder = parts.dropLast().joined(separator: "/")
        guard folder == input || isFolder(folder) else {
            if Syscalls.kind(ofLink: absolute(folder)) == .missing { report(path, "cannot be read: no such file or folder") }
            return nil
        }
        let full = absolute(path)
        switch Syscalls.kind(ofLink: full) {
        case .regular:
            return full
        case .link:
            return followedLink(path, input: input)
        case .directory:
            report(path, "this is a folder, not a file", fix: "remove or rename the folder")
        case .missing:
            report(path, "cannot be read: no such file", fix: "check that the file exists")
        case let other:
            report(path, "this is \(other.name), not a regular file", fix: "remove it: refkit reads only regular files")
        }
        return nil
    }

    /// Where a link leads, when that is a regular, visible, public file in the same input folder.
    private func followedLink(_ path: String, input: String) -> String? {
        let full = absolute(path)
        let text = quoted(Syscalls.linkText(full))
        switch Syscalls.resolve(full) {
        case .loop:
            report(path, "this is a link to \(text) that leads back to itself", fix: "replace the link with the file it should name")
            return nil
        case .dangling:
            report(path, "this is a link to \(text), which does not exist", fix: "replace the link with the file itself")
            return nil
        case let .path(target):
            // Where it leads, when that is not what the link says (a chain of links, `..`).
            let shown = Self.isInside(target, root.path) && target != root.path ? String(target.dropFirst(root.path.count + 1)) : target
            let link = text == "`\(shown)`" || text.hasSuffix("/\(shown)`") ? text : "\(text) (which leads to \(quoted(shown)))"
            let folder = absolute(input)
            let kind = Syscalls.kind(ofLink: target)
            if kind == .directory {
                refuseLink(path, input: input, link: link, toFolder: true)
                return nil
            }
            guard Self.isInside(target, folder) else {
                refuseLink(path, input: input, link: link, toFolder: false)
                return nil
            }
            let relative = input + "/" + target.dropFirst(folder.count + 1)
            if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
                report(path, "this is a link to the hidden file \(quoted(relative))",
                       fix: "copy the file in under a name without a leading dot instead of linking to it")
                return nil
            }
            if Self.privateInputs.contains(relative) {
                report(path, "this is a link to \(relative), which is private and never published", fix: "remove the link")
                return nil
            }
            guard kind == .regular else {
                report(path, "this is a link to \(kind.name), not to a regular file", fix: "remove it: refkit reads only regular files")
                return nil
            }
            return target
        }
    }

    /// A link refkit does not follow: one out of its input folder, or to a folder.
    private func refuseLink(_ path: String, input: String, link: String, toFolder: Bool) {
        if toFolder {
            report(path, "this is a link to the folder \(link)",
                   fix: "copy the folder in instead of linking to it: refkit follows links to files only, so that no link can loop or publish a folder")
        } else {
            report(path, "this is a link to \(link), outside \(input)/",
                   fix: "copy the file into \(input)/ instead of linking to it: refkit follows a link only to a file in the same folder, so that nothing private (the kit, the ledger, your home folder) is published")
        }
    }

    private func report(_ path: String, _ message: String, fix: String? = nil) {
        log.add(SourceLocation(file: path), message, fix: fix)
    }

    /// A link's text in backquotes, control and bidirectional characters shown as `\u{…}`:
    /// a link's name is the attacker's text, and the terminal must not interpret it.
    private func quoted(_ text: String?) -> String {
        guard let text else { return "an unreadable target" }
        var out = "`"
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "`"
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
}
