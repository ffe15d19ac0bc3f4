import Foundation
import RefkitModel

/// What the last build wrote: for each file its size, modification time and SHA-256.
///
/// It lets the next build know a file is unchanged without reading the old output (at
/// 100,000 pages that read would cost as much as the write), and tells the kit's own files
/// from files other commands or the user put in `kit/`, which a build must keep.
/// Kept at `kit/.refkit/manifest.tsv`.
struct Manifest {
    struct Entry: Equatable {
        var size: Int
        /// Nanoseconds since 1970; with the size, proof the file was not touched since.
        var mtime: Int
        var sha256: String
    }

    static let path = ".refkit/manifest.tsv"
    static let header = "# refkit build manifest: area, size, mtime (ns), sha256, path. Do not edit."

    var entries: [OutputArea: [String: Entry]] = [:]

    static func read(from url: URL) -> Manifest {
        var manifest = Manifest()
        // A missing or unreadable manifest only means nothing is known to be unchanged.
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return manifest }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
            guard parts.count == 5, let area = OutputArea(rawValue: String(parts[0])),
                  let size = Int(parts[1]), let mtime = Int(parts[2]) else { continue }
            manifest.entries[area, default: [:]][String(parts[4])] = Entry(size: size, mtime: mtime, sha256: String(parts[3]))
        }
        return manifest
    }

    func text() -> String {
        var out = Manifest.header + "\n"
        for area in OutputArea.allCases {
            for (path, e) in (entries[area] ?? [:]).sorted(by: { $0.key < $1.key }) {
                out += "\(area.rawValue)\t\(e.size)\t\(e.mtime)\t\(e.sha256)\t\(path)\n"
            }
        }
        return out
    }
}
