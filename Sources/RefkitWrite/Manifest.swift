import Foundation
import RefkitModel

/// What the last build wrote: for each file its size, modification time, SHA-256 and the
/// fingerprint of the inputs it was made from.
///
/// It lets the next build know a file is unchanged without reading the old output (at
/// 100,000 pages that read would cost as much as the write), lets renderers skip a file whose
/// inputs did not change (`OutputSink.reuse(inputs:)`), and tells the kit's own files from
/// files other commands or the user put in `kit/`, which a build must keep.
/// Kept at `kit/.refkit/manifest.tsv`.
struct Manifest {
    struct Entry: Equatable {
        var size: Int
        /// Nanoseconds since 1970; with the size, proof the file was not touched since.
        var mtime: Int
        var sha256: String
        /// The renderer's fingerprint of the file's inputs; empty when it gave none.
        var inputs: String = ""
    }

    static let path = ".refkit/manifest.tsv"
    static let header = "# refkit build manifest 2: area, size, mtime (ns), sha256, inputs, path. Do not edit."

    var entries: [OutputArea: [String: Entry]] = [:]
    /// The fingerprint of everything the last build was made from, referrers, ledger and secret
    /// included: when the next build's is the same and every file is intact, there is nothing
    /// to do at all.
    var build = ""

    /// The files made from each inputs fingerprint.
    func byInputs() -> [String: [(area: OutputArea, path: String)]] {
        var out: [String: [(area: OutputArea, path: String)]] = [:]
        for (area, files) in entries {
            for (path, entry) in files where !entry.inputs.isEmpty {
                out[entry.inputs, default: []].append((area, path))
            }
        }
        return out
    }

    static func read(from url: URL) -> Manifest {
        var manifest = Manifest()
        // A missing or unreadable manifest only means nothing is known to be unchanged.
        guard let data = try? Data(contentsOf: url) else { return manifest }
        let text = String(decoding: data, as: UTF8.self)
        // Manifests of the first format (no inputs column) still tell unchanged files apart.
        let columns = text.hasPrefix("# refkit build manifest 2") ? 6 : 5
        for line in text.split(separator: "\n") {
            if line.hasPrefix(buildPrefix) { manifest.build = String(line.dropFirst(buildPrefix.count)) }
            if line.hasPrefix("#") { continue }
            let parts = line.split(separator: "\t", maxSplits: columns - 1, omittingEmptySubsequences: false)
            guard parts.count == columns, let area = OutputArea(rawValue: String(parts[0])),
                  let size = Int(parts[1]), let mtime = Int(parts[2]) else { continue }
            manifest.entries[area, default: [:]][String(parts[columns - 1])] =
                Entry(size: size, mtime: mtime, sha256: String(parts[3]), inputs: columns == 6 ? String(parts[4]) : "")
        }
        return manifest
    }

    static let buildPrefix = "# build "

    func text() -> String {
        var out = Manifest.header + "\n"
        if !build.isEmpty { out += Manifest.buildPrefix + build + "\n" }
        for area in OutputArea.allCases {
            for (path, e) in (entries[area] ?? [:]).sorted(by: { $0.key < $1.key }) {
                out += "\(area.rawValue)\t\(e.size)\t\(e.mtime)\t\(e.sha256)\t\(e.inputs)\t\(path)\n"
            }
        }
        return out
    }
}
