import Foundation

/// An mbox file of finished drafts (the `.eml` bytes), for the report's follow-ups: the same
/// mboxrd records and fixed From_ line as the kit's `drafts.mbox`.
public enum MboxFile {
    public static func make(_ drafts: [Data], sender: String?) -> Data {
        let mbox = Mbox(sender: sender)
        return drafts.reduce(into: Data()) { $0.append(mbox.record($1)) }
    }
}
