import Foundation
import RefkitModel
import Testing
@testable import RefkitReport

/// The fraud rules' definitions of "differ only slightly", and rewards.csv's coupon cells.
@Suite("Hold rules and coupon cells")
struct HoldRuleTests {
    @Test("addresses one scalar apart at the same domain are a pair; two apart, or at another domain, are not", arguments: [
        ("marie.d@example.com", "marie.b@example.com", true),   // one replaced
        ("jean@example.com", "jeann@example.com", true),        // one inserted
        ("paulo@example.com", "paul@example.com", true),        // one deleted
        ("éva@example.com", "eva@example.com", true),           // by scalar: é is one
        ("jean@example.com", "jane@example.com", false),        // two apart
        ("marie.d@example.com", "marie.b@example.org", false),  // another domain
        ("qx0zz0@example.com", "qx1zz1@example.com", false),
    ])
    func nearPairs(_ a: String, _ b: String, _ near: Bool) {
        #expect(ReportAnalysis.nearPairs([a, b]).isEmpty == !near)
        #expect(ReportAnalysis.nearPairs([b, a]).isEmpty == !near)
    }

    @Test("many friends of one code: only the near ones pair up, found without comparing every pair")
    func manyFriends() {
        var friends = (0..<5_000).map { "friend\(String($0, radix: 36))x\(String($0 * 7919 % 5_003, radix: 36))@example.com" }
        friends.append("friend0x0@example.org")
        friends.append("friend0xy0@example.com")
        let pairs = ReportAnalysis.nearPairs(friends)
        #expect(pairs.contains { Set([friends[$0.0], friends[$0.1]]) == ["friend0x0@example.com", "friend0xy0@example.com"] })
        for (a, b) in pairs { #expect(a != b) }
    }

    @Test("names are the same whatever their case, accents or spacing", arguments: [
        ("Élise  Roy", "elise roy"), ("ＭＡＲＩＥ", "marie"), ("Jean-Luc", "JEAN-LUC"),
    ])
    func sameName(_ a: String, _ b: String) {
        #expect(ReportAnalysis.nameKey(a) == ReportAnalysis.nameKey(b))
    }

    @Test("a throwaway domain matches itself and its subdomains, not a look-alike")
    func disposable() {
        let list = DisposableDomains.shipped
        #expect(DisposableDomains.match("mailinator.com", in: list) == "mailinator.com")
        #expect(DisposableDomains.match("x.mailinator.com", in: list) == "mailinator.com")
        #expect(DisposableDomains.match("notmailinator.com", in: list) == nil)
    }

    @Test("a status or coupon cell edited by hand is named with its line", arguments: [
        ",,owed-ish", ",X-1,", ",,paid", ",X-1,owed", ",X-1,pays line x", ",X-1,pays line 1",
    ])
    func badCouponCells(_ tail: String) throws {
        let text = "code,friend,tier,reward,date,coupon,status\n68SW-R3QS-B,a@example.com,1,r,2027-01-12,X-0,paid\n68SW-R3QS-B,b@example.com,each,r,2027-01-12\(tail)\n"
        let e = #expect(throws: ReportError.self) { try RewardLedger(bytes: Data(text.utf8)) }
        #expect(e?.diagnostics.map(\.location.line) == [3])
    }

    @Test("every status reads back as written")
    func statuses() throws {
        let text = "code,friend,tier,reward,date,coupon,status\n68SW-R3QS-B,a@example.com,1,r,2027-01-12,,owed\n68SW-R3QS-B,a@example.com,1,r,2027-01-12,X-1,pays line 2\n68SW-R3QS-B,b@example.com,each,r,2027-01-12,,\n68SW-R3QS-B,c@example.com,each,r,2027-01-12,X-2,paid\n"
        let ledger = try RewardLedger(bytes: Data(text.utf8))
        #expect(ledger.rows.map(\.status) == [.owed, .pays(line: 2), .none, .paid])
        #expect(ledger.owedRows.isEmpty)
    }
}
