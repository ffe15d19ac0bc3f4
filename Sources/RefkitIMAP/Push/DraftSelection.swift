import Foundation

/// Which of the kit's drafts `refkit mail push` uploads, and where each kind lives in the kit.
public enum DraftSelection: String, CaseIterable, Sendable {
    case invitations, thanks, followUps = "follow-ups", welcome, all

    /// Folders in the kit; a trailing `/*` means every folder inside (follow-ups are kept per
    /// round: `report/follow-ups/ROUND/`).
    var folders: [String] {
        switch self {
        case .invitations: return ["mail/drafts"]
        case .thanks: return ["report/thanks"]
        case .followUps: return ["report/follow-ups/*"]
        // Drafts to friends who just converted (`refkit report --conversions`).
        case .welcome: return ["report/welcome"]
        case .all: return Self.invitations.folders + Self.thanks.folders + Self.followUps.folders + Self.welcome.folders
        }
    }

    /// The drafts on disk, in a stable order (folder, then name), each read whole. Only regular
    /// files: a symlink in the kit is not refkit's and is not followed. Files without a
    /// Message-ID are returned apart, to be named in the error.
    public func drafts(inKit kit: URL) throws -> (drafts: [DraftFile], withoutID: [String]) {
        var drafts: [DraftFile] = []
        var withoutID: [String] = []
        for folder in folders {
            var directories: [String] = [folder]
            if folder.hasSuffix("/*") {
                let parent = String(folder.dropLast(2))
                directories = Self.regularEntries(kit.appendingPathComponent(parent), directories: true).map { parent + "/" + $0 }
            }
            for directory in directories {
                for name in Self.regularEntries(kit.appendingPathComponent(directory), directories: false) where name.hasSuffix(".eml") {
                    let path = directory + "/" + name
                    let url = kit.appendingPathComponent(path)
                    let bytes = try [UInt8](Data(contentsOf: url))
                    if let id = DraftFile.messageID(in: bytes) {
                        // Only the id is kept; the bytes are read again when uploaded.
                        drafts.append(DraftFile(path: path, bytes: [], messageID: id, file: url))
                    } else {
                        withoutID.append(path)
                    }
                }
            }
        }
        return (drafts, withoutID)
    }

    /// Names of the regular files (or real folders) in a folder, sorted; none if it is missing.
    static func regularEntries(_ folder: URL, directories: Bool) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return names.sorted().filter { name in
            guard let type = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.type] as? FileAttributeType else { return false }
            return type == (directories ? .typeDirectory : .typeRegular)
        }
    }
}
