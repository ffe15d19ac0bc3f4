import Foundation
import Testing
@testable import RefkitWrite

/// The manifest keeps SHA-256s and fingerprints as bits: every text reads back as written, and
/// only lowercase hex of the two lengths refkit writes is packed.
@Suite("Manifest entries packed")
struct ManifestPackingTests {
    @Test("hex of 32 and 64 lowercase digits is packed and reads back; anything else is kept as text", arguments: [
        "", "abc", "0123456789abcdef0123456789abcdef",
        "e4ec7ee833d578e228e138f77ebe7a71797ea1e863fbf05d45b95a82c2507154",
        "E4EC7EE833D578E228E138F77EBE7A71797EA1E863FBF05D45B95A82C2507154",
        "0123456789abcdef0123456789abcdeg", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
        "ffffffffffffffffffffffffffffffff", "00000000000000000000000000000000", "é123456789abcdef0123456789abcde",
    ])
    func roundTrip(_ text: String) {
        let packed = PackedHex(text)
        #expect(packed.text == text)
        let lowercaseHex = text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        let shouldPack = lowercaseHex && (text.utf8.count == 32 || text.utf8.count == 64)
        if case .text = packed { #expect(!shouldPack, "\(text) was not packed") } else { #expect(shouldPack, "\(text) was packed") }
        let entry = Manifest.Entry(size: 1, mtime: 2, sha256: text, inputs: text)
        #expect(entry.sha256 == text && entry.inputs == text && entry.hasSHA256(text))
    }

    @Test("a manifest written with packed entries parses back to the same entries")
    func manifestRoundTrip() {
        var manifest = Manifest()
        manifest.entries[.site] = [
            "r/K7QM4TZ9X/index.html": .init(size: 18_904, mtime: 1_796_654_515_946_314_618,
                                            sha256: "e4ec7ee833d578e228e138f77ebe7a71797ea1e863fbf05d45b95a82c2507154",
                                            inputs: "d546a54a359f2c6d83230a0665932a87"),
            "index.html": .init(size: 4, mtime: 1, sha256: "abc"),
        ]
        #expect(Manifest.parse(manifest.bytes()).entries == manifest.entries)
    }
}
