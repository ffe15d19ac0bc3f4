import Foundation
import RefkitModel

/// Keeping what the previous build made: a file with the same bytes, every file made from the
/// same inputs, or the part of a file made from them, is hard-linked or copied from the old
/// output (still in place until `commit()`) instead of rendered and written again. Each is
/// trusted only while its size and modification time are what the manifest recorded.
extension OutputWriter {
    /// Hard-links every file the previous build made from `inputs` into staging, when each is
    /// still as that build left it (size and modification time as the manifest recorded) and
    /// none was already written by this build. All or nothing: on any doubt nothing is carried
    /// and the caller renders the files.
    public func reuse(inputs: String) throws -> [String]? {
        guard !inputs.isEmpty, let outputs = previousByInputs[inputs: inputs] else { return nil }
        var intact: [(area: OutputArea, path: String, entry: Manifest.Entry, old: String, status: Syscalls.Status)] = []
        intact.reserveCapacity(outputs.count)
        for (area, path) in outputs {
            guard scope.owns(area, path), staging[area] != nil, let entry = previous.entries[area]?[path] else { return nil }
            let old = outputPaths[area]! + "/" + path
            guard let status = Syscalls.status(old), status.size == entry.size, status.mtime == entry.mtime else { return nil }
            intact.append((area, path, entry, old, status))
        }
        var linked: [(area: OutputArea, path: String, destination: String)] = []
        func undo() {
            for item in linked { Syscalls.removeFile(item.destination) }
            state.withLock { state in for item in linked { state.current.entries[item.area]?[item.path] = nil } }
        }
        for item in intact {
            // A page of the adopted spare is most often the very file already (the spare is
            // the site before last, linked to the last where nothing changed): one lstat, and
            // neither its folder made nor a link tried.
            let inSpare = item.area == .site && spare?.files[item.path] != nil
            let destination: String
            do { destination = try prepare(item.area, item.path, folderExists: inSpare) } catch { undo(); return nil }
            linked.append((item.area, item.path, destination))
            if inSpare, let there = Syscalls.status(destination), there.isSameFile(as: item.status) { continue }
            guard Self.place(item.old, at: destination) else { undo(); return nil }
        }
        state.withLock { state in
            for item in intact {
                state.current.entries[item.area]![item.path] = item.entry
                if let segments = previous.segments[item.area]?[item.path] { state.current.segments[item.area, default: [:]][item.path] = segments }
            }
            for item in intact { state.counts[item.area, default: .init()].unchanged += 1 }
        }
        return intact.map(\.path).sorted()
    }

    public func stamped(inputs: String) -> any OutputSink { Stamped(writer: self, inputs: inputs) }

    /// Reads the staged link of a carried-over file: the old output's bytes, from the page cache.
    public func carriedBytes(area: OutputArea, path: String) -> Data? {
        guard let base = stagingPaths[area], state.withLock({ ($0.current.entries[area]?[path]?.size ?? -1) >= 0 }) else { return nil }
        return FileManager.default.contents(atPath: base + "/" + path)
    }

    /// Reads the previous build's copy of a file it wrote, when its size and modification time
    /// are still what the manifest recorded (the old output stays in place until `commit()`).
    public func previousBytes(area: OutputArea, path: String) -> Data? {
        guard scope.owns(area, path), let entry = previous.entries[area]?[path], let base = outputPaths[area] else { return nil }
        let old = base + "/" + path
        guard isAsRecorded(old, entry), let bytes = FileManager.default.contents(atPath: old), bytes.count == entry.size else { return nil }
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

    /// Whether the old output's file at `path` still has the size and modification time the
    /// manifest recorded for it.
    func isAsRecorded(_ path: String, _ entry: Manifest.Entry) -> Bool {
        guard let status = Syscalls.status(path) else { return false }
        return status.size == entry.size && status.mtime == entry.mtime
    }

    /// Hard-links the previous build's identical file into staging, when it has these bytes and
    /// was not touched since (same size and modification time as the manifest recorded).
    /// Returns whether it did.
    func linkUnchanged(_ area: OutputArea, _ path: String, sha256: String, size: Int, inputs: String, to destination: String) throws -> Bool {
        guard let old = previous.entries[area]?[path], old.hasSHA256(sha256), old.size == size else { return false }
        let oldPath = outputPaths[area]! + "/" + path
        guard isAsRecorded(oldPath, old) else { return false }
        // The staged copy (written, or streamed) makes way for the old file.
        Syscalls.removeFile(destination)
        do { try Syscalls.hardLink(oldPath, at: destination) } catch { return false }
        state.withLock { state in
            state.current.entries[area]![path] = old.with(inputs: inputs)
            state.counts[area, default: .init()].unchanged += 1
        }
        return true
    }

    func recordSegments(_ area: OutputArea, _ path: String, _ segments: [Manifest.Segment]) {
        guard !segments.isEmpty else { return }
        state.withLock { $0.current.segments[area, default: [:]][path] = segments }
    }

    /// Hard-links `old` at `destination`; a file already there (in an adopted spare) stays when
    /// it is the same file and is replaced otherwise. Returns whether `destination` is `old`.
    static func place(_ old: String, at destination: String) -> Bool {
        do {
            try Syscalls.hardLink(old, at: destination)
            return true
        } catch {
            guard error.code == EEXIST else { return false }
        }
        if let a = Syscalls.status(old), let b = Syscalls.status(destination), a.isSameFile(as: b) { return true }
        Syscalls.removeFile(destination)
        return (try? Syscalls.hardLink(old, at: destination)) != nil
    }
}
