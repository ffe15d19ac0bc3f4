import Foundation
import RefkitCSV
import RefkitCodes
import RefkitModel
@testable import RefkitReport
import Testing

/// The counter page's export as `--conversions`: read as it is, each redemption once however
/// many exports hold it, a code-only redemption a walk-in of its own.
@Suite("Counter redemptions")
struct RedemptionTests {
    let L = Fixtures.code("68SW-R3QS-B"), J = Fixtures.code("7J6Q-ZKGZ-0")

    /// An export as the page writes it: BOM, CRLF, every cell through the formula guard.
    func export(_ rows: [[String]]) -> Data {
        let writer = CSVWriter(lineEnd: .crlf)
        return Data(("\u{FEFF}" + writer.line(RedemptionExport.columns) + rows.map(writer.line).joined()).utf8)
    }

    func analysis(_ conversions: [Conversion], submissions: [Submission] = []) throws -> ReportAnalysis {
        ReportAnalysis(programs: [Fixtures.program()], ledger: try Fixtures.ledger(), submissions: submissions,
                       conversions: conversions, today: Day("2027-04-10")!)
    }

    @Test("the export reads as it is: its id, its guarded cells restored, its local time's day")
    func reads() throws {
        let data = export([["2027-03-02T18:05:11+01:00", L.rawValue, "=ami@example.org", "12,50", "=AB", "id-1"],
                           ["2027-03-02T09:00:00-05:00", J.rawValue, "", "", "", "id-2"]])
        let rows = try ConversionExport.read(data, file: "redemptions-2027-03-02.csv")
        #expect(rows.count == 2)
        #expect(rows[0].redemptionID == "id-1" && rows[0].email == "=ami@example.org" && rows[0].value == 12.5)
        #expect(rows[0].date == Day("2027-03-02") && rows[1].date == Day("2027-03-02"))
        #expect(rows[1].isRedemption && rows[1].email.isEmpty && rows[1].code == J.rawValue)
        // A till export has no id, and its cells are read as they are.
        let till = try ConversionExport.read(Data("email,code,date\n'x@example.org,,2027-03-02\n".utf8), file: "till.csv")
        #expect(till[0].redemptionID.isEmpty && till[0].email == "'x@example.org")
    }

    @Test("the same export twice, or two devices' overlapping exports, hold each redemption once")
    func merges() throws {
        let a = try ConversionExport.read(export([["2027-03-02T10:00:00+01:00", L.rawValue, "", "", "", "id-1"],
                                                  ["2027-03-02T11:00:00+01:00", J.rawValue, "", "", "", "id-2"]]), file: "a.csv")
        let b = try ConversionExport.read(export([["2027-03-02T11:00:00+01:00", J.rawValue, "", "", "", "id-2"],
                                                  ["2027-03-03T10:00:00+01:00", J.rawValue, "", "", "", "id-3"]]), file: "b.csv")
        let till = [Conversion(line: 2, code: L.rawValue, date: Day("2027-03-04"))]
        let merged = ConversionExport.merge([a, a, b, till, till])
        #expect(merged.conversions.map(\.redemptionID) == ["id-1", "id-2", "id-3", "", ""])
        #expect(merged.repeated == 3)
        let analysis = try analysis(ConversionExport.merge([a, a, b]).conversions)
        #expect(analysis.walkIns == 3 && analysis.converted == 3)
    }

    @Test("with an email a redemption converts that friend's submission; with a code only it (or a till's row) is a walk-in, and leaves the submission for its friend")
    func walkIns() throws {
        let submissions = [Submission(line: 2, date: Day("2027-03-01"), code: L.formatted(), friendEmail: "ami@example.org"),
                           Submission(line: 3, date: Day("2027-03-01"), code: L.formatted(), friendEmail: "autre@example.org")]
        let redemptions = [
            // A walk-in with L's card who never sent the form.
            Conversion(line: 2, code: L.rawValue, date: Day("2027-03-02"), redemptionID: "r-1"),
            // The friend of line 2, with their email: their submission converts.
            Conversion(line: 3, email: "AMI@example.org", code: L.rawValue, date: Day("2027-03-03"), redemptionID: "r-2"),
        ]
        let a = try analysis(redemptions, submissions: submissions)
        #expect(a.conversions?.allSatisfy { $0.flag == nil } == true)
        #expect(a.walkIns == 1 && a.converted == 2)
        let converted = a.referrals.filter { $0.conversion != nil }.map(\.friend).sorted()
        #expect(converted.contains(EmailIdentity.key("ami@example.org")))
        #expect(converted.contains { $0.hasPrefix("walk-in \(L.rawValue) 2027-03-02 r-1") })
        // The other friend's submission was not used up by the walk-in.
        #expect(a.referrals.first { $0.friend == EmailIdentity.key("autre@example.org") }?.conversion == nil)
        // A till's code-only row is a walk-in too, keyed by code, day and rank: it never takes
        // a submission, so a later run whose form export holds more cannot turn the same row
        // into the conversion of a submission and pay it a second time.
        let till = try analysis([Conversion(line: 2, code: L.rawValue, date: Day("2027-03-02"))], submissions: submissions)
        #expect(till.walkIns == 1 && till.converted == 1)
        #expect(till.referrals.filter(\.submitted).allSatisfy { $0.conversion == nil })
    }
}
