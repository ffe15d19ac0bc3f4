import Crypto
import Foundation
import RefkitModel

/// Whether a folder refkit is about to replace is its own previous output, so that `--out` or
/// `--kit` on a folder of someone else's files (a home folder's Documents, another site) is
/// refused instead of emptied. An empty or missing folder is always fine.
enum PreviousOutput {
    /// What a build or a report puts at the top of a kit. A kit holding only these is refkit's
    /// even without its manifest (deleted, or a kit restored from a backup as its ledger and
    /// secret); anything else there needs the manifest, whose kit keeps the user's own notes.
    static let kitNames: Set<String> = ["secret", "codes.csv", "codes.seal", "retired-secrets", "variants.csv", "print", "mail", "deploy", "report", "counter", ".refkit"]

    /// The kit is refkit's: empty, with a refkit manifest (the last build's, or the one before
    /// it kept for the spare site), or holding only what a kit holds.
    static func isKit(_ kit: String) -> Bool {
        let names = entries(of: kit)
        if names.isEmpty { return true }
        for manifest in [Manifest.path, SpareSite.manifestPath] where isManifest(kit + "/" + manifest) { return true }
        return names.isSubset(of: kitNames)
    }

    /// The site is refkit's: empty, or at least one file that the kit's manifest (or the one
    /// kept with the spare, which describes the site when a build was killed between swapping
    /// in the kit and the site) records there is still there with its recorded size and
    /// modification time, to the nanosecond, or its recorded bytes: no folder of other files
    /// matches that by chance, while a site with a file added or edited by hand still does.
    static func isSite(_ site: String, kit: String) -> Bool {
        if entries(of: site).isEmpty { return true }
        return [Manifest.path, SpareSite.manifestPath].contains { describesAFile(manifest: kit + "/" + $0, in: site) }
    }

    /// The names in `folder`; none when it is missing or not a folder.
    static func entries(of folder: String) -> Set<String> {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return Set(names)
    }

    private static func isManifest(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return Manifest.format([UInt8]((try? handle.read(upToCount: 64)) ?? Data())) != nil
    }

    /// Whether one of the site files the manifest at `manifest` records is in `site` as recorded.
    /// Site lines come first in a manifest, so the first megabyte almost always decides; the
    /// whole file is read only when no file there matched.
    private static func describesAFile(manifest: String, in site: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: manifest) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 1 << 20), !head.isEmpty else { return false }
        let prefix = [UInt8](head)
        if matches(prefix, upTo: (prefix.lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1, in: site) { return true }
        guard prefix.count == 1 << 20, let rest = try? handle.readToEnd() else { return false }
        let all = prefix + [UInt8](rest)
        return matches(all, upTo: all.count, in: site)
    }

    /// A recorded file matches by size and modification time, or, in a copy of the project
    /// (`cp -r` sets new times), by size and SHA-256; at most `maxHashed` files are read.
    private static func matches(_ bytes: [UInt8], upTo end: Int, in site: String) -> Bool {
        var found = false
        var hashed = 0
        let siteArea = Array(OutputArea.site.rawValue.utf8)
        let base = Array(site.utf8) + [UInt8(ascii: "/")]
        Manifest.scan(bytes, lines: 0..<end) { line in
            guard !found, bytes[line.area].elementsEqual(siteArea), !line.path.isEmpty else { return }
            let path = base + bytes[line.path]
            let status = (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { Syscalls.status($0.baseAddress!) } }
            guard let status, status.kind == .regular, status.size == line.size else { return }
            if status.mtime == line.mtime {
                found = true
            } else if hashed < maxHashed, line.size <= 1 << 20 {
                hashed += 1
                let file = String(decoding: path, as: UTF8.self)
                guard let data = FileManager.default.contents(atPath: file) else { return }
                found = SHA256.hash(data: data).hexString.utf8.elementsEqual(bytes[line.sha256])
            }
        }
        return found
    }

    static let maxHashed = 32
}
