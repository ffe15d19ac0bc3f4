import Crypto
import Foundation
import RefkitModel

extension OutputWriter {
    /// A file written in parts (the mbox, the drafts' CSV), hashed as it goes, with the part
    /// each set of inputs made recorded as a segment: the next build copies an unchanged
    /// segment from this file instead of composing it again (`carriedSegment`).
    final class StreamFile: OutputStreamFile {
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
        var old: Syscalls.ReadableFile?

        init(writer: OutputWriter, area: OutputArea, path: String, destination: String, isPrivate: Bool, inputs: String) throws {
            self.writer = writer
            self.inputs = inputs
            self.area = area
            self.path = path
            self.destination = destination
            try writer.write(Data(), to: destination, isPrivate: isPrivate)
            guard let handle = FileHandle(forWritingAtPath: destination) else {
                throw Syscalls.Errno().writeError(destination, "cannot open the file")
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
                old?.close()
                old = Syscalls.ReadableFile(file)
            }
            return old?.read(at: offset, count: length)
        }

        func append(_ bytes: Data) throws {
            hasher.update(data: bytes)
            size += bytes.count
            do { try handle.write(contentsOf: bytes) } catch {
                throw WriteError(destination, "cannot write the file: \(error.localizedDescription)", fix: "free some disk space and build again")
            }
        }

        func close() throws {
            old?.close()
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
