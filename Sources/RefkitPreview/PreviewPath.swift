/// A request target split into the site folder's names, decoded by bytes.
///
/// Percent-decoding happens per segment, after splitting at `/`, so `%2F` can never join two
/// names. A segment that decodes to nothing usable (`.`, `..`, a hidden name, a slash,
/// a backslash or a control character) or an empty segment (`a//b`) names no file: the
/// answer is 404, as for any other missing page.
struct PreviewPath {
    /// The path as sent, still encoded, starting with `/`.
    let rawPath: String
    /// What followed `?`, as sent.
    let query: String?
    /// The path ends with a slash: a folder's `index.html` is meant.
    let folderForm: Bool
    /// The decoded names, root first; nil when some segment can name no file.
    let segments: [[UInt8]]?

    /// Nil for a target that is not a path, holds anything but visible ASCII (browsers
    /// percent-encode the rest; a raw CR could split the redirect's header) or a broken
    /// percent escape (400).
    init?(target: String) {
        let bytes = Array(target.utf8)
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        let cut = bytes.firstIndex(of: UInt8(ascii: "?")) ?? bytes.count
        let path = bytes[..<cut]
        guard path.first == UInt8(ascii: "/") else { return nil }
        rawPath = String(decoding: path, as: UTF8.self)
        query = cut < bytes.count ? String(decoding: bytes[(cut + 1)...], as: UTF8.self) : nil
        folderForm = path.last == UInt8(ascii: "/")
        var inner = path.dropFirst()
        if folderForm, !inner.isEmpty { inner = inner.dropLast() }
        guard !inner.isEmpty else {
            segments = []
            return
        }
        var names: [[UInt8]]? = []
        for segment in inner.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard let name = Self.decode(segment) else { return nil }
            if !Self.isServable(name) { names = nil }
            names?.append(name)
        }
        segments = names
    }

    /// Percent-decoding by bytes; nil for a `%` not followed by two hex digits.
    static func decode(_ segment: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(segment.count)
        var i = segment.startIndex
        while i < segment.endIndex {
            if segment[i] == UInt8(ascii: "%") {
                guard i + 2 < segment.endIndex, let high = hex(segment[i + 1]), let low = hex(segment[i + 2]) else { return nil }
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(segment[i])
                i += 1
            }
        }
        return out
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A name a site file may have: not empty, not hidden (which also rules out `.` and `..`),
    /// no slash, backslash, NUL or other control character.
    static func isServable(_ name: [UInt8]) -> Bool {
        guard let first = name.first, first != UInt8(ascii: ".") else { return false }
        return !name.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }
    }
}
