#if canImport(Glibc)
import Glibc
#endif

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
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            guard let name = name(of: entry) else { continue }
            let path = folder + "/" + name
            guard let type = type(of: entry, at: path) else { continue }
            if type == UInt8(DT_DIR) {
                walk(path, prefix: prefix + name + "/", into: &out)
            } else if type == UInt8(DT_REG) || type == UInt8(DT_LNK) {
                out.append(prefix + name)
            }
        }
    }

    /// An entry's type (`DT_DIR`, `DT_REG`, `DT_LNK`, 0 for anything else), from `readdir` or, on file
    /// systems that do not say, from `lstat`; nil when the entry is gone.
    private static func type(of entry: UnsafeMutablePointer<dirent>, at path: String) -> UInt8? {
        let type = entry.pointee.d_type
        guard type == UInt8(DT_UNKNOWN) else { return type }
        var s = stat()
        guard lstat(path, &s) == 0 else { return nil }
        switch s.st_mode & S_IFMT {
        case S_IFDIR: return UInt8(DT_DIR)
        case S_IFREG: return UInt8(DT_REG)
        case S_IFLNK: return UInt8(DT_LNK)
        default: return 0
        }
    }

    /// An entry's name; nil for `.` and `..`.
    private static func name(of entry: UnsafeMutablePointer<dirent>) -> String? {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return name == "." || name == ".." ? nil : name
    }

    /// Deletes everything under `root` but the files at the relative paths in `keep`, links not
    /// followed, and then the folders left empty (never `root` itself).
    static func prune(_ root: String, keeping keep: Set<String>) {
        func visit(_ folder: String, prefix: String) {
            guard let dir = opendir(folder) else { return }
            var children: [(path: String, relative: String, isDirectory: Bool)] = []
            while let entry = readdir(dir) {
                guard let name = name(of: entry) else { continue }
                let path = folder + "/" + name
                guard let type = type(of: entry, at: path) else { continue }
                children.append((path, prefix + name, type == UInt8(DT_DIR)))
            }
            closedir(dir)
            for child in children {
                if child.isDirectory {
                    visit(child.path, prefix: child.relative + "/")
                    rmdir(child.path) // fails, as it should, when something was kept in it
                } else if !keep.contains(child.relative) {
                    unlink(child.path)
                }
            }
        }
        visit(root, prefix: "")
    }

    /// Deletes `path` and everything under it, links not followed. Best effort: what cannot be
    /// deleted stays (a later build removes staging leftovers).
    static func remove(_ path: String) {
        var s = stat()
        guard lstat(path, &s) == 0 else { return }
        guard (s.st_mode & S_IFMT) == S_IFDIR else { unlink(path); return }
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                guard let name = name(of: entry) else { continue }
                let child = path + "/" + name
                if entry.pointee.d_type == UInt8(DT_DIR) || entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                    remove(child)
                } else {
                    unlink(child)
                }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}
