/// A referrer's invite code, e.g. `K7QM-4TZ9-X`: Crockford base32 symbols, the last one a
/// check symbol. `RefkitCodes` makes, checks and normalises them; everything else only shows them.
public struct InviteCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The symbols without separators, upper case: `K7QM4TZ9X`. Used in paths and URLs.
    public let rawValue: String

    /// Wraps an already normalised and checked code; use `RefkitCodes` to parse user input.
    public init(uncheckedRawValue: String) {
        rawValue = uncheckedRawValue
    }

    /// Groups for reading aloud and printing: `K7QM-4TZ9-X` for a group size of 4.
    public func formatted(group: Int = 4) -> String {
        guard group > 0 else { return rawValue }
        var out = ""
        for (i, c) in rawValue.enumerated() {
            if i > 0, i % group == 0 { out.append("-") }
            out.append(c)
        }
        return out
    }

    public var description: String { formatted() }
    public static func < (a: InviteCode, b: InviteCode) -> Bool { a.rawValue < b.rawValue }
}
