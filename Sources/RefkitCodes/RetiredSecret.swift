import Foundation
import RefkitModel

/// A secret that issued codes before the current one. Codes never change, so a rotated
/// secret is kept (in `kit/retired-secrets`, as private as `kit/secret`): the rows it issued
/// are checked against it on every load.
public struct RetiredSecret: Sendable {
    /// `Secret.keyID` of the secret.
    public var keyID: String
    /// The last data row of `kit/codes.csv` (1 is the row after the header) written while it
    /// was the current secret. It issued the rows after the previous retired secret's, up to
    /// this one; the next secret issued the rows after it.
    public var throughRow: Int
    /// The day it was retired.
    public var retired: Day
    /// Nil when the secret was lost before refkit kept retired secrets (a secret deleted
    /// under an older refkit, recorded with `refkit codes rotate-secret --lost`): its rows are
    /// then vouched for by `kit/codes.seal` alone.
    public var secret: Secret?

    public init(keyID: String, throughRow: Int, retired: Day, secret: Secret?) {
        self.keyID = keyID
        self.throughRow = throughRow
        self.retired = retired
        self.secret = secret
    }
}

/// `kit/retired-secrets`: one line per retired secret, oldest first, written by
/// `refkit codes rotate-secret` and never edited by hand.
///
/// `KEYID THROUGH-ROW RETIRED-DAY SECRET-HEX` (or `lost` for the secret). The secret is the hex
/// of its UTF-8 bytes, so that any text fits one field; the key id is checked against it, so a
/// damaged line is noticed rather than checking rows against the wrong key.
public enum RetiredSecrets {
    public static let kitPath = "retired-secrets"
    public static let displayPath = "kit/" + kitPath

    static let header = """
        # refkit: the secrets that issued rows of kit/codes.csv before the current kit/secret.
        # Private, like kit/secret: never publish it, keep it and back it up with the kit. refkit
        # checks the rows each one issued against it. Written by `refkit codes rotate-secret`.
        # key id, last ledger row it issued, day retired, secret (hex of its text, or "lost")

        """

    static let restoreFix = "restore kit/retired-secrets from a backup; it is written by `refkit codes rotate-secret` and never edited by hand"

    /// Reads the file; an empty list when it does not exist.
    public static func load(kitDirectory: URL) throws -> (secrets: [RetiredSecret], bytes: Data?) {
        let url = kitDirectory.appendingPathComponent(kitPath)
        guard FileManager.default.fileExists(atPath: url.path) else { return ([], nil) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SecretError(Diagnostic(SourceLocation(file: displayPath), "cannot read the retired secrets (\(error.localizedDescription))",
                                         fix: "make the file readable by the user running refkit"))
        }
        return (try parse(data), data)
    }

    static func parse(_ data: Data) throws -> [RetiredSecret] {
        var secrets: [RetiredSecret] = []
        var problems: [Diagnostic] = []
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            let line = index + 1
            let text = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if text.isEmpty || text.hasPrefix("#") { continue }
            func problem(_ message: String) {
                problems.append(Diagnostic(SourceLocation(file: displayPath, line: line), message, fix: restoreFix))
            }
            let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 4 else { problem("the line has \(fields.count) fields, not 4 (key id, last row, day, secret)"); continue }
            guard let through = Int(fields[1]), through >= 0 else { problem("the last row \"\(fields[1])\" is not a number"); continue }
            guard let day = Day(fields[2]) else { problem("\"\(fields[2])\" is not a date in the form YYYY-MM-DD"); continue }
            var secret: Secret?
            if fields[3] != "lost" {
                guard let s = Secret(hexText: fields[3]) else { problem("the secret is not the hex of a text"); continue }
                guard s.keyID == fields[0] else { problem("the secret's key id is \(s.keyID), not \(fields[0]): the line was changed"); continue }
                secret = s
            }
            if let previous = secrets.last, through < previous.throughRow {
                problem("the last row \(through) comes before the previous secret's \(previous.throughRow)")
                continue
            }
            secrets.append(RetiredSecret(keyID: fields[0], throughRow: through, retired: day, secret: secret))
        }
        guard problems.isEmpty else { throw SecretError(problems) }
        return secrets
    }

    public static func bytes(_ secrets: [RetiredSecret]) -> Data {
        var text = header
        for s in secrets {
            text += "\(s.keyID) \(s.throughRow) \(s.retired) \(s.secret?.hexText ?? "lost")\n"
        }
        return Data(text.utf8)
    }
}
