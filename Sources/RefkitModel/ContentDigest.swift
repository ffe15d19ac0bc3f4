import Crypto
import Foundation

/// A SHA-256 that determines some bytes: the bytes' own, or one over the digests of what they
/// were made from by a fixed rule (an mbox record from its draft's digest). Whoever made the
/// bytes computes it once and hands it on with them, so that the writer does not hash a
/// draft's bytes again for its `.eml` file and again for its record in the mbox.
///
/// Kept as four words rather than `SHA256Digest`, so that renderers name it without importing
/// swift-crypto, and rather than `[UInt8]`, so that it costs no heap allocation per draft.
public struct ContentDigest: Hashable, Sendable {
    public let words: (UInt64, UInt64, UInt64, UInt64)

    public static func == (a: ContentDigest, b: ContentDigest) -> Bool { a.words == b.words }

    public func hash(into hasher: inout Swift.Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    init(_ digest: SHA256Digest) {
        var w: [UInt64] = [0, 0, 0, 0]
        for (i, byte) in digest.enumerated() { w[i / 8] = w[i / 8] << 8 | UInt64(byte) }
        words = (w[0], w[1], w[2], w[3])
    }

    /// The SHA-256 of `bytes`.
    public init(of bytes: Data) { self.init(SHA256.hash(data: bytes)) }

    /// The SHA-256 of `bytes`.
    public init(of bytes: [UInt8]) { self.init(SHA256.hash(data: bytes)) }

    /// A digest written as 64 lowercase hex digits, as the manifest keeps it; nil for anything else.
    public init?(hex: String) {
        guard hex.utf8.count == 64 else { return nil }
        var w: [UInt64] = [0, 0, 0, 0]
        for (i, byte) in hex.utf8.enumerated() {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            w[i / 16] = w[i / 16] << 4 | UInt64(value)
        }
        words = (w[0], w[1], w[2], w[3])
    }

    /// The 32 bytes, big-endian word by word (the digest's own byte order).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in [words.0, words.1, words.2, words.3] {
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return out
    }

    /// 64 lowercase hex digits, as `SHA256Digest.hexString` writes the same digest.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 64) { buffer in
            var i = 0
            for word in [words.0, words.1, words.2, words.3] {
                for shift in stride(from: 60, through: 0, by: -4) {
                    buffer[i] = digits[Int(word >> UInt64(shift) & 0xF)]
                    i += 1
                }
            }
            return i
        }
    }

    /// A running SHA-256 over byte runs and digests, for a digest of a sequence of parts.
    public struct Hasher {
        private var hasher = SHA256()

        public init() {}

        public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

        public mutating func update(_ data: Data) { hasher.update(data: data) }

        public mutating func update(_ digest: ContentDigest) {
            withUnsafeBytes(of: (digest.words.0.bigEndian, digest.words.1.bigEndian, digest.words.2.bigEndian, digest.words.3.bigEndian)) {
                hasher.update(bufferPointer: $0)
            }
        }

        public func finalize() -> ContentDigest { ContentDigest(hasher.finalize()) }
    }
}
