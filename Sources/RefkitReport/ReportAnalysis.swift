import RefkitCodes
import RefkitModel

/// The whole analysis of one export against the ledger: which rows count, which are flagged,
/// which friends converted, the funnels, the tiers and rewards reached and the A/B results.
///
/// A pure function of its inputs: the same export, ledger and day always give the same answer,
/// which is what makes the rewards ledger idempotent.
public struct ReportAnalysis: Sendable {
    public let programs: [Program]
    /// Every code in the ledger, in the order it was issued.
    public let referrers: [ReportReferrer]
    /// Every row of the export, in file order.
    public let submissions: [SubmissionOutcome]
    /// Every row of the conversions file, in file order; nil without one.
    public let conversions: [ConversionOutcome]?
    /// Counted referrals, by date then line.
    public let referrals: [Referral]
    public let today: Day
    /// Symbols per printed group, for messages.
    public let group: Int
    /// What counts towards rewards without a conversions file (`report.rewards_from`).
    public let rewardsFrom: ReportSettings.Ground

    let referrerByCode: [InviteCode: ReportReferrer]

    /// With a conversions file, a referral succeeds (counts towards tiers and rewards) when the
    /// friend becomes a customer; without one, when the form is sent.
    public var usesConversions: Bool { conversions != nil }

    public init(programs: [Program], ledger: Ledger, submissions: [Submission], conversions: [Conversion]?,
                today: Day, codes: CodeSettings = CodeSettings(), rewardsFrom: ReportSettings.Ground = .conversions) {
        let programBySlug = Dictionary(programs.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let referrers = ledger.records.map { record in
            ReportReferrer(code: record.code, program: record.program, email: record.email, name: record.name,
                           firstName: record.firstName, language: record.language, isActive: record.status == .active,
                           variant: programBySlug[record.program]?.variant(for: record.code) ?? Variant.controlName)
        }
        self.init(programs: programs, referrers: referrers, submissions: submissions, conversions: conversions,
                  today: today, codes: codes, rewardsFrom: rewardsFrom)
    }

    public init(programs: [Program], referrers: [ReportReferrer], submissions: [Submission], conversions: [Conversion]?,
                today: Day, codes: CodeSettings = CodeSettings(), rewardsFrom: ReportSettings.Ground = .conversions) {
        self.rewardsFrom = rewardsFrom
        self.programs = programs
        self.referrers = referrers
        self.today = today
        self.group = codes.group
        let byCode = Dictionary(referrers.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        referrerByCode = byCode
        let programBySlug = Dictionary(programs.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let matcher = CodeMatcher(issued: Set(byCode.keys), length: codes.length)

        // Submissions, earliest first: of two rows from the same friend the earlier counts.
        var outcomes = submissions.map { SubmissionOutcome(submission: $0, code: nil, corrected: false, flag: nil) }
        let order = outcomes.indices.sorted { a, b in
            let x = outcomes[a].submission, y = outcomes[b].submission
            if x.date != y.date { return (x.date.map { ($0.year, $0.month, $0.day) } ?? (0, 0, 0)) < (y.date.map { ($0.year, $0.month, $0.day) } ?? (0, 0, 0)) }
            return x.line < y.line
        }
        var firstLine: [String: Int] = [:]
        var referrals: [Referral] = []
        for i in order {
            let s = outcomes[i].submission
            guard let date = s.date else { outcomes[i].flag = .unreadableDate(s.dateText); continue }
            guard PlausibleDate.contains(date, today: today) else {
                outcomes[i].flag = .implausibleDate(date, latest: PlausibleDate.latest(today: today))
                continue
            }
            switch matcher.match(s.code) {
            case .exact(let code): outcomes[i].code = code
            case .corrected(let code): outcomes[i].code = code; outcomes[i].corrected = true
            case .ambiguous(let codes): outcomes[i].flag = .ambiguousCode(codes); continue
            case .unknown: outcomes[i].flag = .unknownCode; continue
            }
            guard !s.friendEmail.isEmpty else { outcomes[i].flag = .noEmail; continue }
            let friend = EmailIdentity.key(s.friendEmail)
            guard EmailIdentity.isAddress(friend) else { outcomes[i].flag = .notAnAddress(s.friendEmail); continue }
            let referrer = byCode[outcomes[i].code!]!
            if let ends = programBySlug[referrer.program]?.ends, date > ends { outcomes[i].flag = .late(ends: ends); continue }
            if friend == EmailIdentity.key(referrer.email) { outcomes[i].flag = .selfReferral; continue }
            let key = referrer.program + "\u{0}" + friend
            if let first = firstLine[key] { outcomes[i].flag = .duplicate(firstLine: first); continue }
            firstLine[key] = s.line
            referrals.append(Referral(code: referrer.code, program: referrer.program, friend: friend, friendEmail: s.friendEmail,
                                      friendName: s.friendName, date: date, channel: s.channel, line: s.line))
        }
        self.submissions = outcomes

        guard let conversions else {
            self.conversions = nil
            self.referrals = referrals
            return
        }
        // Conversions, earliest first. A friend known by email converts their own referral. A
        // code alone, from the counter page or a till export, is a walk-in: a friend who came
        // with the code. It never converts one of the referrer's submissions: the staff
        // recorded a visit, not whose submission it was, and guessing would use up the referral
        // of a friend who may still come. Guessing would also change between runs (the form
        // export grows), and a row paid as a walk-in once would be paid again as the
        // submission it converts next time. A counter walk-in is keyed by its redemption id,
        // a till's by its code, day and rank that day.
        var results = conversions.map { ConversionOutcome(conversion: $0, code: nil, corrected: false, walkIn: false, flag: nil) }
        let conversionOrder = results.indices.sorted { a, b in
            let x = results[a].conversion, y = results[b].conversion
            if x.date != y.date { return (x.date.map { ($0.year, $0.month, $0.day) } ?? (0, 0, 0)) < (y.date.map { ($0.year, $0.month, $0.day) } ?? (0, 0, 0)) }
            return x.line < y.line
        }
        var byFriend: [String: [Int]] = [:]
        for (i, r) in referrals.enumerated() { byFriend[r.friend, default: []].append(i) }
        var walkIns: [String: Int] = [:]
        for i in conversionOrder {
            let c = results[i].conversion
            guard let date = c.date else { results[i].flag = .unreadableDate(c.dateText); continue }
            guard PlausibleDate.contains(date, today: today) else {
                results[i].flag = .implausibleDate(date, latest: PlausibleDate.latest(today: today))
                continue
            }
            let friend = c.email.isEmpty ? nil : EmailIdentity.key(c.email)
            if let friend, !EmailIdentity.isAddress(friend) { results[i].flag = .notAnAddress(c.email); continue }
            if let friend, let indices = byFriend[friend] {
                if let open = indices.first(where: { referrals[$0].conversion == nil }) {
                    referrals[open].conversion = .init(date: date, value: c.value, line: c.line, file: c.file)
                    results[i].code = referrals[open].code
                } else {
                    results[i].flag = .alreadyConverted(firstLine: referrals[indices[0]].conversion!.line)
                }
                continue
            }
            guard !c.code.isEmpty else { results[i].flag = .noReferral; continue }
            let code: InviteCode
            switch matcher.match(c.code) {
            case .exact(let found): code = found
            case .corrected(let found): code = found; results[i].corrected = true
            case .ambiguous(let codes): results[i].flag = .ambiguousCode(codes); continue
            case .unknown: results[i].flag = .unknownCode; continue
            }
            results[i].code = code
            let referrer = byCode[code]!
            guard referrer.isActive else { results[i].flag = .inactiveCode; continue }
            if let ends = programBySlug[referrer.program]?.ends, date > ends { results[i].flag = .late(ends: ends); continue }
            if let friend, friend == EmailIdentity.key(referrer.email) { results[i].flag = .selfReferral; continue }
            let counterKey = code.rawValue + ":" + date.description
            let n = walkIns[counterKey, default: 0] + 1
            walkIns[counterKey] = n
            // A redemption's id names its walk-in the same way in every run, whatever else the
            // exports hold that day.
            let key = friend ?? (c.isRedemption ? "walk-in \(code.rawValue) \(date) \(c.redemptionID)" : "walk-in \(code.rawValue) \(date) #\(n)")
            results[i].walkIn = true
            referrals.append(Referral(code: code, program: referrer.program, friend: key, friendEmail: c.email, friendName: "",
                                      date: date, channel: .postcard, line: nil,
                                      conversion: .init(date: date, value: c.value, line: c.line, file: c.file)))
            byFriend[key, default: []].append(referrals.count - 1)
        }
        self.conversions = results
        self.referrals = referrals.sorted { ($0.date, $0.line ?? Int.max, $0.friend) < ($1.date, $1.line ?? Int.max, $1.friend) }
    }

    public func referrer(_ code: InviteCode) -> ReportReferrer? { referrerByCode[code] }
    public func program(_ slug: String) -> Program? { programs.first { $0.slug == slug } }

    // MARK: Headline figures

    public var counted: Int { submissions.count { $0.counts } }
    public var corrected: [SubmissionOutcome] { submissions.filter { $0.corrected && $0.code != nil } }
    public var converted: Int { referrals.count { $0.conversion != nil } }
    public var walkIns: Int { referrals.count { !$0.submitted } }
    public var orderValue: Double { referrals.reduce(0) { $0 + ($1.conversion?.value ?? 0) } }

    /// Flagged submissions per kind, every kind listed.
    public var flagCounts: [(kind: FlagKind, count: Int)] {
        FlagKind.allCases.map { kind in (kind, submissions.count { $0.flag?.kind == kind }) }
    }

    /// The referrals that count towards tiers and rewards: converted ones with a conversions
    /// file; without one, submitted ones when `site.yaml` says `report: { rewards_from:
    /// submissions }`, and none by default: rewards follow real customers, and anyone can type
    /// made-up friends into the public form.
    public var successes: [Referral] {
        if usesConversions { return referrals.filter { $0.conversion != nil } }
        return rewardsFrom == .submissions ? referrals.filter(\.submitted) : []
    }

    /// No conversions file and rewards follow conversions: nothing counts towards rewards.
    public var countsNoSuccesses: Bool { !usesConversions && rewardsFrom == .conversions }

    /// Bare submissions count towards rewards, so the fraud rules hold what they flag.
    public var rewardsFromSubmissions: Bool { !usesConversions && rewardsFrom == .submissions }
}

extension Referral {
    /// When the referral succeeded: the conversion's day with conversions, else the form's.
    func successDate(usingConversions: Bool) -> Day { usingConversions ? (conversion?.date ?? date) : date }
}

extension Day {
    /// Days since 1970-01-01, for buckets and spans (Howard Hinnant's days_from_civil).
    var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    init(ordinal z: Int) {
        let z = z + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self = Day(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)!
    }
}
