import Foundation
import RefkitModel

extension OutputWriter {
    /// A file written in parts (the mbox, the drafts' CSV), with the part each set of inputs
    /// made recorded as a segment: the next build copies an unchanged segment from this file
    /// (`carrySegment`) instead of composing it again.
    ///
    /// Each segment has a digest, and the file's digest in the manifest is the SHA-256 of its
    /// segments' digests in order, so that a segment carried from the last build brings its
    /// digest from the last manifest and is never read (the mbox is 480 MB at 100,000 drafts).
    /// A segment's digest is the SHA-256 of its parts in order, each either a run of bytes
    /// (a 0, its length, the bytes) or bytes the renderer identified by a `ContentDigest` (a 1,
    /// the digest): an mbox record by its draft's digest, so that a draft's bytes are hashed
    /// once for its `.eml` and its record. The parts determine the bytes, so equal digests mean
    /// equal bytes. The file's digest is thus not the SHA-256 of its bytes; it is only compared
    /// with the digest the last build recorded for the same file (`linkUnchanged`).
    final class StreamFile: OutputStreamFile {
        let writer: OutputWriter
        let area: OutputArea
        let path: String
        let destination: String
        let inputs: String
        let file: Syscalls.WritableFile
        /// Bytes in the file so far, carried bytes not yet copied included.
        var size = 0
        var segments: [Manifest.Segment] = []
        /// The segment being appended to, and the running hash of its parts.
        var open: Manifest.Segment?
        var openHasher = ContentDigest.Hasher()
        var fileHasher = ContentDigest.Hasher()
        /// The last build's segments of this file that can be carried, by inputs: none unless
        /// its copy is still as that build left it (size and modification time as recorded)
        /// and the segment's digest was recorded.
        let previous: [String: Manifest.Segment]
        /// The last build's copy, its path and its manifest entry.
        let oldPath: String
        let oldEntry: Manifest.Entry?
        var old: Syscalls.ReadableFile?
        /// Carried bytes not copied yet: a range of the old file. Segments that follow each
        /// other in the old file too are copied in one call; when the old file is carried whole
        /// and nothing else was written, it is hard-linked at `close()` and nothing is copied.
        var pending: Range<Int>?
        var wroteAny = false

        init(writer: OutputWriter, area: OutputArea, path: String, destination: String, isPrivate: Bool, inputs: String) throws {
            self.writer = writer
            self.inputs = inputs
            self.area = area
            self.path = path
            self.destination = destination
            // Never into an existing file: in an adopted spare it may be a hard link to a file
            // of the live kit.
            Syscalls.removeFile(destination)
            file = try Syscalls.WritableFile(creating: destination, mode: isPrivate ? 0o600 : 0o644)
            oldPath = writer.outputPaths[area]! + "/" + path
            oldEntry = writer.previous.entries[area]?[path]
            var previous: [String: Manifest.Segment] = [:]
            if let oldEntry, writer.isAsRecorded(oldPath, oldEntry) {
                for segment in writer.previous.segments[area]?[path] ?? [] where !segment.inputs.isEmpty
                    && ContentDigest(hex: segment.sha256) != nil && segment.offset >= 0 && segment.length >= 0
                    && segment.offset + segment.length <= oldEntry.size && previous[segment.inputs] == nil {
                    previous[segment.inputs] = segment
                }
            }
            self.previous = previous
        }

        var carriableSegments: Set<String> { Set(previous.keys) }

        func append(_ bytes: Data) throws { try add(bytes, inputs: "", digest: nil) }

        func append(_ bytes: Data, inputs: String) throws { try add(bytes, inputs: inputs, digest: nil) }

        func append(_ bytes: Data, inputs: String, digest: ContentDigest) throws { try add(bytes, inputs: inputs, digest: digest) }

        private func add(_ bytes: Data, inputs: String, digest: ContentDigest?) throws {
            if open?.inputs != inputs {
                finishSegment()
                open = Manifest.Segment(inputs: inputs, offset: size, length: 0)
            }
            if let digest {
                openHasher.update(Data([1]))
                openHasher.update(digest)
            } else {
                var header = Data([0])
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { header.append(contentsOf: $0) }
                openHasher.update(header)
                openHasher.update(bytes)
            }
            open!.length += bytes.count
            size += bytes.count
            try flush()
            try write(bytes)
        }

        func carrySegment(inputs: String) throws {
            guard let segment = previous[inputs], let digest = ContentDigest(hex: segment.sha256) else {
                preconditionFailure("carrySegment(inputs:) for a segment not in carriableSegments")
            }
            finishSegment()
            if let range = pending, range.upperBound == segment.offset {
                pending = range.lowerBound..<(segment.offset + segment.length)
            } else {
                try flush()
                pending = segment.offset..<(segment.offset + segment.length)
            }
            segments.append(Manifest.Segment(inputs: inputs, offset: size, length: segment.length, sha256: segment.sha256))
            fileHasher.update(digest)
            size += segment.length
        }

        /// Ends the open segment: its digest goes into the file's.
        private func finishSegment() {
            guard var segment = open else { return }
            let digest = openHasher.finalize()
            segment.sha256 = digest.hex
            segments.append(segment)
            fileHasher.update(digest)
            open = nil
            openHasher = ContentDigest.Hasher()
        }

        /// Copies the pending carried bytes.
        private func flush() throws {
            guard let range = pending else { return }
            pending = nil
            if old == nil { old = Syscalls.ReadableFile(oldPath) }
            guard let old else { throw changedWhileCopying() }
            do { try file.copy(from: old, at: range.lowerBound, count: range.count) } catch {
                throw error.code == EIO ? changedWhileCopying() : error.writeError(destination, "cannot copy the last build's part of the file")
            }
            wroteAny = true
        }

        private func write(_ bytes: Data) throws {
            do { try file.write(bytes) } catch { throw error.writeError(destination, "cannot write the file") }
            wroteAny = true
        }

        private func changedWhileCopying() -> WriteError {
            WriteError(oldPath, "the last build's copy of this file changed while this build copied parts of it",
                       fix: "build again (delete the file first if this repeats)")
        }

        func close() throws {
            finishSegment()
            let digest = fileHasher.finalize().hex
            writer.recordSegments(area, path, segments)
            // Every byte carried, in order, from the whole old file, still as recorded: it is
            // this file, and is linked instead of copied.
            if !wroteAny, let oldEntry, pending == 0..<oldEntry.size, size == oldEntry.size, oldEntry.hasSHA256(digest),
               writer.isAsRecorded(oldPath, oldEntry) {
                try? file.close()
                guard try writer.linkUnchanged(area, path, sha256: digest, size: size, inputs: inputs, to: destination) else {
                    throw WriteError(destination, "cannot link the last build's copy of the file",
                                     fix: "check the kit folder's permissions and build again")
                }
                return
            }
            try flush()
            do { try file.close() } catch { throw error.writeError(destination, "cannot write the file") }
            defer { old?.close() }
            // The old copy must not have changed while its parts were copied.
            if old != nil, let oldEntry, !writer.isAsRecorded(oldPath, oldEntry) { throw changedWhileCopying() }
            // Same bytes as last time: the old file replaces the staged copy so that its
            // modification time stays.
            if try !writer.linkUnchanged(area, path, sha256: digest, size: size, inputs: inputs, to: destination) {
                try writer.record(area, path, destination: destination, sha256: digest, inputs: inputs)
            }
        }
    }
}
