import RefkitModel

extension InviteCode {
    /// The valid codes a mistyped input is most likely meant to be: those one substituted
    /// symbol or one swap of neighbours away. A character that is not a symbol (U, a stray
    /// letter) is treated as unknown and every symbol is tried in its place.
    ///
    /// With `issued`, only issued codes are returned, and one missing or one extra symbol is
    /// also tried: without that filter those edits match about one valid code per position,
    /// which is noise, while among issued codes a hit is almost surely the intended one.
    ///
    /// - Parameters:
    ///   - length: data symbols expected; nil tries every length in `dataLengths`.
    ///   - issued: codes to choose from, usually every code in the ledger.
    /// - Returns: distinct codes, sorted; empty when the input is already valid.
    public static func suggestions(for input: String, length: Int? = nil, among issued: Set<InviteCode>? = nil) -> [InviteCode] {
        let values = Crockford.values(of: input)
        let lengths: ClosedRange<Int> = length.map { $0...$0 } ?? dataLengths
        var found = Set<InviteCode>()

        func consider(_ candidate: [UInt8?]) {
            guard lengths.contains(candidate.count - 1) else { return }
            let unknown = candidate.indices.filter { candidate[$0] == nil }
            switch unknown.count {
            case 0:
                let symbols = candidate.map { $0! }
                if isConsistent(symbols) { add(symbols) }
            case 1:
                // One erasure: the weighted sum fixes the missing value uniquely.
                let i = unknown[0]
                var sum: UInt8 = 0
                for (j, d) in candidate.enumerated() where j != i { sum ^= GF32.multiply(GF32.power(j), d!) }
                var symbols = candidate.map { $0 ?? 0 }
                symbols[i] = GF32.multiply(GF32.inverse(GF32.power(i)), sum)
                add(symbols)
            default:
                return
            }
        }
        func add(_ symbols: [UInt8]) {
            let code = InviteCode(uncheckedRawValue: Crockford.string(symbols))
            if let issued, !issued.contains(code) { return }
            found.insert(code)
        }

        if parse(input, length: length) != nil { return [] }
        let unknownCount = values.filter { $0 == nil }.count
        if unknownCount == 1 {
            // The unknown character is the substitution; no second edit.
            consider(values)
        } else if unknownCount == 0 {
            // One substitution: per position exactly one value checks, found as an erasure.
            for i in values.indices {
                var candidate = values
                candidate[i] = nil
                consider(candidate)
            }
            // One swap of neighbours.
            for i in values.indices.dropLast() where values[i] != values[i + 1] {
                var candidate = values
                candidate.swapAt(i, i + 1)
                consider(candidate)
            }
        }
        if issued != nil, unknownCount <= 1 {
            // One extra character typed: drop each in turn.
            for i in values.indices {
                var candidate = values
                candidate.remove(at: i)
                consider(candidate)
            }
            // One character left out: if nothing else is unknown, insert an unknown anywhere.
            if unknownCount == 0 {
                for i in 0...values.count {
                    var candidate = values
                    candidate.insert(nil, at: i)
                    consider(candidate)
                }
            }
        }
        return found.sorted()
    }
}
