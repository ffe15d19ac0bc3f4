import Foundation
import RefkitModel

/// Read access to the project folder. Paths are relative to the root with `/` separators,
/// which is how messages name them. A symbolic link that leads outside the project is refused:
/// content must not pull private files (say `~/.ssh`) into a public site.
struct ProjectFiles {
    let root: URL
    private let fm = FileManager.default

    init(root: URL) {
        self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func exists(_ path: String) -> Bool { fm.fileExists(atPath: url(path).path) }

    func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return fm.fileExists(atPath: url(path).path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Regular files in a folder (sorted), optionally recursively; hidden files are skipped.
    func list(_ folder: String, recursive: Bool = false) -> [String] {
        guard let names = try? fm.contentsOfDirectory(atPath: url(folder).path) else { return [] }
        var out: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let path = folder + "/" + name
            if isDirectory(path) {
                if recursive { out += list(path, recursive: true) }
            } else {
                out.append(path)
            }
        }
        return out
    }

    /// Whether the path, after following links, stays inside the project.
    func isInside(_ path: String) -> Bool {
        let resolved = url(path).resolvingSymlinksInPath().path
        return resolved == root.path || resolved.hasPrefix(root.path + "/")
    }

    func data(_ path: String, log: DiagnosticLog) -> Data? {
        guard isInside(path) else {
            log.add(SourceLocation(file: path), "this is a link to a file outside the project",
                    fix: "copy the file into the project instead of linking to it")
            return nil
        }
        do { return try Data(contentsOf: url(path)) } catch {
            log.add(SourceLocation(file: path), "cannot be read: \(error.localizedDescription)", fix: "check that the file exists and is readable")
            return nil
        }
    }

    /// The file as UTF-8 text; other encodings are refused with a message saying so.
    func text(_ path: String, log: DiagnosticLog) -> String? {
        guard let data = data(path, log: log) else { return nil }
        return Self.text(data, path: path, log: log)
    }

    /// The bytes as UTF-8 text without a byte order mark; shared with `FileLoader`, so a file
    /// fed from memory is decoded exactly as one read from the project.
    static func text(_ data: Data, path: String, log: DiagnosticLog) -> String? {
        guard let text = String(data: data, encoding: .utf8) else {
            log.add(SourceLocation(file: path), "is not UTF-8 text", fix: "save it as UTF-8 in your editor")
            return nil
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }
}
