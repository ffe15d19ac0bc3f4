import RefkitModel

/// A personal page rendered once, with a sentinel where each referrer's own value goes, and
/// then filled in for every referrer: at 100,000 referrers, Mustache runs a handful of times
/// instead of 100,000 (callgrind: a Mustache render of the default personal page is ~10 M
/// instructions; a fill is a copy of the page's bytes).
///
/// A sentinel is `U+FDD0 <slot letter> Z & U+FDD1`. The noncharacters U+FDD0/U+FDD1 are
/// reserved for exactly this kind of internal use, and HTML escaping leaves them alone, while
/// the `&` inside becomes `&amp;` when the template escaped the value (`{{x}}`) and stays `&`
/// when it did not (`{{{x}}}`), so the fill knows which escaping each hole needs. A template that
/// transforms a value (`{{uppercased(x)}}`, `{{reversed(x)}}`) changes the sentinel's letters or
/// order, which `init?(rendered:slots:)` refuses; the renderer then renders those pages one by one.
/// Sections that test a value (`{{#referrer.first_name}}`) render differently when it is empty,
/// so there is one prototype per *shape*: which values are empty.
struct PagePrototype: Sendable {
    /// The page's bytes between holes: one more than `holes`.
    private let segments: [[UInt8]]
    private let holes: [Hole]

    struct Hole: Equatable {
        var slot: Int
        var escaped: Bool
    }

    static func sentinel(_ slot: Int) -> String {
        // Swift refuses noncharacters in string literals, so they are made from their values.
        String(Unicode.Scalar(0xFDD0)!) + String(UnicodeScalar(UInt8(ascii: "a") + UInt8(slot))) + "Z&" + String(Unicode.Scalar(0xFDD1)!)
    }

    /// Which values are empty, as a key for the prototype cache.
    static func shape(_ values: [String]) -> Int {
        values.enumerated().reduce(0) { $0 | ($1.element.isEmpty ? 1 << $1.offset : 0) }
    }

    /// The values to render the prototype with: a sentinel for each value that is not empty.
    static func placeholders(for values: [String]) -> [String] {
        values.enumerated().map { $0.element.isEmpty ? "" : sentinel($0.offset) }
    }

    /// Splits a page rendered with `placeholders(for:)` at its sentinels. Nil when a sentinel
    /// is damaged or stray.
    init?(rendered: String, slots: Int) {
        let bytes = Array(rendered.utf8)
        var segments: [[UInt8]] = []
        var holes: [Hole] = []
        var start = 0
        var i = 0
        // U+FDD0 is EF B7 90 in UTF-8, U+FDD1 is EF B7 91.
        func marker(at i: Int) -> UInt8? {
            guard i + 2 < bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xB7, bytes[i + 2] == 0x90 || bytes[i + 2] == 0x91 else { return nil }
            return bytes[i + 2]
        }
        while i < bytes.count {
            guard let kind = marker(at: i) else { i += 1; continue }
            guard kind == 0x90, i + 5 < bytes.count else { return nil }
            let letter = bytes[i + 3]
            guard letter >= UInt8(ascii: "a"), Int(letter - UInt8(ascii: "a")) < slots, bytes[i + 4] == UInt8(ascii: "Z") else { return nil }
            var j = i + 5
            let escaped: Bool
            if bytes[j...].starts(with: "&amp;".utf8) { escaped = true; j += 5 }
            else if bytes[j] == UInt8(ascii: "&") { escaped = false; j += 1 }
            else { return nil }
            guard marker(at: j) == 0x91 else { return nil }
            segments.append(Array(bytes[start..<i]))
            holes.append(Hole(slot: Int(letter - UInt8(ascii: "a")), escaped: escaped))
            i = j + 3
            start = i
        }
        segments.append(Array(bytes[start...]))
        self.segments = segments
        self.holes = holes
    }

    /// The page for one referrer's values (in the slot order the prototype was made with).
    func fill(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(segments.reduce(0) { $0 + $1.count } + values.reduce(0) { $0 + $1.utf8.count } * 2)
        for (index, hole) in holes.enumerated() {
            out.append(contentsOf: segments[index])
            var value = values[hole.slot]
            value.withUTF8 { utf8 in
                if hole.escaped { Markup.append(utf8, to: &out) } else { out.append(contentsOf: utf8) }
            }
        }
        out.append(contentsOf: segments[holes.count])
        return out
    }
}
