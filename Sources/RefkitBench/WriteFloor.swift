import Foundation
import RefkitModel

/// The disk's floor: the same number of files of the same sizes, written with plain
/// open/write/close and nothing rendered, hashed or linked. A renderer cannot beat it.
///
/// The floor is a rate, so it writes at most `maximumFiles` files, a sample of the sizes
/// across the whole run: at a million referrers, four sets of a million files would take as
/// much disk as the programme itself and as long as its build, and say nothing more.
struct WriteFloor {
    static let maximumFiles = 100_000

    /// `sizes`, or `maximumFiles` of them taken evenly from the whole list.
    static func sample(_ sizes: [Int]) -> [Int] {
        guard sizes.count > maximumFiles else { return sizes }
        return (0..<maximumFiles).map { sizes[$0 * sizes.count / maximumFiles] }
    }

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
        // The paths that failed and why, from any thread.
        let failures = Locked<[(String, Syscalls.Errno)]>([])
        let start = Date()
        let chunk = (sizes.count + threads - 1) / max(1, threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let range = (t * chunk)..<min(sizes.count, (t + 1) * chunk)
            for i in range {
                let path: String
                switch layout {
                case .folderPerFile:
                    let folder = base + "/\(i)"
                    try? Syscalls.makeFolder(folder)
                    path = folder + "/index.html"
                case .flat:
                    path = base + "/\(i).eml"
                }
                do throws(Syscalls.Errno) {
                    try Syscalls.writeFile(path, filler, count: sizes[i])
                } catch {
                    failures.withLock { $0.append((path, error)) }
                }
            }
        }
        let seconds = Date().timeIntervalSince(start)
        if let failure = failures.current.first {
            let (path, error) = failure
            throw BenchError("the write floor could not write \(path): \(error.reason)")
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
