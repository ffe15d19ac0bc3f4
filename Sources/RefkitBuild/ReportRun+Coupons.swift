import RefkitCodes
import RefkitMail
import RefkitModel
import RefkitReport

extension ReportRun {
    /// What paying this run's rewards did.
    struct PaidRewards {
        /// Rows appended to rewards.csv: payments of owed rewards, then new rewards.
        var added: [RewardLedger.Row]
        var held: [HeldReward]
        var levels: [CouponBank.Level]
        /// One warning per converted friend who earned no welcome offer: their address cannot take a draft.
        var unwelcomed: [Diagnostic] = []
    }

    /// Earns the rewards under each programme's `reward_rule`, holds those a fraud rule flags
    /// (bare submissions only), and appends the rest to rewards.csv with coupons from
    /// `content/coupons.csv`.
    func payRewards(_ analysis: ReportAnalysis, project: Project, ledger: Ledger, into rewards: inout RewardLedger) throws -> PaidRewards {
        // A programme welcomes its friends when it has a `welcome` message or `friend` coupons.
        var welcoming = Set(project.coupons.filter { $0.kind == .friend }.map(\.program))
        for p in project.programs where p.editions.contains(where: { $0.email[Self.welcomeMessage] != nil }) { welcoming.insert(p.slug) }
        // A welcome offer is earned only by a friend the welcome draft can be sent to (the same
        // test `welcome(for:)` makes): otherwise a `friend` coupon would be spent on a draft
        // that is never written.
        let canWelcome = { (friend: String) in MailAddress.isValid(friend.trimmingWhitespace()) }
        let earned = analysis.earnedRewards(welcoming: welcoming, canWelcome: canWelcome)
        let unwelcomed = analysis.unwelcomable(welcoming: welcoming, canWelcome: canWelcome).map {
            unwelcomedWarning($0, group: project.site.codes.group)
        }

        let rules = try holdRules(project)
        let (payable, held) = analysis.holding(earned, rules: rules)

        let programs = Dictionary(ledger.records.map { ($0.code, $0.program) }, uniquingKeysWith: { a, _ in a })
        var bank = CouponBank(coupons: project.coupons, today: options.today, ledger: rewards, program: { programs[$0] })
        let added = rewards.append(payable, group: project.site.codes.group, bank: &bank)
        return PaidRewards(added: added, held: held, levels: bank.levels(after: rewards), unwelcomed: unwelcomed)
    }

    /// Where the friend's address came from (the form export's row, or the conversions row of a
    /// walk-in), what is wrong with it and what to do.
    func unwelcomedWarning(_ r: Referral, group: Int) -> Diagnostic {
        let location = if let line = r.line {
            SourceLocation(file: display(options.submissions), line: line)
        } else {
            SourceLocation(file: r.conversion?.file ?? "", line: r.conversion?.line)
        }
        let address = r.friendEmail
        let why: String
        if address.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            why = "holds a control character (a line break, a NUL)"
        } else if !address.contains("@") {
            why = "has no @"
        } else if address.unicodeScalars.contains(where: { !$0.isASCII }) {
            why = "holds characters outside plain ASCII, which a draft's To: cannot carry"
        } else {
            why = "holds more than one plain address (a name, a comma, brackets or quotes)"
        }
        return Diagnostic(location, "the friend's address \"\(MailAddress.shown(address))\" \(why), so \(r.code.formatted(group: group))'s friend gets no welcome draft, no welcome offer and no `friend` coupon",
                          fix: "correct it to one plain address (name@example.com) in \(location.file) and run the report again")
    }

    /// The fraud rules, with site.yaml's daily limit, content/disposable-domains.txt and
    /// content/confirmed.csv: for rewards that rest on bare submissions, and for friend reminders.
    func holdRules(_ project: Project) throws -> HoldRules {
        // The loader cannot read codes (RefkitLoad does not import RefkitCodes): checked here.
        let confirmed = try project.confirmations.map { c throws -> (code: InviteCode, friend: String) in
            guard let code = InviteCode.parse(c.code) else {
                throw ReportError("content/confirmed.csv", line: c.line, "\"\(VisibleText.escaped(c.code))\" is not an invitation code",
                                  fix: "copy the line the report page shows for the held referral")
            }
            return (code, c.friend)
        }
        return HoldRules(dailyLimit: project.site.report.dailyLimit, extraDisposableDomains: project.disposableDomains,
                         confirmed: confirmed)
    }
}
