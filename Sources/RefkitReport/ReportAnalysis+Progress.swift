import Foundation
import RefkitCSV
import RefkitModel

extension ReportAnalysis {
    /// Each referrer's standing for their progress page and the leaderboard: the successes
    /// `referrerResults` counts (what tiers count), the friends counted from the form who have
    /// not converted yet (with conversions), and the day of their earliest counted referral.
    /// Referrers with nothing counted are left out: they stand at zero.
    public var progress: ProgressSummary {
        var waiting: [InviteCode: Int] = [:]
        var first: [InviteCode: Day] = [:]
        for r in referrals {
            if usesConversions, r.submitted, r.conversion == nil { waiting[r.code, default: 0] += 1 }
            if first[r.code].map({ r.date < $0 }) ?? true { first[r.code] = r.date }
        }
        var referrers: [InviteCode: ReferrerProgress] = [:]
        for result in referrerResults {
            let code = result.referrer.code
            referrers[code] = ReferrerProgress(friends: result.successes, waiting: waiting[code] ?? 0, first: first[code])
        }
        return ProgressSummary(referrers: referrers)
    }
}

extension ProgressSummary {
    /// `kit/report/progress.csv`, rows by code so that the same counts give the same bytes.
    public var outputFile: OutputFile {
        let writer = CSVWriter(lineEnd: .lf)
        var text = writer.line(Self.columns)
        for (code, p) in referrers.sorted(by: { $0.key < $1.key }) {
            text += writer.line([code.rawValue, String(p.friends), String(p.waiting), p.first?.description ?? ""])
        }
        return OutputFile(area: .kit, path: Self.kitPath, bytes: Data(text.utf8), isPrivate: true)
    }
}
