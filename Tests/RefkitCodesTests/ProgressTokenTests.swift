import Foundation
import RefkitModel
import Testing
@testable import RefkitCodes

@Suite("progress-page tokens")
struct ProgressTokenTests {
    @Test("a token is 20 Crockford symbols (100 bits), the same for the same code and secret, different for another code or secret, and never contains the code")
    func token() {
        let a = Secret(text: "0123456789abcdef0123456789abcdef"), b = Secret(text: "fedcba9876543210fedcba9876543210")
        let code = InviteCode(uncheckedRawValue: "K7QM4TZ9X"), other = InviteCode(uncheckedRawValue: "K7QM4TZ9Y")
        let t = ProgressToken.token(for: code, secret: a)
        #expect(t.count == 20 && t.utf8.allSatisfy { Crockford.symbols.contains($0) })
        #expect(t == ProgressToken.token(for: code, secret: a))
        #expect(t != ProgressToken.token(for: other, secret: a))
        #expect(t != ProgressToken.token(for: code, secret: b))
        #expect(!t.contains(code.rawValue))
        // Not the code's own derivation under the same key: the domain prefix separates them.
        #expect(Set((0..<1000).map { ProgressToken.token(for: InviteCode(uncheckedRawValue: "C\($0)"), secret: a) }).count == 1000)
    }
}
