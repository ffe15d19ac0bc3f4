/// Arithmetic in GF(2⁵) = GF(32), the field behind the check symbol.
///
/// Elements are 5-bit values, one per Crockford symbol. Addition (and subtraction) is XOR;
/// multiplication is polynomial multiplication modulo x⁵ + x² + 1, a primitive polynomial,
/// done through log/antilog tables over the generator α = 2 (the polynomial x).
///
/// The multiplicative group has 31 elements and 31 is prime, so every element other than 0
/// and 1 has order 31: α is primitive and α⁰, α¹, …, α³⁰ are 31 distinct non-zero elements.
enum GF32 {
    static let order = 32

    /// `exp[i] = αⁱ` for i in 0..<62 (doubled so that `exp[log a + log b]` needs no modulo).
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 62)
        var x: UInt8 = 1
        for i in 0..<31 {
            table[i] = x
            table[i + 31] = x
            x <<= 1
            if x & 0b10_0000 != 0 { x ^= 0b10_0101 } // reduce by x⁵ + x² + 1
        }
        return table
    }()

    /// `log[a]` for a ≠ 0; `log[0]` is unused.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 32)
        for i in 0..<31 { table[Int(exp[i])] = i }
        return table
    }()

    @inline(__always)
    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }

    /// The inverse of a non-zero element: α⁻ⁱ = α³¹⁻ⁱ.
    @inline(__always)
    static func inverse(_ a: UInt8) -> UInt8 {
        precondition(a != 0, "0 has no inverse in GF(32)")
        return exp[(31 - log[Int(a)]) % 31]
    }

    /// αⁱ.
    @inline(__always)
    static func power(_ i: Int) -> UInt8 { exp[i % 31] }
}
