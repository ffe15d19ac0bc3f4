import RefkitModel

/// One row of a funnel: invited → submitted → converted.
public struct FunnelRow: Hashable, Sendable {
    public var label: String
    /// Referrers with a code; nil where it has no meaning (every referrer has every channel).
    public var invited: Int?
    /// Counted form submissions.
    public var submitted: Int
    /// Converted friends (walk-ins included).
    public var converted: Int
}

/// What a funnel is broken down by.
public enum FunnelDimension: String, Hashable, Sendable, CaseIterable {
    case program = "programme"
    case language
    case channel
    case variant
}

extension ReportAnalysis {
    public func funnel(by dimension: FunnelDimension) -> [FunnelRow] {
        func rows(keys: [String], invitedKey: ((ReportReferrer) -> String)?, referralKey: (Referral) -> String) -> [FunnelRow] {
            var invited: [String: Int] = [:], submitted: [String: Int] = [:], converted: [String: Int] = [:]
            if let invitedKey { for r in referrers { invited[invitedKey(r), default: 0] += 1 } }
            for r in referrals {
                let key = referralKey(r)
                if r.submitted { submitted[key, default: 0] += 1 }
                if r.conversion != nil { converted[key, default: 0] += 1 }
            }
            return keys.map { FunnelRow(label: $0, invited: invitedKey == nil ? nil : invited[$0] ?? 0,
                                        submitted: submitted[$0] ?? 0, converted: converted[$0] ?? 0) }
        }
        switch dimension {
        case .program:
            return rows(keys: programs.map(\.slug), invitedKey: \.program, referralKey: \.program)
        case .language:
            let languages = Set(referrers.map(\.language)).sorted().map(\.rawValue)
            return rows(keys: languages, invitedKey: { $0.language.rawValue },
                        referralKey: { self.referrer($0.code)?.language.rawValue ?? "" })
        case .channel:
            return rows(keys: Channel.allCases.map(\.rawValue), invitedKey: nil, referralKey: \.channel.rawValue)
        case .variant:
            let tested = programs.filter { $0.arms.count > 1 }
            let keys = tested.flatMap { p in p.arms.map { p.slug + " · " + $0.name } }
            return rows(keys: keys, invitedKey: { $0.program + " · " + $0.variant },
                        referralKey: { $0.program + " · " + (self.referrer($0.code)?.variant ?? Variant.controlName) })
        }
    }

    /// Per day (spans up to 62 days) or per week starting on Monday: counted submissions and
    /// conversions, from the first to the last day with either.
    public var timeline: [TimelineBucket] {
        var days: [Int] = referrals.filter(\.submitted).map(\.date.ordinal)
        days += referrals.compactMap { $0.conversion?.date.ordinal }
        guard let first = days.min(), let last = days.max() else { return [] }
        let weekly = last - first > 62
        // 1970-01-01 was a Thursday: ordinal + 3 is 0 on Mondays, modulo 7.
        func start(_ ordinal: Int) -> Int { weekly ? ordinal - ((ordinal + 3) % 7 + 7) % 7 : ordinal }
        let width = weekly ? 7 : 1
        var buckets: [Int: (Int, Int)] = [:]
        for r in referrals {
            if r.submitted { buckets[start(r.date.ordinal), default: (0, 0)].0 += 1 }
            if let c = r.conversion { buckets[start(c.date.ordinal), default: (0, 0)].1 += 1 }
        }
        return stride(from: start(first), through: start(last), by: width).map { s in
            TimelineBucket(start: Day(ordinal: s), days: width, submitted: buckets[s]?.0 ?? 0, converted: buckets[s]?.1 ?? 0)
        }
    }
}

public struct TimelineBucket: Hashable, Sendable {
    public var start: Day
    /// 1 (a day) or 7 (a week from Monday).
    public var days: Int
    public var submitted: Int
    public var converted: Int
}
