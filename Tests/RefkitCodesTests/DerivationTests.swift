import Testing
import RefkitModel
@testable import RefkitCodes

@Suite("Code derivation")
struct DerivationTests {
    // Expected values computed independently (Python hmac + its own GF(32) tables).
    @Test("a fixed secret gives fixed codes", arguments: [
        ("main", "marie@example.fr", UInt32(0), 8, "ZK3MTA3S7"),
        ("main", "  Marie@Example.FR ", 0, 8, "ZK3MTA3S7"),
        ("main", "marie@example.fr", 1, 8, "WY74J01YM"),
        ("bread-club", "marie@example.fr", 0, 8, "VAZ2XJV9Z"),
        ("main", "yamada@example.jp", 0, 8, "S1KP36GRB"),
        ("main", "marie@example.fr", 0, 12, "ZK3MTA3SVDVFQ"),
    ])
    func stable(program: String, email: String, attempt: UInt32, length: Int, expected: String) {
        let code = CodeDeriver(secret: testSecret, length: length).code(program: program, email: email, attempt: attempt)
        #expect(code.rawValue == expected)
    }

    @Test("another secret gives another code")
    func secretMatters() {
        let a = CodeDeriver(secret: testSecret, length: 8).code(program: "main", email: "marie@example.fr")
        let b = CodeDeriver(secret: otherSecret, length: 8).code(program: "main", email: "marie@example.fr")
        #expect(a != b)
    }

    @Test("the secret never shows in its description")
    func redacted() {
        #expect(!"\(testSecret)".contains("test-secret"))
        #expect(!String(reflecting: testSecret).contains("test-secret"))
    }
}
