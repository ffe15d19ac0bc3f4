import Foundation
import RefkitModel

/// The site a build replaced, kept beside the site (`.public.refkit-spare`) to become the next
/// build's staging folder.
///
/// A fresh staging folder needs one `mkdir` per personal page (`r/CODE/`): at 100,000
/// referrers that was most of a one-referrer rebuild, with ext4 searching for a free inode past
/// the ones just deleted and both cores waiting on the lock of `r/`. The spare already has those
/// folders and, for every page that did not change, a hard link to the very file the build
/// carries over, which the writer then keeps after one `lstat`.
///
/// The spare is used only when the manifest it was built with (kept as `kit/.refkit/spare.tsv`)
/// still describes it: every folder has the modification time that manifest recorded, so no
/// entry was added, removed or renamed anywhere in it. The writer then removes the files and
/// folders this build does not make, and never writes into a file in place (`OutputWriter`
/// unlinks first): a spare file may be a hard link to a file of the live site.
struct SpareSite {
    /// Where the build that made the spare recorded what it holds.
    static let manifestPath = ".refkit/spare.tsv"

    /// What the adopted spare holds: the files and folders of the site it was. Only the files'
    /// paths are kept: the build holds this beside two whole manifests.
    let files: PathTable<Bool>
    let folders: [String: Int]

    /// Where the spare of an output folder is kept: `.NAME.refkit-spare` beside it (the kit's
    /// too, see `adoptKit`).
    static func path(for target: String) -> String {
        let url = URL(fileURLWithPath: target)
        return url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".refkit-spare"
    }

    /// Renames the kit's spare (`.kit.refkit-spare`, the kit the last build replaced) to
    /// `stage`. Returns whether it did. Unlike the site's, the kit's spare needs no manifest:
    /// the kit is one flat folder of drafts and a few others, so the writer walks it at the
    /// end and deletes whatever the build did not write or carry (`FileTree.prune`). It saves
    /// a hard link per carried draft into a folder of 100,000 entries.
    static func adoptKit(target: String, stage: String) -> Bool {
        take(target: target, stage: stage) { _ in true }
    }

    /// Renames the spare of `target` to `stage` when its manifest in `kit` still describes it;
    /// otherwise deletes it (in the background) and returns nil, and the caller makes a fresh
    /// staging folder.
    static func adopt(target: String, stage: String, kit: String) -> SpareSite? {
        var adopted: SpareSite?
        _ = take(target: target, stage: stage) { spare in
            // Only the site's lines: the kit's (as many again) say nothing about the spare.
            let manifest = Manifest.read(from: URL(fileURLWithPath: kit + "/" + manifestPath), areas: [.site])
            guard let folders = manifest.siteFolders, folders[""] != nil, describes(spare, folders) else { return false }
            var files = PathTable<Bool>(minimumCapacity: manifest.entries[.site]?.count ?? 0)
            manifest.entries[.site]?.forEachPath { files.set(true, for: $0) }
            adopted = SpareSite(files: files, folders: folders)
            return true
        }
        return adopted
    }

    /// Renames the spare folder of `target`, when there is one and `usable` accepts it, to
    /// `stage`; a spare that is not a folder, not usable or cannot be renamed is deleted in the
    /// background. Returns whether `stage` is now the spare.
    private static func take(target: String, stage: String, usable: (String) -> Bool) -> Bool {
        let spare = path(for: target)
        guard let status = Syscalls.status(spare) else { return false }
        guard status.isDirectory, usable(spare), (try? Syscalls.rename(spare, to: stage)) != nil else {
            OldOutput.discard(spare, of: target)
            return false
        }
        return true
    }

    /// Whether every folder under `root` has the recorded modification time, checked on every core.
    private static func describes(_ root: String, _ folders: [String: Int]) -> Bool {
        let list = Array(folders)
        let chunks = max(1, min(list.count, 4 * ProcessInfo.processInfo.activeProcessorCount))
        let failed = Locked(false)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            var i = c
            while i < list.count, !failed.current {
                let (folder, mtime) = list[i]
                guard let status = Syscalls.status(folder.isEmpty ? root : root + "/" + folder), status.mtime == mtime else {
                    failed.withLock { $0 = true }
                    return
                }
                i += chunks
            }
        }
        return !failed.current
    }

    /// Removes from the adopted spare at `stage` what this build did not make: files first,
    /// then folders deepest first (each is empty by then).
    func removeLeftovers(in stage: String, keeping kept: PathTable<Manifest.Entry>) {
        files.forEachPath { path in
            if kept[bytes: path] == nil { Syscalls.removeFile(stage + "/" + String(decoding: path, as: UTF8.self)) }
        }
        let keptFolders = Manifest.folders(of: kept)
        for folder in folders.keys.filter({ !keptFolders.contains($0) }).sorted(by: { $0.utf8.count > $1.utf8.count }) {
            Syscalls.removeFolder(stage + "/" + folder)
        }
    }
}
