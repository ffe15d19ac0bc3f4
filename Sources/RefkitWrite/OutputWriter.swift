import Foundation
import RefkitModel

/// The one writer of `public/` and `kit/`.
///
/// Files go into staging folders beside the outputs (`public.refkit-staging`), never into the
/// outputs themselves; `commit()` then swaps each staging folder in with one atomic exchange.
/// Until then the previous output is untouched, so a failed or killed build loses nothing.
/// A file whose bytes did not change is hard-linked from the old output instead of written,
/// which keeps its modification time (static hosts and rsync see no change) and skips the
/// disk write. Files the previous build did not write in `kit/` (reports, the user's own
/// notes) are carried over; everything else the build did not produce this time is dropped.
///
/// One concern a file: setting up the staging folders (here), putting files into them
/// (`+Staging`), files written in parts (`+StreamFile`), keeping what the last build made
/// (`+Reuse`), swapping the result in (`+Commit`) and checking whether there is anything to do
/// at all (`UpToDate`). The system calls they make are in `Syscalls`.
public final class OutputWriter: OutputSink, @unchecked Sendable {
    public let folders: OutputFolders
    public let scope: WriteScope
    let staging: [OutputArea: URL]
    /// The same folders as plain paths, and the outputs': the per-file work joins strings,
    /// which costs far less than Foundation's URL arithmetic at 100,000 files.
    let stagingPaths: [OutputArea: String]
    let outputPaths: [OutputArea: String]
    let previous: Manifest
    /// The site the build before last replaced, adopted as the site's staging folder; nil when
    /// the staging folder was made empty.
    let spare: SpareSite?
    /// Whether the site's staging folder is an adopted spare (for tests).
    var adoptedSpare: Bool { spare != nil }
    /// Whether the kit's staging folder is the kit the last build replaced.
    let adoptedKit: Bool
    /// Files of the old kit linked into the new one because this writer does not own them.
    var carriedForeign: Set<String> = []
    let previousByInputs: InputsIndex

    /// What the writer learns as files come in: renderers add files from several threads.
    struct State {
        var current = Manifest()
        /// Staging folders made so far (a path table: at 100,000 referrers there are 200,000).
        var createdFolders = PathTable<Bool>()
        var counts: [OutputArea: WriteSummary.Counts] = [:]
    }

    let state = Locked(State())
    var finished = false
    /// For the tests: the folder whose swap `commit()` fails as a full disk would, to show that
    /// the other is put back. Set from `REFKIT_TEST_FAIL_SWAP` (`site` or `kit`), so that tests
    /// of the real binary can reach it too.
    var failSwap: OutputArea? = ProcessInfo.processInfo.environment["REFKIT_TEST_FAIL_SWAP"].flatMap(OutputArea.init(rawValue:))

    public init(folders: OutputFolders, scope: WriteScope = .build) throws(WriteError) {
        self.folders = folders
        self.scope = scope
        previous = Manifest.read(from: folders.kit.appendingPathComponent(Manifest.path))
        previousByInputs = previous.byInputs()
        // This build's manifest will be about as large as the last: sized once, not by doubling.
        let previous = previous
        state.withLock { state in
            for (area, table) in previous.entries { state.current.entries[area] = PathTable(minimumCapacity: table.count) }
            state.createdFolders.reserveCapacity(previous.siteFolders?.count ?? 0)
        }
        var staging: [OutputArea: URL] = [:]
        var spare: SpareSite?
        var adoptedKit = false
        // The kit always takes part: it holds the manifest.
        for area in OutputArea.allCases where scope.areas.contains(area) || area == .kit {
            let target = folders.url(area)
            let stage = target.deletingLastPathComponent().appendingPathComponent(target.lastPathComponent + ".refkit-staging")
            // A staging folder left by a killed build is garbage by definition: the outputs are
            // only ever replaced by a completed one.
            if FileManager.default.fileExists(atPath: stage.path) { OldOutput.discard(stage.path, of: target.path) }
            staging[area] = stage
            if area == .site, let adopted = SpareSite.adopt(target: target.path, stage: stage.path, kit: folders.kit.path) {
                spare = adopted
                continue
            }
            if area == .kit, SpareSite.adoptKit(target: target.path, stage: stage.path) {
                adoptedKit = true
                continue
            }
            do {
                try FileManager.default.createDirectory(at: stage, withIntermediateDirectories: true,
                                                        attributes: area == .kit ? [.posixPermissions: 0o700] : nil)
            } catch {
                throw WriteError(stage.path, "cannot create the staging folder: \(error.localizedDescription)",
                                 fix: "check that the folder is writable and the disk is not full")
            }
        }
        self.spare = spare
        self.adoptedKit = adoptedKit
        self.staging = staging
        stagingPaths = staging.mapValues(\.path)
        outputPaths = Dictionary(uniqueKeysWithValues: OutputArea.allCases.map { ($0, folders.url($0).path) })
    }

    deinit {
        if !finished { abandon() }
    }
}
