import Foundation
import RefkitModel

/// Every secret that issued a row of `kit/codes.csv`: the current one (`kit/secret` or
/// `REFKIT_SECRET`), which issues new codes and seals the ledger, and the retired ones
/// (`kit/retired-secrets`), oldest first, each with the rows it issued.
public struct Keyring: Sendable {
    public let current: Secret
    public let retired: [RetiredSecret]
    /// Neither `kit/secret` nor `REFKIT_SECRET` existed: `current` was made by this run. A
    /// ledger with rows then cannot be checked, and is refused.
    public let isNew: Bool
    /// `kit/secret` and, when there is one, `kit/retired-secrets`, as a build must keep them.
    public let files: [OutputFile]

    /// `current.keyID`, computed once: it is an HMAC, and checks ask for it per row.
    public let currentKeyID: String

    public init(current: Secret, retired: [RetiredSecret] = [], isNew: Bool = false, files: [OutputFile] = []) {
        self.current = current
        currentKeyID = current.keyID
        self.retired = retired
        self.isNew = isNew
        self.files = files
    }

    /// For a build: the secrets in the kit, or a new current secret when there is none (see
    /// `Secret.resolve`).
    ///
    /// `REFKIT_SECRET` must be the secret in `kit/secret` when both exist: a build would issue
    /// codes under a secret the kit does not keep, and the next build without the variable
    /// could not check them.
    public static func resolve(environment: [String: String], kitDirectory: URL,
                               random: () -> [UInt8] = Secret.randomBytes) throws -> Keyring {
        let fileURL = kitDirectory.appendingPathComponent(Secret.kitPath)
        let fileExisted = FileManager.default.fileExists(atPath: fileURL.path)
        let fromEnvironment = environment[Secret.environmentVariable].map { !$0.trimmingWhitespace().isEmpty } ?? false
        let (secret, file) = try Secret.resolve(environment: environment, kitDirectory: kitDirectory, random: random)
        if fromEnvironment, fileExisted, Secret(text: String(decoding: file.bytes, as: UTF8.self)).keyBytes != secret.keyBytes {
            throw SecretError(Diagnostic(SourceLocation(file: Secret.environmentVariable),
                                         "\(Secret.environmentVariable) is not the secret kit/secret holds: codes issued under it could not be checked by a later build",
                                         fix: "unset \(Secret.environmentVariable), or set it to the text of kit/secret; to change the secret, run `refkit codes rotate-secret`"))
        }
        let (retired, bytes) = try RetiredSecrets.load(kitDirectory: kitDirectory)
        var files = [file]
        if let bytes { files.append(OutputFile(area: .kit, path: RetiredSecrets.kitPath, bytes: bytes, isPrivate: true)) }
        return Keyring(current: secret, retired: retired, isNew: !fileExisted && !fromEnvironment, files: files)
    }

    /// For commands that only read the kit (`codes`, `report`): nil when there is no secret
    /// at all, rather than a new one.
    public static func existing(environment: [String: String], kitDirectory: URL) throws -> Keyring? {
        let fileURL = kitDirectory.appendingPathComponent(Secret.kitPath)
        let fromEnvironment = environment[Secret.environmentVariable].map { !$0.trimmingWhitespace().isEmpty } ?? false
        guard fromEnvironment || FileManager.default.fileExists(atPath: fileURL.path) else { return nil }
        return try resolve(environment: environment, kitDirectory: kitDirectory)
    }

    /// The secret that issued data row `row` (from 1): the first retired secret whose rows
    /// reach it, else the current one. Nil secret: issued under a lost secret.
    func issuer(ofRow row: Int) -> (keyID: String, secret: Secret?) {
        let index = issuerIndex(ofRow: row)
        return index < retired.count ? (retired[index].keyID, retired[index].secret) : (currentKeyID, current)
    }

    /// The same as an index: into `retired`, or `retired.count` for the current secret.
    func issuerIndex(ofRow row: Int) -> Int {
        retired.firstIndex { row <= $0.throughRow } ?? retired.count
    }

    /// The secret at an `issuerIndex`; nil for a lost one.
    func secret(at index: Int) -> Secret? {
        index < retired.count ? retired[index].secret : current
    }

    /// Every secret still at hand with its key id, the current one first.
    var known: [(keyID: String, secret: Secret)] {
        [(currentKeyID, current)] + retired.compactMap { r in r.secret.map { (r.keyID, $0) } }
    }
}
