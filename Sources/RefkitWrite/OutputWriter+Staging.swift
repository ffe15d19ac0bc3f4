import Crypto
import Foundation
import RefkitModel

/// Putting files into the staging folders: each path checked, its folder made for real, its
/// bytes written to a new file and recorded in the manifest being built.
extension OutputWriter {
    public func add(_ file: OutputFile) throws {
        let destination = try prepare(file.area, file.path)
        // A renderer that already hashed the bytes (a draft, whose digest identifies its mbox
        // record too) hands the digest on: the bytes are hashed once.
        let digest = file.digest?.hex ?? SHA256.hash(data: file.bytes).hexString
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

    /// Checks a path and creates its folder in staging. `folderExists`: the path is a file of
    /// the adopted spare, whose folders are real (their times, checked on adoption, change
    /// when anything in them is replaced by a link), so its folder needs no `lstat` or `mkdir`.
    func prepare(_ area: OutputArea, _ path: String, folderExists: Bool = false) throws -> String {
        guard scope.owns(area, path) else {
            throw WriteError(path, "this command does not own \(area == .site ? "the site" : "kit/" + path)",
                             fix: "this is a bug in refkit; please report it")
        }
        guard Self.isSafe(path), path != Manifest.path else {
            throw WriteError(path, "refused to write an unsafe output path", fix: "this is a bug in refkit; please report it")
        }
        let destination = stagingPaths[area]! + "/" + path
        let folder = path.lastIndex(of: "/").map { stagingPaths[area]! + "/" + path[..<$0] } ?? stagingPaths[area]!
        let (isNew, known) = state.withLock { state in
            let isNew = state.current.entries[area]?[path] == nil
            if isNew { state.current.entries[area, default: [:]][path] = Manifest.Entry(size: -1, mtime: 0, sha256: "") }
            return (isNew, folderExists || state.createdFolders.contains(folder))
        }
        guard isNew else {
            throw WriteError(path, "two outputs were written to the same path",
                             fix: path.hasPrefix("report/") || path.hasPrefix("mail/")
                                 ? "a draft of an earlier run has this name: check that the logs in kit/report/ are the latest, or report this to refkit"
                                 : "two programmes or pages map to one file; rename one of them")
        }
        if !known {
            try makeRealFolder(folder, under: stagingPaths[area]!,
                               known: { folder in state.withLock { $0.createdFolders.contains(folder) } },
                               made: { folder in state.withLock { $0.createdFolders[folder] = true } })
        }
        return destination
    }

    /// Whether `path` is relative and stays inside its folder: not empty, no empty, `.` or `..`
    /// part, no control character or backslash. Checked on the UTF-8 bytes, since every file
    /// goes through here (a `/`, `.` or control byte is never part of a longer UTF-8 sequence).
    static func isSafe(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard !bytes.isEmpty else { return false }
            var partStart = 0
            for i in 0...bytes.count {
                let byte = i < bytes.count ? bytes[i] : UInt8(ascii: "/")
                if byte < 0x20 || byte == UInt8(ascii: "\\") { return false }
                guard byte == UInt8(ascii: "/") else { continue }
                let length = i - partStart
                if length == 0 { return false }
                if bytes[partStart] == UInt8(ascii: "."), length == 1 || (length == 2 && bytes[partStart + 1] == UInt8(ascii: ".")) { return false }
                partStart = i + 1
            }
            return true
        }
    }

    /// Makes `folder` a real folder inside the staging folder `root`, each part of it seen by
    /// `lstat` the first time: an adopted spare is the output a build replaced, and a link the
    /// user had there (`kit/report -> ../public/report`) is still in it. `mkdir` and
    /// `createDirectory` go through such a link, so the report or the drafts would be written
    /// into whatever it names, the public site included. A link or file where a folder belongs
    /// is removed; the folder is made in its place.
    /// `known` and `made` read and add to `State.createdFolders`: through the lock, or directly
    /// where the caller holds it (commit; the lock is not recursive).
    func makeRealFolder(_ folder: String, under root: String, known: (String) -> Bool, made: (String) -> Void) throws(WriteError) {
        guard folder.count > root.count else { return }
        var prefix = root
        for part in folder.dropFirst(root.count + 1).split(separator: "/") {
            prefix += "/" + part
            if known(prefix) { continue }
            if let status = Syscalls.status(prefix), !status.isDirectory { Syscalls.removeFile(prefix) }
            do { try Syscalls.makeFolder(prefix) } catch {
                throw WriteError(prefix, "cannot create the folder: \(error.reason)",
                                 fix: "check the folder's permissions, free some disk space, and build again")
            }
            made(prefix)
        }
    }

    func record(_ area: OutputArea, _ path: String, destination: String, sha256: String, inputs: String) throws {
        guard let status = Syscalls.status(destination) else {
            throw WriteError(destination, "the file vanished while the build was writing it")
        }
        state.withLock { state in
            state.current.entries[area]![path] = Manifest.Entry(size: status.size, mtime: status.mtime, sha256: sha256, inputs: inputs)
            state.counts[area, default: .init()].written += 1
        }
    }

    func write(_ bytes: Data, to destination: String, isPrivate: Bool) throws {
        // Never into an existing file: in an adopted spare it may be a hard link to a file of
        // the live site, which must not change until the swap.
        Syscalls.removeFile(destination)
        try Syscalls.createFile(destination, bytes, mode: isPrivate ? 0o600 : 0o644)
    }
}
