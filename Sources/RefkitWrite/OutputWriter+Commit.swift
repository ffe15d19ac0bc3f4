import Foundation
import RefkitModel

/// Finishing: the staged output swapped in, the kit and the site together or not at all, with
/// the manifest that describes it; or, on failure, the staging folders dropped.
extension OutputWriter {
    /// Swaps the staged output in, the kit and the site together or not at all.
    public func commit(buildKey: String? = nil) throws -> WriteSummary {
        // The lock is held throughout: nothing may be added while the manifest is written.
        try state.withLock { state in
            // Another command's writer keeps the build's key: it changed nothing the build made.
            state.current.build = buildKey ?? (scope.areas.contains(.site) ? "" : previous.build)
            carryOverForeignKitFiles(&state)
            spare?.removeLeftovers(in: stagingPaths[.site]!, keeping: state.current.entries[.site] ?? PathTable())
            var summary = WriteSummary(site: state.counts[.site] ?? .init(), kit: state.counts[.kit] ?? .init())
            for area in OutputArea.allCases {
                var removed = 0
                let now = state.current.entries[area]
                previous.entries[area]?.forEachPath { path in if now?[bytes: path] == nil { removed += 1 } }
                summary[area].removed = removed
            }
            // What another command owns stays as the manifest knew it.
            if scope.areas.contains(.site) {
                state.current.siteFolders = Self.folderTimes(Manifest.folders(of: state.current.entries[.site] ?? PathTable()), under: stagingPaths[.site]!)
            } else {
                state.current.entries[.site] = previous.entries[.site]
                state.current.segments[.site] = previous.segments[.site]
                state.current.siteFolders = previous.siteFolders
            }
            let manifestURL = staging[.kit]!.appendingPathComponent(Manifest.path)
            do {
                try FileManager.default.createDirectory(at: manifestURL.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw WriteError(manifestURL.path, "cannot create the folder: \(error.localizedDescription)", fix: "free some disk space and build again")
            }
            try write(Data(state.current.bytes()), to: manifestURL.path, isPrivate: true)
            // The site this build replaces becomes the spare, described by the manifest it was
            // built with, when that manifest recorded its folders.
            var keepSpare = false
            if scope.areas.contains(.site), previous.siteFolders != nil {
                keepSpare = Self.place(outputPaths[.kit]! + "/" + Manifest.path, at: stagingPaths[.kit]! + "/" + SpareSite.manifestPath)
            }
            if adoptedKit {
                // The adopted kit keeps only what this writer wrote or carried.
                var extra = carriedForeign
                extra.insert(Manifest.path)
                if keepSpare || !scope.areas.contains(.site) { extra.insert(SpareSite.manifestPath) }
                let written = state.current.entries[.kit] ?? PathTable()
                FileTree.prune(stagingPaths[.kit]!) { written.contains($0) || extra.contains($0) }
            }
            let swapped = try swapIn()
            for (area, swap) in swapped {
                if let replaced = swap.replaced { retire(replaced, of: swap.target, keepAsSpare: area == .kit || keepSpare) }
            }
            finished = true
            return summary
        }
    }

    /// Swaps in the kit first, so that codes are in the ledger before any page that shows them
    /// goes public; when the site then cannot go in, the kit goes back: both or neither.
    private func swapIn() throws -> [(area: OutputArea, swap: OutputSwap)] {
        var swapped: [(area: OutputArea, swap: OutputSwap)] = []
        for area in [OutputArea.kit, .site] where staging[area] != nil {
            do {
                if failSwap == area {
                    throw Syscalls.Errno(EIO).writeError(outputPaths[area]!, "cannot replace the output folder (failure injected by REFKIT_TEST_FAIL_SWAP)")
                }
                swapped.append((area, try OutputSwap.swapIn(stage: stagingPaths[area]!, as: outputPaths[area]!)))
            } catch {
                let undone = swapped.reversed().allSatisfy { $0.swap.undo() }
                guard undone else {
                    let reason = (error as? WriteError)?.diagnostics.first?.message ?? "\(error)"
                    var partial = WriteError(outputPaths[area]!, "\(reason); the kit was already replaced by this build's and could not be put back",
                                             fix: "the new kit holds every code the old one did; fix the cause and build again to bring the site up to date")
                    partial.outputChanged = true
                    throw partial
                }
                throw error
            }
        }
        return swapped
    }

    /// Keeps the output a commit replaced as the spare of `target`, or deletes it (in the
    /// background: `OldOutput`).
    private func retire(_ old: String, of target: String, keepAsSpare: Bool) {
        if keepAsSpare {
            let spare = SpareSite.path(for: target)
            if FileManager.default.fileExists(atPath: spare) { OldOutput.discard(spare, of: target) }
            if (try? Syscalls.rename(old, to: spare)) != nil {
                OldOutput.discard(nil, of: target)
                return
            }
        }
        OldOutput.discard(old, of: target)
    }

    /// The modification time of each of `folders` under `base`; nil when one cannot be read.
    /// They do not change when the staged folder is swapped in: an exchange within one parent
    /// folder changes only the parent's time.
    private static func folderTimes(_ folders: Set<String>, under base: String) -> [String: Int]? {
        var out: [String: Int] = [:]
        out.reserveCapacity(folders.count)
        for folder in folders {
            guard let status = Syscalls.status(folder.isEmpty ? base : base + "/" + folder) else { return nil }
            out[folder] = status.mtime
        }
        return out
    }

    /// Removes the staging folders; the previous output stays as it was.
    public func abandon() {
        // An adopted spare may be large; it goes in the background like an old output.
        for (area, url) in staging {
            if (area == .site && spare != nil) || (area == .kit && adoptedKit) {
                OldOutput.discard(url.path, of: folders.url(area).path)
            } else {
                FileTree.remove(url.path)
            }
        }
        finished = true
    }

    /// Files in the old kit that this writer does not replace are hard-linked into the new kit
    /// so the swap does not drop them: files another command owns (the report's, for a build)
    /// and files no command wrote (the user's notes). A file this writer owns, wrote last
    /// time and did not write now is stale and stays behind.
    private func carryOverForeignKitFiles(_ state: inout State) {
        let kit = outputPaths[.kit]!
        let ours = previous.entries[.kit] ?? PathTable()
        for path in FileTree.files(under: kit) {
            if path == Manifest.path || state.current.entries[.kit]?[path] != nil { continue }
            // A build records its own spare's manifest.
            if path == SpareSite.manifestPath && scope.areas.contains(.site) { continue }
            let owned = scope.owns(.kit, path)
            if owned && ours[path] != nil { continue }
            let destination = staging[.kit]!.appendingPathComponent(path)
            // Through real folders only: the staging kit may be an adopted spare with a link
            // where this file's folder is now.
            try? makeRealFolder(destination.deletingLastPathComponent().path, under: stagingPaths[.kit]!,
                                known: { state.createdFolders.contains($0) }, made: { state.createdFolders[$0] = true })
            let linked = Self.place(kit + "/" + path, at: destination.path)
            if linked { carriedForeign.insert(path) }
            if linked, !owned, let entry = ours[path] {
                state.current.entries[.kit, default: [:]][path] = entry
                state.current.segments[.kit, default: [:]][path] = previous.segments[.kit]?[path]
            }
        }
    }
}
