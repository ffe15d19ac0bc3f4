import Foundation
import RefkitBuild
import RefkitModel
import RefkitTestSupport
import Testing

/// `ReportRun` through its public API on a built copy of the sample (a `welcome` message and
/// `friend` coupons): a friend whose address no welcome draft can carry earns no welcome offer
/// and spends no coupon, and the run's warnings name the row.
@Suite("Welcome offers need an address (ReportRun)")
struct WelcomeAddressRunTests {
    @Test("a till row with a header injection or a second address spends no friend coupon; ReportResult.warnings names its file and line")
    func noCouponWithoutDraft() throws {
        let root = try CLI.sampleProject(prefix: "refkit-welcome-run")
        defer { try? FileManager.default.removeItem(at: root) }
        let build = try CLI.refkit(["build", "--root", root.path, "--now", "2027-01-10", "-q"])
        try #require(build.status == 0, "\(build.stderr)")
        let codes = try CSVReadBack.python(root.appendingPathComponent("kit/codes.csv")).dropFirst().map { $0[1] }
        try Data("date,code,variant,friend_name,friend_email,utm_source\n".utf8).write(to: root.appendingPathComponent("export.csv"))
        let till = "email,code,date,value\nana@example.com,\(codes[0]),2027-01-12,10\n"
            + "\"evil@x.com\r\nBcc: victim@y.com\",\(codes[1]),2027-01-13,10\n"
            + "\"Friend <f@x.com>, other@y.com\",\(codes[2]),2027-01-13,10\n"
            + "\"\"\"\u{301}q@x.com\",\(codes[3]),2027-01-13,10\n"
        try Data(till.utf8).write(to: root.appendingPathComponent("till.csv"))

        let options = ReportOptions(root: root, submissions: root.appendingPathComponent("export.csv"),
                                    conversions: [root.appendingPathComponent("till.csv")], today: Day("2027-02-01")!)
        let result = try ReportRun(options: options).run()
        let welcomes = result.newRewards.filter { $0.tier == "friend" }
        #expect(welcomes.map(\.friend) == ["ana@example.com"])
        #expect(welcomes.map(\.coupon) == ["EXEMPLE-BIENVENUE-01"])
        #expect(result.welcomeDrafts.count == 1)
        let warned = result.warnings.map(\.description)
        // Line 3 (its quoted cell runs over lines 3 and 4) is not an address at all: not counted.
        #expect(result.analysis.conversions?.filter { $0.flag != nil }.map(\.conversion.line) == [3])
        #expect(warned == [
            "till.csv:5: the friend's address \"Friend<U+0020><f@x.com>,<U+0020>other@y.com\" holds more than one plain address (a name, a comma, brackets or quotes), so \(codes[2])'s friend gets no welcome draft, no welcome offer and no `friend` coupon; correct it to one plain address (name@example.com) in till.csv and run the report again.",
            "till.csv:6: the friend's address \"\"<U+0301>q@x.com\" holds characters outside plain ASCII, which a draft's To: cannot carry, so \(codes[3])'s friend gets no welcome draft, no welcome offer and no `friend` coupon; correct it to one plain address (name@example.com) in till.csv and run the report again.",
        ], "\(warned)")
        // Every converted friend either has a welcome draft or a warning.
        #expect(result.analysis.successes.count == welcomes.count + result.warnings.count { $0.message.hasPrefix("the friend's address") })
        // rewards.csv as Python's csv module reads it: one `friend` row, the coupon spent once.
        let rows = try CSVReadBack.python(root.appendingPathComponent("kit/report/rewards.csv")).dropFirst()
        #expect(rows.filter { $0[2] == "friend" }.map { [$0[1], $0[5]] } == [["ana@example.com", "EXEMPLE-BIENVENUE-01"]])
        #expect(rows.allSatisfy { $0.count == 7 && !$0[1].contains("\n") })
    }
}
