import RefkitModel

/// One follow-up to draft: who it goes to and why.
public struct FollowUp: Hashable, Sendable {
    public var segment: FollowUpSegment
    /// The referrer's code (for a friend reminder, the code the friend came with).
    public var code: InviteCode
    /// The address as given: the referrer's from the ledger, the friend's from the export.
    public var recipient: String
    /// The friend's name from the form; empty for referrers.
    public var friendName: String
    /// The language of the page the friend sent the form from, as the export has it.
    public var friendLanguage: String
    /// The export's line, for a friend reminder.
    public var line: Int?
}

/// A friend reminder due today that was not drafted, and why.
public struct HeldReminder: Hashable, Sendable {
    public enum Reason: Hashable, Sendable {
        /// The fraud rules flag the friend (`reminderSuspicions`); drafted once confirmed in
        /// content/confirmed.csv.
        case suspicious([Suspicion])
        /// More reminders for the code than one run drafts; the rest come on a later run.
        case overCap(limit: Int)
    }

    public var followUp: FollowUp
    public var reason: Reason
}

extension ReportAnalysis {
    /// The follow-ups due `today`, by segment, code and recipient: never to an inactive referrer
    /// or a flagged friend (only counted referrals are looked at), nor to anyone `unsubscribed`
    /// lists, nor once the programme has ended; each no more often than `cadence` and `log` allow.
    ///
    /// A friend reminder goes to an address typed into a public form, so it also passes the
    /// fraud rules (`reminderSuspicions`, whatever rewards come from), and one run drafts at
    /// most `rules.dailyLimit` per code: more is what the rules call implausible for a day.
    /// Those left out are in `held`; none is logged, so a confirmed friend, or one over the
    /// cap, is reminded on a later run.
    ///
    /// - Parameter issued: the day each code was issued (the ledger's `issued`).
    public func followUps(issued: [InviteCode: Day], cadence: FollowUpCadence, log: FollowUpLog,
                          unsubscribed: Unsubscribed, rules: HoldRules = HoldRules()) -> (due: [FollowUp], held: [HeldReminder]) {
        var out: [FollowUp] = []
        var held: [HeldReminder] = []
        let day = today.ordinal
        let referred = Set(referrals.map(\.code))
        for referrer in referrers where referrer.isActive && !unsubscribed.contains(referrer.email) {
            guard let program = program(referrer.program), !program.hasEnded(on: today) else { continue }
            // Nudge: nothing counted yet, and the wait since the code or the last nudge is over.
            let nudged = log.nudges(referrer.code)
            if !referred.contains(referrer.code), nudged.count < cadence.nudgeMax,
               let since = nudged.last ?? issued[referrer.code], day - since.ordinal >= cadence.nudgeAfterDays {
                out.append(FollowUp(segment: .nudge, code: referrer.code, recipient: referrer.email, friendName: "", friendLanguage: "", line: nil))
            }
            // Deadline: once, within the last days before the programme ends.
            if let ends = program.ends, ends.ordinal - day <= cadence.deadlineDaysBefore,
               !log.contains(.deadline, referrer.code, referrer.email) {
                out.append(FollowUp(segment: .deadline, code: referrer.code, recipient: referrer.email, friendName: "", friendLanguage: "", line: nil))
            }
        }
        // Friend reminders: only conversions tell who has not come yet.
        if usesConversions {
            var language: [Int: String] = [:]
            for s in submissions where s.counts { language[s.submission.line] = s.submission.language }
            let flagged = reminderSuspicions(rules)
            var drafted: [InviteCode: Int] = [:]
            // Earliest form first (`referrals` is by date then line): the cap keeps the first.
            for r in referrals where r.submitted && r.conversion == nil && day - r.date.ordinal >= cadence.friendAfterDays {
                guard let referrer = referrer(r.code), referrer.isActive, let program = program(r.program), !program.hasEnded(on: today),
                      !unsubscribed.contains(r.friendEmail), !log.contains(.friendReminder, r.code, r.friendEmail) else { continue }
                let reminder = FollowUp(segment: .friendReminder, code: r.code, recipient: r.friendEmail, friendName: r.friendName,
                                        friendLanguage: r.line.flatMap { language[$0] } ?? "", line: r.line)
                if let why = flagged[HoldRules.id(r.code, r.friend)] {
                    held.append(HeldReminder(followUp: reminder, reason: .suspicious(why.map(\.why))))
                } else if drafted[r.code, default: 0] >= rules.dailyLimit {
                    held.append(HeldReminder(followUp: reminder, reason: .overCap(limit: rules.dailyLimit)))
                } else {
                    drafted[r.code, default: 0] += 1
                    out.append(reminder)
                }
            }
        }
        return (out.sorted { ($0.segment, $0.code, $0.recipient) < ($1.segment, $1.code, $1.recipient) }, held)
    }
}
