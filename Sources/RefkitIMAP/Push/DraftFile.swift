import Foundation

/// One `.eml` draft refkit wrote into the kit, with the Message-ID the mail renderer gave it:
/// `<refkit.NAME.FINGERPRINT@DOMAIN>`, NAME the file's base name (the code) and FINGERPRINT the
/// message's content. Two pushes of the same draft find the same id on the server; a changed
/// draft has a new one, and `key` (the id up to the fingerprint) finds its older versions.
public struct DraftFile: Equatable, Sendable {
    /// Shown in messages: `mail/drafts/K7QM4TZ9X.eml`, relative to the kit.
    public var path: String
    /// The message, when held in memory; empty when it is read from `file` at upload time, so
    /// that 100,000 drafts are never in memory at once (10,000 are about 80 MB).
    public var bytes: [UInt8]
    public var file: URL?
    public var messageID: String

    public init(path: String, bytes: [UInt8], messageID: String, file: URL? = nil) {
        self.path = path
        self.bytes = bytes
        self.messageID = messageID
        self.file = file
    }

    /// The bytes to upload: held, or read again from the file.
    public func message() throws(IMAPError) -> [UInt8] {
        guard let file else { return bytes }
        do { return try [UInt8](Data(contentsOf: file)) } catch {
            throw .unsendable(what: path, reason: "it cannot be read (\(error.localizedDescription))")
        }
    }

    /// Reads the draft; nil for the Message-ID when the file has none (an older refkit wrote it).
    public static func messageID(in bytes: [UInt8]) -> String? {
        // The header ends at the first empty line.
        var end = bytes.count
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A { end = index + 2; break }
            index += 1
        }
        return IMAPClient.messageID(inHeader: Array(bytes[0..<end]))
    }

    /// `<refkit.NAME.` for refkit's own ids: what every version of this draft's id starts with.
    /// Nil for an id refkit did not make, whose older versions it cannot tell.
    public var key: String? {
        guard messageID.hasPrefix("<refkit."), let at = messageID.lastIndex(of: "@"),
              let dot = messageID[..<at].lastIndex(of: "."), messageID.distance(from: messageID.startIndex, to: dot) > 8 else { return nil }
        return String(messageID[...dot])
    }
}
