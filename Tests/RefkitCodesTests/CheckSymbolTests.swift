import Testing
import RefkitModel
@testable import RefkitCodes

@Suite("Check symbol")
struct CheckSymbolTests {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    @Test("GF(32) tables: α = 2 generates all 31 non-zero elements and inverses multiply to 1")
    func field() {
        #expect(Set(GF32.exp[0..<31]).count == 31)
        #expect(!GF32.exp[0..<31].contains(0))
        for a in UInt8(1)..<32 { #expect(GF32.multiply(a, GF32.inverse(a)) == 1) }
    }

    @Test("every single substituted symbol of 1,000 codes is caught", arguments: [8, 12])
    func substitutions(length: Int) {
        var missed: [String] = []
        for code in sampleCodes(length: length) {
            let symbols = Array(code.rawValue)
            #expect(InviteCode.parse(code.rawValue) == code)
            for i in symbols.indices {
                for s in Self.alphabet where s != symbols[i] {
                    var typo = symbols
                    typo[i] = s
                    if InviteCode.parse(String(typo)) != nil { missed.append(String(typo)) }
                }
            }
        }
        #expect(missed.isEmpty)
    }

    @Test("every swap of two different neighbours of 1,000 codes is caught, the check symbol included", arguments: [8, 12])
    func swaps(length: Int) {
        var missed: [String] = []
        var tried = 0
        for code in sampleCodes(length: length) {
            let symbols = Array(code.rawValue)
            for i in symbols.indices.dropLast() where symbols[i] != symbols[i + 1] {
                var typo = symbols
                typo.swapAt(i, i + 1)
                tried += 1
                if InviteCode.parse(String(typo)) != nil { missed.append(String(typo)) }
            }
        }
        #expect(tried > 7000)
        #expect(missed.isEmpty)
    }

    @Test("input is normalised before checking", arguments: [
        ("ZK3MTA3S7", "ZK3MTA3S7"),
        ("zk3mta3s7", "ZK3MTA3S7"),
        ("ZK3M-TA3S-7", "ZK3MTA3S7"),
        ("zk3m ta3s 7", "ZK3MTA3S7"),
        (" ZK3M – TA3S — 7 ", "ZK3MTA3S7"),
        ("ＺＫ３Ｍ－ＴＡ３Ｓ－７", "ZK3MTA3S7"),
        ("0123-4567-T", "01234567T"),
        ("O123-4567-t", "01234567T"),
        ("oI23-4567-T", "01234567T"),
        ("0l23-4567-T", "01234567T"),
        ("0L23\t4567\nT", "01234567T"),
    ])
    func normalisation(input: String, expected: String) {
        #expect(InviteCode.parse(input)?.rawValue == expected)
    }

    @Test("U, unknown characters, wrong lengths and wrong check symbols are refused", arguments: [
        "ZK3MTA3SU", "ZK3MTA3S", "ZK3MTA3S77", "ZK3MTA3S8", "ZK3M!A3S7", "", "ZK", "KZ3MTA3S7",
    ])
    func refusals(input: String) {
        #expect(InviteCode.parse(input) == nil)
    }

    @Test("a length setting accepts only codes of that length")
    func lengths() {
        #expect(InviteCode.parse("ZK3MTA3S7", length: 8) != nil)
        #expect(InviteCode.parse("ZK3MTA3S7", length: 10) == nil)
        #expect(InviteCode.parse("ZK3MTA3SVDVFQ", length: 12) != nil)
        #expect(InviteCode.parse("ZK3MTA3SVDVFQ") != nil)
    }

    @Test("normalize shows what was understood, with ? for non-symbols")
    func normalizeForMessages() {
        #expect(InviteCode.normalize("zk3m-ta3s-u") == "ZK3MTA3S?")
        #expect(InviteCode.normalize("o1l") == "011")
    }

    @Test("codes display in groups")
    func display() {
        #expect(InviteCode.parse("ZK3MTA3S7")!.formatted(group: 4) == "ZK3M-TA3S-7")
        #expect(InviteCode.parse("ZK3MTA3S7")!.formatted(group: 3) == "ZK3-MTA-3S7")
    }
}

@Suite("Suggestions")
struct SuggestionTests {
    let code = InviteCode(uncheckedRawValue: "ZK3MTA3S7")

    @Test("a substituted symbol is among the suggestions, as the only issued one", arguments: [
        "ZK3MTA3S8", "ZK3NTA3S7", "2K3MTA3S7", "ZK3MTA3T7",
    ])
    func substitution(typo: String) {
        #expect(InviteCode.suggestions(for: typo).contains(code))
        #expect(InviteCode.suggestions(for: typo, among: [code, InviteCode(uncheckedRawValue: "S1KP36GRB")]) == [code])
    }

    @Test("swapped neighbours and a U are corrected", arguments: [
        "KZ3MTA3S7", "ZK3MTA37S", "ZK3M-AT3S-7", "ZK3MTU3S7",
    ])
    func swapAndErasure(typo: String) {
        #expect(InviteCode.suggestions(for: typo).contains(code))
    }

    @Test("among issued codes, a missing or extra symbol is found too", arguments: ["ZK3MTA37", "ZK3MTA3SS7", "ZK3MMTA3S7"])
    func insertionDeletion(typo: String) {
        #expect(InviteCode.suggestions(for: typo, among: [code]) == [code])
    }

    @Test("a valid code has no suggestions")
    func valid() {
        #expect(InviteCode.suggestions(for: "zk3m-ta3s-7").isEmpty)
    }

    @Test("every suggestion is a valid code one edit away")
    func allValid() {
        for s in InviteCode.suggestions(for: "ZK3MTA3S8") {
            #expect(InviteCode.parse(s.rawValue) == s)
        }
    }
}
