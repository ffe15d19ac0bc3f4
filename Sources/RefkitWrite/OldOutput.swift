import Foundation

/// Deleting the previous output after a build swapped the new one in.
///
/// At 100,000 referrers the old site and kit hold 300,000 entries, and deleting them took 30 s
/// of a 70 s rebuild on an ext4 mounted with `discard`, after the new output was already in
/// place. So the old tree is renamed aside (`.public.refkit-staging.old-…`, beside the output)
/// and deleted by a detached `rm` at low priority, and the build returns at once. Leftovers of
/// an `rm` that did not finish (a reboot) go with the next build's.
enum OldOutput {
    /// The prefix of the aside folders of `target` (an output folder's path).
    static func asidePrefix(for target: String) -> (folder: String, name: String) {
        let url = URL(fileURLWithPath: target)
        return (url.deletingLastPathComponent().path, "." + url.lastPathComponent + ".refkit-staging.old-")
    }

    /// Renames `path` aside and deletes it in the background, with any leftovers of earlier
    /// builds (only those when `path` is nil); deletes it here when it cannot be renamed or no
    /// process can be started.
    static func discard(_ path: String?, of target: String) {
        let (folder, name) = asidePrefix(for: target)
        if let path {
            let aside = folder + "/" + name + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            guard (try? Syscalls.rename(path, to: aside)) != nil else { FileTree.remove(path); return }
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: folder))?
            .filter { $0.hasPrefix(name) }.map { folder + "/" + $0 } ?? []
        guard !leftovers.isEmpty else { return }
        if ProcessInfo.processInfo.environment["REFKIT_REMOVE_OLD_OUTPUT"] == "wait" || !removeInBackground(leftovers) {
            for path in leftovers { FileTree.remove(path) }
        }
    }

    /// Starts `nice rm -rf -- paths` in a new session through a shell that exits at once, so
    /// that the `rm` belongs to init (no zombie in a long-running process such as
    /// `refkit serve`) and outlives refkit. Returns whether the shell started and exited well.
    static func removeInBackground(_ paths: [String]) -> Bool {
        Syscalls.runInNewSession(["/bin/sh", "-c", "nice -n 19 rm -rf -- \"$@\" </dev/null >/dev/null 2>&1 &", "refkit-remove-old-output"] + paths)
    }
}
