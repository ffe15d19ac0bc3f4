import Foundation
import RefkitCodes
import RefkitModel
import RefkitWrite

/// `refkit codes rotate-secret`: a new `kit/secret` for the codes issued from now on.
///
/// Issued codes never change, so the old secret is not thrown away: it moves to
/// `kit/retired-secrets` with the last ledger row it issued, and the rows up to there are
/// checked against it on every load. The ledger is checked in full first (a rotation must
/// not vouch for an edited ledger) and sealed again under the new secret. Writes only
/// `kit/secret`, `kit/retired-secrets` and `kit/codes.seal`, through the writer, all or
/// nothing.
///
/// With `lost`, for a secret that is gone (deleted, or replaced under an older refkit that
/// said deleting it was fine): the ledger's form is checked, but its rows cannot be, so the
/// caller vouches for them; they are recorded as issued by a lost secret and the new seal
/// alone protects them from then on.
public struct SecretRotation {
    public var root: URL
    public var siteDirectory: URL
    public var kitDirectory: URL
    public var environment: [String: String]
    public var today: Day

    public init(root: URL, kitDirectory: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                today: Day = .today()) {
        self.root = root
        self.siteDirectory = root.appendingPathComponent("public")
        self.kitDirectory = kitDirectory ?? root.appendingPathComponent("kit")
        self.environment = environment
        self.today = today
    }

    public struct Result: Sendable {
        /// Key ids: the secret retired (nil when it was lost) and the new one.
        public var retired: String?
        public var current: String
        /// Ledger rows the retired (or lost) secret vouches for.
        public var rows: Int
        public var written: WriteSummary
    }

    /// Which writer scope a rotation has: the two secret files and the seal, nothing else.
    static let scope = WriteScope(areas: [.kit]) { [Secret.kitPath, RetiredSecrets.kitPath, LedgerSeal.kitPath].contains($0) }

    public func run(lost: Bool, random: () -> [UInt8] = Secret.randomBytes) throws -> Result {
        if let value = environment[Secret.environmentVariable], !value.trimmingWhitespace().isEmpty {
            throw SecretError(Diagnostic(SourceLocation(file: Secret.environmentVariable),
                                         "a rotation writes the new secret to kit/secret, which \(Secret.environmentVariable) would then override",
                                         fix: "unset \(Secret.environmentVariable) for the rotation and for builds after it"))
        }
        let lock = try BuildLock(root: root)
        defer { lock.release() }

        let ledger: Ledger
        var retired: [RetiredSecret]
        var retiredID: String?
        if lost {
            let url = kitDirectory.appendingPathComponent(Ledger.kitPath)
            ledger = FileManager.default.fileExists(atPath: url.path) ? try Ledger(bytes: Data(contentsOf: url)) : Ledger()
            retired = (try? RetiredSecrets.load(kitDirectory: kitDirectory).secrets) ?? []
            // The rows so far, whoever issued them, are the lost secret's; a secret still in
            // kit/secret is kept too, as nothing is thrown away.
            retired.append(RetiredSecret(keyID: "lost", throughRow: ledger.entries.count, retired: today, secret: nil))
            if let old = try? Keyring.existing(environment: [:], kitDirectory: kitDirectory) {
                retired.append(RetiredSecret(keyID: old.current.keyID, throughRow: ledger.entries.count, retired: today, secret: old.current))
            }
        } else {
            guard let keyring = try Keyring.existing(environment: [:], kitDirectory: kitDirectory) else {
                throw SecretError(Diagnostic(SourceLocation(file: "kit/" + Secret.kitPath), "there is no secret to rotate",
                                             fix: "run `refkit build` to make one, or restore kit/secret from a backup; if it is lost for good, use --lost"))
            }
            ledger = try Ledger.load(kitDirectory: kitDirectory, keyring: keyring)
            retired = keyring.retired
            retired.append(RetiredSecret(keyID: keyring.current.keyID, throughRow: ledger.entries.count, retired: today, secret: keyring.current))
            retiredID = keyring.current.keyID
        }

        // A new key id must name one secret only.
        var text: String
        var secret: Secret
        repeat {
            text = random().map { String(format: "%02x", $0) }.joined()
            secret = Secret(text: text)
        } while retired.contains { $0.keyID == secret.keyID }

        let folders = try OutputFolders(root: root, site: siteDirectory, kit: kitDirectory)
        let writer = try OutputWriter(folders: folders, scope: Self.scope)
        let written: WriteSummary
        do {
            try writer.add(OutputFile(area: .kit, path: Secret.kitPath, text: text + "\n", isPrivate: true))
            try writer.add(OutputFile(area: .kit, path: RetiredSecrets.kitPath, bytes: RetiredSecrets.bytes(retired), isPrivate: true))
            try writer.add(LedgerSeal(ledger: ledger, secret: secret).outputFile(secret: secret))
            written = try writer.commit()
        } catch {
            writer.abandon()
            throw error
        }
        return Result(retired: retiredID, current: secret.keyID, rows: ledger.entries.count, written: written)
    }
}
