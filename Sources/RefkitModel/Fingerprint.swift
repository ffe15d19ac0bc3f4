import Crypto
import Foundation

/// A digest of what an output was made from, the same in every run (Swift's `Hasher` is
/// seeded per process, so it cannot be kept in a manifest between builds).
///
/// Every value is written with its length in front, so `("ab", "c")` and `("a", "bc")` differ.
/// 128 bits of SHA-256: enough that two different inputs never share a fingerprint, and half
/// the manifest's width.
public struct Fingerprint {
    private var hasher = SHA256()

    public init() {}

    public init(_ parts: String...) {
        for part in parts { add(part) }
    }

    public mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            add(bytes.count)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        }
    }

    public mutating func add(_ number: Int) {
        withUnsafeBytes(of: Int64(number).littleEndian) { hasher.update(bufferPointer: $0) }
    }

    public mutating func add(_ flag: Bool) { add(flag ? 1 : 0) }

    public mutating func add(_ data: Data) {
        add(data.count)
        hasher.update(data: data)
    }

    /// The same as `add(Data(bytes))`, without copying the bytes into a `Data` first.
    public mutating func add(bytes: [UInt8]) {
        add(bytes.count)
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    public mutating func add(_ optional: String?) {
        add(optional != nil)
        if let optional { add(optional) }
    }

    /// 32 lowercase hex digits.
    public var hex: String {
        let digest = Array(hasher.finalize().prefix(16))
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        for (i, byte) in digest.enumerated() {
            out[2 * i] = digits[Int(byte >> 4)]
            out[2 * i + 1] = digits[Int(byte & 15)]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
