import Crypto
import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// The one writer of `public/` and `kit/`.
///
/// Files go into staging folders beside the outputs (`public.refkit-staging`), never into the
/// outputs themselves; `commit()` then swaps each staging folder in with one atomic exchange.
/// Until then the previous output is untouched, so a failed or killed build loses nothing.
/// A file whose bytes did not change is hard-linked from the old output instead of written,
/// which keeps its modification time (static hosts and rsync see no change) and skips the
/// disk write. Files the previous build did not write in `kit/` (reports, the user's own
/// notes) are carried over; everything else the build did not produce this time is dropped.
public final class OutputWriter: OutputSink, @unchecked Sendable {
    public let folders: OutputFolders
    public let scope: WriteScope
    private let staging: [OutputArea: URL]
    /// The same folders as plain paths, and the outputs': the per-file work joins strings,
    /// which costs far less than Foundation's URL arithmetic at 100,000 files.
    private let stagingPaths: [OutputArea: String]
    private let outputPaths: [OutputArea: String]
    private let previous: Manifest
    /// The site the build before last replaced, adopted as the site's staging folder; nil when
    /// the staging folder was made empty.
    private let spare: SpareSite?
    /// Whether the site's staging folder is an adopted spare (for tests).
    var adoptedSpare: Bool { spare != nil }
    /// Whether the kit's staging folder is the kit the last build replaced.
    let adoptedKit: Bool
    /// Files of the old kit linked into the new one because this writer does not own them.
    private var carriedForeign: Set<String> = []
    private let previousByInputs: [String: [(area: OutputArea, path: String)]]

    // Guarded by `lock`: renderers add files from several threads.
    private let lock = NSLock()
    private var current = Manifest()
    private var createdFolders: Set<String> = []
    private var counts: [OutputArea: WriteSummary.Counts] = [:]
    private var finished = false
    /// For the tests: the folder whose swap `commit()` fails as a full disk would, to show that
    /// the other is put back. Set from `REFKIT_TEST_FAIL_SWAP` (`site` or `kit`), so that tests
    /// of the real binary can reach it too.
    var failSwap: OutputArea? = ProcessInfo.processInfo.environment["REFKIT_TEST_FAIL_SWAP"].flatMap(OutputArea.init(rawValue:))

    public init(folders: OutputFolders, scope: WriteScope = .build) throws(WriteError) {
        self.folders = folders
        self.scope = scope
        previous = Manifest.read(from: folders.kit.appendingPathComponent(Manifest.path))
        previousByInputs = previous.byInputs()
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

    // MARK: - OutputSink

    public func add(_ file: OutputFile) throws {
        let destination = try prepare(file.area, file.path)
        let digest = SHA256.hash(data: file.bytes).hexString
        let inputs = file.inputs ?? ""
        if try !linkUnchanged(file.area, file.path, sha256: digest, size: file.bytes.count, inputs: inputs, to: destination) {
            try write(file.bytes, to: destination, isPrivate: file.isPrivate)
            try record(file.area, file.path, destination: destination, sha256: digest, inputs: inputs)
        }
    }

    public func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile {
        try open(area: area, path: path, isPrivate: isPrivate, inputs: "")
    }

    func open(area: OutputArea, path: String, isPrivate: Bool, inputs: String) throws -> any OutputStreamFile {
        let destination = try prepare(area, path)
        return try StreamFile(writer: self, area: area, path: path, destination: destination, isPrivate: isPrivate, inputs: inputs)
    }

    /// Hard-links every file the previous build made from `inputs` into staging, when each is
    /// still as that build left it (size and modification time as the manifest recorded) and
    /// none was already written by this build. All or nothing: on any doubt nothing is carried
    /// and the caller renders the files.
    public func reuse(inputs: String) throws -> [String]? {
        guard !inputs.isEmpty, let outputs = previousByInputs[inputs] else { return nil }
        var intact: [(area: OutputArea, path: String, entry: Manifest.Entry, old: String)] = []
        intact.reserveCapacity(outputs.count)
        for (area, path) in outputs {
            guard scope.owns(area, path), staging[area] != nil, let entry = previous.entries[area]?[path] else { return nil }
            let old = outputPaths[area]! + "/" + path
            guard let stat = Self.stat(old), stat.size == entry.size, stat.mtime == entry.mtime else { return nil }
            intact.append((area, path, entry, old))
        }
        var linked: [(area: OutputArea, path: String, destination: String)] = []
        func undo() {
            for item in linked { unlink(item.destination) }
            lock.withLock { for item in linked { current.entries[item.area]?[item.path] = nil } }
        }
        for item in intact {
            let destination: String
            do { destination = try prepare(item.area, item.path) } catch { undo(); return nil }
            linked.append((item.area, item.path, destination))
            guard Self.place(item.old, at: destination) else { undo(); return nil }
        }
        lock.withLock {
            for item in intact {
                current.entries[item.area]![item.path] = item.entry
                if let segments = previous.segments[item.area]?[item.path] { current.segments[item.area, default: [:]][item.path] = segments }
            }
            for item in intact { counts[item.area, default: .init()].unchanged += 1 }
        }
        return intact.map(\.path).sorted()
    }

    public func stamped(inputs: String) -> any OutputSink { Stamped(writer: self, inputs: inputs) }

    /// Reads the staged link of a carried-over file: the old output's bytes, from the page cache.
    public func carriedBytes(area: OutputArea, path: String) -> Data? {
        guard let base = stagingPaths[area], lock.withLock({ (current.entries[area]?[path]?.size ?? -1) >= 0 }) else { return nil }
        return FileManager.default.contents(atPath: base + "/" + path)
    }

    /// Reads the previous build's copy of a file it wrote, when its size and modification time
    /// are still what the manifest recorded (the old output stays in place until `commit()`).
    public func previousBytes(area: OutputArea, path: String) -> Data? {
        guard scope.owns(area, path), let entry = previous.entries[area]?[path], let base = outputPaths[area] else { return nil }
        let old = base + "/" + path
        guard let stat = Self.stat(old), stat.size == entry.size, stat.mtime == entry.mtime,
              let bytes = FileManager.default.contents(atPath: old), bytes.count == entry.size else { return nil }
        return bytes
    }

    /// The writer, marking what goes through it as made from `inputs`.
    private struct Stamped: OutputSink {
        let writer: OutputWriter
        let inputs: String
        func add(_ file: OutputFile) throws {
            var file = file
            file.inputs = inputs
            try writer.add(file)
        }
        func open(area: OutputArea, path: String, isPrivate: Bool) throws -> any OutputStreamFile {
            try writer.open(area: area, path: path, isPrivate: isPrivate, inputs: inputs)
        }
        func reuse(inputs: String) throws -> [String]? { try writer.reuse(inputs: inputs) }
        func stamped(inputs: String) -> any OutputSink { writer.stamped(inputs: inputs) }
        func carriedBytes(area: OutputArea, path: String) -> Data? { writer.carriedBytes(area: area, path: path) }
        func previousBytes(area: OutputArea, path: String) -> Data? { writer.previousBytes(area: area, path: path) }
    }

    // MARK: - Finishing

    /// Swaps the staged output in, the kit and the site together or not at all.
    public func commit(buildKey: String? = nil) throws -> WriteSummary {
        lock.lock()
        defer { lock.unlock() }
        // Another command's writer keeps the build's key: it changed nothing the build made.
        current.build = buildKey ?? (scope.areas.contains(.site) ? "" : previous.build)
        carryOverForeignKitFiles()
        spare?.removeLeftovers(in: stagingPaths[.site]!, keeping: current.entries[.site] ?? [:])
        var summary = WriteSummary(site: counts[.site] ?? .init(), kit: counts[.kit] ?? .init())
        for area in OutputArea.allCases {
            let removed = Set(previous.entries[area]?.keys ?? [:].keys).subtracting(current.entries[area]?.keys ?? [:].keys)
            summary[area].removed = removed.count
        }
        // What another command owns stays as the manifest knew it.
        if scope.areas.contains(.site) {
            current.siteFolders = Self.folderTimes(Manifest.folders(of: current.entries[.site]?.keys ?? [:].keys), under: stagingPaths[.site]!)
        } else {
            current.entries[.site] = previous.entries[.site]
            current.segments[.site] = previous.segments[.site]
            current.siteFolders = previous.siteFolders
        }
        let manifestURL = staging[.kit]!.appendingPathComponent(Manifest.path)
        do {
            try FileManager.default.createDirectory(at: manifestURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw WriteError(manifestURL.path, "cannot create the folder: \(error.localizedDescription)", fix: "free some disk space and build again")
        }
        try write(Data(current.bytes()), to: manifestURL.path, isPrivate: true)
        // The site this build replaces becomes the spare, described by the manifest it was
        // built with, when that manifest recorded its folders.
        var keepSpare = false
        if scope.areas.contains(.site), previous.siteFolders != nil {
            keepSpare = Self.place(outputPaths[.kit]! + "/" + Manifest.path, at: stagingPaths[.kit]! + "/" + SpareSite.manifestPath)
        }
        if adoptedKit {
            // The adopted kit keeps only what this writer wrote or carried.
            var keep = Set(current.entries[.kit]?.keys ?? [:].keys).union(carriedForeign)
            keep.insert(Manifest.path)
            if keepSpare || !scope.areas.contains(.site) { keep.insert(SpareSite.manifestPath) }
            FileTree.prune(stagingPaths[.kit]!, keeping: keep)
        }
        // The kit first, so that codes are in the ledger before any page that shows them goes
        // public; when the site then cannot go in, the kit goes back: both or neither.
        var swapped: [(area: OutputArea, swap: OutputSwap)] = []
        for area in [OutputArea.kit, .site] where staging[area] != nil {
            do {
                if failSwap == area {
                    errno = EIO
                    throw Self.ioError(outputPaths[area]!, "cannot replace the output folder (failure injected by REFKIT_TEST_FAIL_SWAP)")
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
        for (area, swap) in swapped {
            if let replaced = swap.replaced { retire(replaced, of: swap.target, keepAsSpare: area == .kit || keepSpare) }
        }
        finished = true
        return summary
    }

    /// Keeps the output a commit replaced as the spare of `target`, or deletes it (in the
    /// background: `OldOutput`).
    private func retire(_ old: String, of target: String, keepAsSpare: Bool) {
        if keepAsSpare {
            let spare = SpareSite.path(for: target)
            if FileManager.default.fileExists(atPath: spare) { OldOutput.discard(spare, of: target) }
            if rename(old, spare) == 0 {
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
            guard let stat = stat(folder.isEmpty ? base : base + "/" + folder) else { return nil }
            out[folder] = stat.mtime
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

    // MARK: - Internals

    /// Checks a path and creates its folder in staging.
    private func prepare(_ area: OutputArea, _ path: String) throws -> String {
        guard scope.owns(area, path) else {
            throw WriteError(path, "this command does not own \(area == .site ? "the site" : "kit/" + path)",
                             fix: "this is a bug in refkit; please report it")
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !path.isEmpty, !path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }),
              !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" }),
              path != Manifest.path else {
            throw WriteError(path, "refused to write an unsafe output path", fix: "this is a bug in refkit; please report it")
        }
        let destination = stagingPaths[area]! + "/" + path
        let folder = path.lastIndex(of: "/").map { stagingPaths[area]! + "/" + path[..<$0] } ?? stagingPaths[area]!
        lock.lock()
        let isNew = current.entries[area]?[path] == nil
        if isNew { current.entries[area, default: [:]][path] = Manifest.Entry(size: -1, mtime: 0, sha256: "") }
        let known = createdFolders.contains(folder)
        lock.unlock()
        guard isNew else {
            throw WriteError(path, "two outputs were written to the same path",
                             fix: path.hasPrefix("report/") || path.hasPrefix("mail/")
                                 ? "a draft of an earlier run has this name: check that the logs in kit/report/ are the latest, or report this to refkit"
                                 : "two programmes or pages map to one file; rename one of them")
        }
        if !known { try makeRealFolder(folder, under: stagingPaths[area]!) }
        return destination
    }

    /// Makes `folder` a real folder inside the staging folder `root`, each part of it seen by
    /// `lstat` the first time: an adopted spare is the output a build replaced, and a link the
    /// user had there (`kit/report -> ../public/report`) is still in it. `mkdir` and
    /// `createDirectory` go through such a link, so the report or the drafts would be written
    /// into whatever it names, the public site included. A link or file where a folder belongs
    /// is removed; the folder is made in its place.
    /// `lockHeld` when the caller holds `lock` (commit), which is not recursive.
    private func makeRealFolder(_ folder: String, under root: String, lockHeld: Bool = false) throws {
        func locked<T>(_ body: () -> T) -> T { lockHeld ? body() : lock.withLock(body) }
        guard folder.count > root.count else { return }
        var prefix = root
        for part in folder.dropFirst(root.count + 1).split(separator: "/") {
            prefix += "/" + part
            if locked({ createdFolders.contains(prefix) }) { continue }
            var s = Glibc.stat()
            if lstat(prefix, &s) == 0, s.st_mode & S_IFMT != S_IFDIR { unlink(prefix) }
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw WriteError(prefix, "cannot create the folder: \(String(cString: strerror(errno)))",
                                 fix: "check the folder's permissions, free some disk space, and build again")
            }
            locked { _ = createdFolders.insert(prefix) }
        }
    }

    /// The previous build's copy of a file, when it has these bytes and was not touched since
    /// (same size and modification time as the manifest recorded).
    private func unchangedOldFile(_ area: OutputArea, _ path: String, sha256: String, size: Int) -> (String, Manifest.Entry)? {
        guard let old = previous.entries[area]?[path], old.hasSHA256(sha256), old.size == size else { return nil }
        let oldPath = outputPaths[area]! + "/" + path
        guard let stat = Self.stat(oldPath), stat.size == old.size, stat.mtime == old.mtime else { return nil }
        return (oldPath, old)
    }

    /// Hard-links the previous build's identical file into staging. Returns whether it did.
    fileprivate func linkUnchanged(_ area: OutputArea, _ path: String, sha256: String, size: Int, inputs: String, to destination: String) throws -> Bool {
        guard let (oldPath, old) = unchangedOldFile(area, path, sha256: sha256, size: size) else { return false }
        // The staged copy (written, or streamed) makes way for the old file.
        unlink(destination)
        guard link(oldPath, destination) == 0 else { return false }
        lock.lock()
        current.entries[area]![path] = Manifest.Entry(size: old.size, mtime: old.mtime, sha256: old.sha256, inputs: inputs)
        counts[area, default: .init()].unchanged += 1
        lock.unlock()
        return true
    }

    /// The previous build's copy of the file `path`, when it is as that build left it, and where
    /// its segment made from `inputs` lies in it.
    fileprivate func previousSegment(_ area: OutputArea, _ path: String, inputs: String) -> (file: String, offset: Int, length: Int)? {
        guard let segment = previous.segments[area]?[path]?.first(where: { $0.inputs == inputs }),
              let entry = previous.entries[area]?[path], segment.offset + segment.length <= entry.size else { return nil }
        let old = outputPaths[area]! + "/" + path
        guard let stat = Self.stat(old), stat.size == entry.size, stat.mtime == entry.mtime else { return nil }
        return (old, segment.offset, segment.length)
    }

    fileprivate func recordSegments(_ area: OutputArea, _ path: String, _ segments: [Manifest.Segment]) {
        guard !segments.isEmpty else { return }
        lock.withLock { current.segments[area, default: [:]][path] = segments }
    }

    fileprivate func record(_ area: OutputArea, _ path: String, destination: String, sha256: String, inputs: String) throws {
        guard let stat = Self.stat(destination) else {
            throw WriteError(destination, "the file vanished while the build was writing it")
        }
        lock.lock()
        current.entries[area]![path] = Manifest.Entry(size: stat.size, mtime: stat.mtime, sha256: sha256, inputs: inputs)
        counts[area, default: .init()].written += 1
        lock.unlock()
    }

    fileprivate func write(_ bytes: Data, to destination: String, isPrivate: Bool) throws {
        // Never into an existing file: in an adopted spare it may be a hard link to a file of
        // the live site, which must not change until the swap.
        unlink(destination)
        let fd = Glibc.open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, isPrivate ? 0o600 : 0o644)
        guard fd >= 0 else { throw Self.ioError(destination, "cannot create the file") }
        defer { close(fd) }
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Self.ioError(destination, "cannot write the file")
                }
                offset += n
            }
        }
    }

    static func ioError(_ url: URL, _ what: String) -> WriteError { ioError(url.path, what) }

    static func ioError(_ path: String, _ what: String) -> WriteError {
        let reason = String(cString: strerror(errno))
        return WriteError(path, "\(what): \(reason)",
                          fix: errno == ENOSPC ? "free some disk space and build again" : "check the folder's permissions and build again")
    }

    /// Hard-links `old` at `destination`; a file already there (in an adopted spare) stays when
    /// it is the same file and is replaced otherwise. Returns whether `destination` is `old`.
    static func place(_ old: String, at destination: String) -> Bool {
        if link(old, destination) == 0 { return true }
        guard errno == EEXIST else { return false }
        var a = Glibc.stat(), b = Glibc.stat()
        if lstat(old, &a) == 0, lstat(destination, &b) == 0, a.st_dev == b.st_dev, a.st_ino == b.st_ino { return true }
        unlink(destination)
        return link(old, destination) == 0
    }

    static func stat(_ path: String) -> (size: Int, mtime: Int)? {
        var s = Glibc.stat()
        guard lstat(path, &s) == 0 else { return nil }
        return (Int(s.st_size), Int(s.st_mtim.tv_sec) * 1_000_000_000 + Int(s.st_mtim.tv_nsec))
    }

    /// Files in the old kit that this writer does not replace are hard-linked into the new kit
    /// so the swap does not drop them: files another command owns (the report's, for a build)
    /// and files no command wrote (the user's notes). A file this writer owns, wrote last
    /// time and did not write now is stale and stays behind.
    private func carryOverForeignKitFiles() {
        let kit = outputPaths[.kit]!
        let ours = previous.entries[.kit] ?? [:]
        for path in FileTree.files(under: kit) {
            if path == Manifest.path || current.entries[.kit]?[path] != nil { continue }
            // A build records its own spare's manifest.
            if path == SpareSite.manifestPath && scope.areas.contains(.site) { continue }
            let owned = scope.owns(.kit, path)
            if owned && ours[path] != nil { continue }
            let destination = staging[.kit]!.appendingPathComponent(path)
            // Through real folders only: the staging kit may be an adopted spare with a link
            // where this file's folder is now.
            try? makeRealFolder(destination.deletingLastPathComponent().path, under: stagingPaths[.kit]!, lockHeld: true)
            let linked = Self.place(kit + "/" + path, at: destination.path)
            if linked { carriedForeign.insert(path) }
            if linked, !owned, let entry = ours[path] {
                current.entries[.kit, default: [:]][path] = entry
                current.segments[.kit, default: [:]][path] = previous.segments[.kit]?[path]
            }
        }
    }

    /// A file written in parts, hashed as it goes.
    private final class StreamFile: OutputStreamFile {
        let writer: OutputWriter
        let area: OutputArea
        let path: String
        let destination: String
        let inputs: String
        let handle: FileHandle
        var hasher = SHA256()
        var size = 0
        var segments: [Manifest.Segment] = []
        /// The previous build's copy, opened for the first carried segment.
        var old: (path: String, fd: Int32)?

        init(writer: OutputWriter, area: OutputArea, path: String, destination: String, isPrivate: Bool, inputs: String) throws {
            self.writer = writer
            self.inputs = inputs
            self.area = area
            self.path = path
            self.destination = destination
            try writer.write(Data(), to: destination, isPrivate: isPrivate)
            guard let handle = FileHandle(forWritingAtPath: destination) else {
                throw OutputWriter.ioError(destination, "cannot open the file")
            }
            self.handle = handle
        }

        func append(_ bytes: Data, inputs: String) throws {
            if let last = segments.last, last.inputs == inputs, last.offset + last.length == size {
                segments[segments.count - 1].length += bytes.count
            } else {
                segments.append(Manifest.Segment(inputs: inputs, offset: size, length: bytes.count))
            }
            try append(bytes)
        }

        func carriedSegment(inputs: String) -> Data? {
            guard !inputs.isEmpty, let (file, offset, length) = writer.previousSegment(area, path, inputs: inputs) else { return nil }
            if old?.path != file {
                if let old { Glibc.close(old.fd) }
                let fd = Glibc.open(file, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { old = nil; return nil }
                old = (file, fd)
            }
            var bytes = Data(count: length)
            let read = bytes.withUnsafeMutableBytes { buffer -> Int in
                var done = 0
                while done < length {
                    let n = pread(old!.fd, buffer.baseAddress! + done, length - done, off_t(offset + done))
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else { break }
                    done += n
                }
                return done
            }
            return read == length ? bytes : nil
        }

        func append(_ bytes: Data) throws {
            hasher.update(data: bytes)
            size += bytes.count
            do { try handle.write(contentsOf: bytes) } catch {
                throw WriteError(destination, "cannot write the file: \(error.localizedDescription)", fix: "free some disk space and build again")
            }
        }

        func close() throws {
            if let old { Glibc.close(old.fd) }
            old = nil
            try handle.close()
            writer.recordSegments(area, path, segments)
            let digest = hasher.finalize().hexString
            // Same bytes as last time: the old file replaces the staged copy so that its
            // modification time stays.
            if try !writer.linkUnchanged(area, path, sha256: digest, size: size, inputs: inputs, to: destination) {
                try writer.record(area, path, destination: destination, sha256: digest, inputs: inputs)
            }
        }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex, through a table: `String(format:)` per byte cost 14% of writing drafts.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Digest {
    var hexString: String { Array(self).hexString }
}

