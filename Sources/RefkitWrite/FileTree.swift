/// Walking and deleting output trees with `readdir`'s file types, without a `stat` per entry
/// or Foundation's URL objects: at 100,000 referrers the kit and the site each hold 100,000
/// files, and a no-op build walks the old kit and deletes the old trees.
enum FileTree {
    /// Regular files and symbolic links under `root`, as paths relative to it; links are listed,
    /// never followed (a link the user keeps in the kit is the user's, like a note).
    static func files(under root: String) -> [String] {
        var out: [String] = []
        walk(root, prefix: "", into: &out)
        return out
    }

    private static func walk(_ folder: String, prefix: String, into out: inout [String]) {
        for entry in Syscalls.entries(of: folder) ?? [] {
            switch entry.kind {
            case .directory: walk(folder + "/" + entry.name, prefix: prefix + entry.name + "/", into: &out)
            case .regular, .link: out.append(prefix + entry.name)
            case .other: break
            }
        }
    }

    /// Deletes everything under `root` but the files at the relative paths in `keep`, links not
    /// followed, and then the folders left empty (never `root` itself).
    static func prune(_ root: String, keeping keep: (String) -> Bool) {
        func visit(_ folder: String, prefix: String) {
            for entry in Syscalls.entries(of: folder) ?? [] {
                let path = folder + "/" + entry.name, relative = prefix + entry.name
                if entry.kind == .directory {
                    visit(path, prefix: relative + "/")
                    Syscalls.removeFolder(path) // fails, as it should, when something was kept in it
                } else if !keep(relative) {
                    Syscalls.removeFile(path)
                }
            }
        }
        visit(root, prefix: "")
    }

    /// Deletes `path` and everything under it, links not followed. Best effort: what cannot be
    /// deleted stays (a later build removes staging leftovers).
    static func remove(_ path: String) {
        guard let status = Syscalls.status(path) else { return }
        guard status.isDirectory else { Syscalls.removeFile(path); return }
        for entry in Syscalls.entries(of: path) ?? [] {
            let child = path + "/" + entry.name
            if entry.kind == .directory { remove(child) } else { Syscalls.removeFile(child) }
        }
        Syscalls.removeFolder(path)
    }
}
