import Foundation
import RefkitModel

#if canImport(Glibc)
import Glibc
#endif

/// The disk's floor: the same number of files of the same sizes, written with plain
/// open/write/close and nothing rendered, hashed or linked. A renderer cannot beat it.
struct WriteFloor {
    /// How the files are laid out: one folder per file (`r/CODE/index.html`, as personal
    /// pages are) or all in one folder (`drafts/NAME.eml`).
    enum Layout { case folderPerFile, flat }

    let directory: URL
    let layout: Layout

    /// Writes one file per size on `threads` threads and returns the seconds taken.
    func measure(sizes: [Int], threads: Int) throws -> Double {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let largest = sizes.max() ?? 0
        // Bytes that look like text, so nothing (compression, sparse files) favours the floor.
        let filler = [UInt8]((0..<max(1, largest)).map { UInt8(0x61 + $0 % 26) })
        let base = directory.path
        // The paths that failed, from any thread.
        let failures = Locked<[String]>([])
        let start = Date()
        let chunk = (sizes.count + threads - 1) / max(1, threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let range = (t * chunk)..<min(sizes.count, (t + 1) * chunk)
            for i in range {
                let path: String
                switch layout {
                case .folderPerFile:
                    let folder = base + "/\(i)"
                    mkdir(folder, 0o755)
                    path = folder + "/index.html"
                case .flat:
                    path = base + "/\(i).eml"
                }
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else { failures.withLock { $0.append(path) }; continue }
                let written = filler.withUnsafeBytes { write(fd, $0.baseAddress!, sizes[i]) }
                if written != sizes[i] { failures.withLock { $0.append(path) } }
                close(fd)
            }
        }
        let seconds = Date().timeIntervalSince(start)
        if let path = failures.current.first {
            throw BenchError("the write floor could not write \(path): \(String(cString: strerror(errno)))")
        }
        return seconds
    }

}

/// Sizes of the regular files under a folder, in no particular order.
func fileSizes(under folder: URL, suffix: String) -> [Int] {
    guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else { return [] }
    var sizes: [Int] = []
    for case let url as URL in walker where url.lastPathComponent.hasSuffix(suffix) {
        guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true else { continue }
        sizes.append(values.fileSize ?? 0)
    }
    return sizes
}

/// A benchmark that cannot run: a missing tool, an unwritable folder.
public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
