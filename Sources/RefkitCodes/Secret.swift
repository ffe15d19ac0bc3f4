import Crypto
import Foundation
import RefkitModel

/// The key invite codes are derived under. Whoever has it can compute anyone's code from their
/// email, so it lives only in `kit/secret` (mode 0600) or the `REFKIT_SECRET` environment
/// variable and never appears in any other output, log or message.
public struct Secret: Sendable, CustomStringConvertible {
    /// The environment variable that overrides `kit/secret`, for CI.
    public static let environmentVariable = "REFKIT_SECRET"
    /// Where the secret is kept, relative to the kit.
    public static let kitPath = "secret"
    /// Shorter keys make codes guessable: 16 bytes is 128 bits if random.
    public static let minimumLength = 16

    // Raw bytes rather than a `SymmetricKey`, which is not Sendable in swift-crypto 3.
    let keyBytes: Data

    /// Uses the UTF-8 bytes of `text`, trimmed, as the key: a secret from the environment and the
    /// same text saved in `kit/secret` give the same codes.
    public init(text: String) {
        keyBytes = Data(text.trimmingWhitespace().utf8)
    }

    var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// A short public name for the secret, 8 hex digits: the start of an HMAC of a fixed text
    /// under it. It tells secrets apart in `kit/codes.seal`, `kit/retired-secrets` and
    /// messages without revealing anything about the key.
    public var keyID: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("refkit-key-id-v1".utf8), using: key)
        return mac.prefix(4).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The secret's text as kept in a file: hex of its UTF-8 bytes, so that any text (spaces
    /// included) fits one field of `kit/retired-secrets`.
    var hexText: String { keyBytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() }

    /// The secret whose UTF-8 bytes `hexText` gave; nil for anything that is not such hex.
    init?(hexText: String) {
        let digits = Array(hexText.utf8)
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = Secret.hexValue(digits[i]), let low = Secret.hexValue(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        guard let text = String(data: bytes, encoding: .utf8), text == text.trimmingWhitespace() else { return nil }
        keyBytes = bytes
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// Never the key itself, so that printing a value holding a secret leaks nothing.
    public var description: String { "Secret(redacted)" }

    /// Finds the secret: `REFKIT_SECRET` if set and not empty, else `kit/secret` if it exists,
    /// else a new random 32-byte secret as hex text.
    ///
    /// Always returns the file that `kit/secret` must hold after the build, so that the writer
    /// keeps it (private, mode 0600): the existing file unchanged, the new secret, or the
    /// environment's value when there is no file yet. Saving that value means a later build
    /// without the variable derives the same codes for new referrers.
    ///
    /// - Parameter random: bytes for a new secret; tests pass a fixed generator.
    public static func resolve(environment: [String: String], kitDirectory: URL,
                               random: () -> [UInt8] = Secret.randomBytes) throws -> (Secret, file: OutputFile) {
        let fileURL = kitDirectory.appendingPathComponent(kitPath)
        let location = SourceLocation(file: "kit/" + kitPath)
        var existing: Data?
        if FileManager.default.fileExists(atPath: fileURL.path) {
            do {
                existing = try Data(contentsOf: fileURL)
            } catch {
                throw SecretError(Diagnostic(location, "cannot read the secret (\(error.localizedDescription))",
                                             fix: "make the file readable, or set \(environmentVariable)"))
            }
        }

        if let value = environment[environmentVariable], !value.trimmingWhitespace().isEmpty {
            let text = value.trimmingWhitespace()
            guard text.utf8.count >= minimumLength else {
                throw SecretError(Diagnostic(SourceLocation(file: environmentVariable),
                                             "the secret is too short (\(text.utf8.count) bytes)",
                                             fix: "use at least \(minimumLength) random characters, for example the output of `openssl rand -hex 32`"))
            }
            let file = OutputFile(area: .kit, path: kitPath, bytes: existing ?? Data((text + "\n").utf8), isPrivate: true)
            return (Secret(text: text), file)
        }

        if let existing {
            guard let text = String(data: existing, encoding: .utf8)?.trimmingWhitespace(), !text.isEmpty else {
                throw SecretError(Diagnostic(location, "the secret file is empty or not text",
                                             fix: "restore it from a backup: the codes in kit/codes.csv were issued under it. If it is lost for good, run `refkit codes rotate-secret --lost`"))
            }
            guard text.utf8.count >= minimumLength else {
                throw SecretError(Diagnostic(location, "the secret is too short (\(text.utf8.count) bytes)",
                                             fix: "restore it from a backup: the codes in kit/codes.csv were issued under it. If it is lost for good, run `refkit codes rotate-secret --lost`"))
            }
            return (Secret(text: text), OutputFile(area: .kit, path: kitPath, bytes: existing, isPrivate: true))
        }

        let bytes = random()
        precondition(bytes.count >= minimumLength, "a new secret needs at least \(minimumLength) random bytes")
        let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        return (Secret(text: hex), OutputFile(area: .kit, path: kitPath, text: hex + "\n", isPrivate: true))
    }

    /// 32 bytes from the system's cryptographic generator.
    public static func randomBytes() -> [UInt8] {
        SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    }
}

/// The secret could not be found or read.
public struct SecretError: DiagnosticError {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostic: Diagnostic) { diagnostics = [diagnostic] }
    public init(_ diagnostics: [Diagnostic]) {
        precondition(!diagnostics.isEmpty)
        self.diagnostics = diagnostics
    }
    public var location: SourceLocation { diagnostics[0].location }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
