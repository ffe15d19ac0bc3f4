import RefkitModel

// The check symbol.
//
// A code is n data symbols d₀ … dₙ₋₁ followed by one check symbol dₙ, all read as elements
// of GF(32). Position i has the weight wᵢ = αⁱ, and the check symbol is chosen so that
//
//     S = w₀·d₀ + w₁·d₁ + … + wₙ·dₙ = 0        (sums are XOR, products in GF(32))
//
// that is dₙ = wₙ⁻¹ · (w₀·d₀ + … + wₙ₋₁·dₙ₋₁). Why this catches the two common typing errors:
//
// - One substituted symbol: dᵢ becomes dᵢ + e with e ≠ 0, so S becomes wᵢ·e. A field has no
//   zero divisors and wᵢ = αⁱ ≠ 0, so wᵢ·e ≠ 0 and the code no longer checks.
// - Two neighbours swapped (including the last data symbol with the check symbol): the sum
//   changes by wᵢ·dᵢ₊₁ + wᵢ₊₁·dᵢ − wᵢ·dᵢ − wᵢ₊₁·dᵢ₊₁ = (wᵢ − wᵢ₊₁)(dᵢ₊₁ − dᵢ). Swapping two
//   equal symbols changes nothing, so dᵢ ≠ dᵢ₊₁; and wᵢ − wᵢ₊₁ = αⁱ(1 − α) ≠ 0 because α ≠ 1.
//   A product of two non-zero elements is non-zero, so the swap is caught.
//
// The weights α⁰ … αⁿ are distinct only while n + 1 ≤ 31 (α has order 31), which bounds the
// data length at 30 symbols; `InviteCode.dataLengths` enforces it. Distinct weights also
// catch every swap of two equal-distance symbols, not only neighbours, though we do not rely
// on that. Unlike the mod-37 check of Crockford's paper, the check symbol stays inside the
// 32-symbol alphabet, so codes never contain `*~$=U`.

extension InviteCode {
    /// Data symbols a code may have, before the check symbol: 8 (40 bits) up to 30 (the
    /// longest length for which the check symbol's weights stay distinct).
    public static let dataLengths: ClosedRange<Int> = 8...30

    /// Makes a code from data symbol values (each 0..<32) by appending the check symbol.
    init(dataValues: [UInt8]) {
        precondition(InviteCode.dataLengths.contains(dataValues.count), "invite codes have 8 to 30 data symbols")
        var values = dataValues
        values.append(InviteCode.checkValue(for: dataValues))
        self.init(uncheckedRawValue: Crockford.string(values))
    }

    /// The check symbol for data symbols d₀ … dₙ₋₁: wₙ⁻¹ · Σ wᵢ·dᵢ.
    static func checkValue(for data: [UInt8]) -> UInt8 {
        var sum: UInt8 = 0
        for (i, d) in data.enumerated() { sum ^= GF32.multiply(GF32.power(i), d) }
        return GF32.multiply(GF32.inverse(GF32.power(data.count)), sum)
    }

    /// Whether symbol values, the check symbol last, sum to zero.
    static func isConsistent(_ values: [UInt8]) -> Bool {
        var sum: UInt8 = 0
        for (i, d) in values.enumerated() { sum ^= GF32.multiply(GF32.power(i), d) }
        return sum == 0
    }

    /// Reads a code as people type it: any case, with or without spaces and hyphens, O for 0,
    /// I or L for 1, full-width characters. Returns nil when a character is not a symbol (U),
    /// the length is wrong, or the check symbol does not match.
    ///
    /// - Parameter length: data symbols expected (`CodeSettings.length`); nil accepts any
    ///   length in `dataLengths`, for codes issued before the setting changed.
    public static func parse(_ input: String, length: Int? = nil) -> InviteCode? {
        let values = Crockford.values(of: input)
        guard values.count >= 2 else { return nil }
        let dataCount = values.count - 1
        if let length { guard dataCount == length else { return nil } }
        guard dataLengths.contains(dataCount) else { return nil }
        var symbols: [UInt8] = []
        symbols.reserveCapacity(values.count)
        for v in values {
            guard let v else { return nil }
            symbols.append(v)
        }
        guard isConsistent(symbols) else { return nil }
        return InviteCode(uncheckedRawValue: Crockford.string(symbols))
    }

    /// The input as canonical symbols, for messages: upper case, no separators, O → 0,
    /// I/L → 1; characters that are not symbols become `?`.
    public static func normalize(_ input: String) -> String {
        String(Crockford.values(of: input).map { $0.map { Crockford.alphabet[Int($0)] } ?? "?" })
    }

    /// Data symbols, without the check symbol.
    public var dataLength: Int { rawValue.utf8.count - 1 }

    /// Symbol values of an already canonical code.
    var symbolValues: [UInt8] { rawValue.utf8.map { Crockford.values[Int($0)] ?? 0 } }
}
