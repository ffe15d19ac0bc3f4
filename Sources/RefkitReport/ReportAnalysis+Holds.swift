import Foundation
import RefkitModel

/// What the report checks before a reward that rests on bare form submissions is paid.
public struct HoldRules: Sendable {
    /// More counted submissions than this for one code on one day are all held.
    public var dailyLimit: Int
    /// The shipped list plus the user's (`content/disposable-domains.txt`), lower case.
    public var disposableDomains: Set<String>
    /// `Referral.friend` keys by code of the referrals the marketer confirmed.
    public var confirmed: Set<String>

    public init(dailyLimit: Int = 5, extraDisposableDomains: [String] = [], confirmed: [(code: InviteCode, friend: String)] = []) {
        self.dailyLimit = dailyLimit
        disposableDomains = DisposableDomains.shipped.union(extraDisposableDomains.map { $0.lowercased() })
        self.confirmed = Set(confirmed.map { Self.id($0.code, EmailIdentity.key($0.friend)) })
    }

    static func id(_ code: InviteCode, _ friend: String) -> String { code.rawValue + "\u{0}" + friend }
}

/// Why a referral looks made up.
public enum Suspicion: Hashable, Sendable {
    /// `count` counted submissions for the code on `day`, more than the limit.
    case busyDay(day: Day, count: Int, limit: Int)
    /// The friend's address is at a throwaway-address service.
    case disposable(domain: String)
    /// Another friend of the same referrer has an address one edit away.
    case similarAddress(String)
    /// Another friend of the same referrer has the same name and another address.
    case sameName(String)

    public var explanation: String {
        switch self {
        case let .busyDay(day, count, limit): "\(count) forms for this code on \(day) (more than \(limit))"
        case let .disposable(domain): "a throwaway address (\(domain))"
        case let .similarAddress(other): "one letter away from \(other)"
        case let .sameName(other): "the same name as \(other)"
        }
    }
}

/// A reward not paid until the marketer confirms the referrals it rests on.
public struct HeldReward: Hashable, Sendable {
    public var reward: EarnedReward
    /// The unconfirmed suspicious referrals among its basis: friend address and why.
    public var reasons: [(friend: String, why: Suspicion)]

    public static func == (a: HeldReward, b: HeldReward) -> Bool { a.reward == b.reward }
    public func hash(into h: inout Hasher) { h.combine(reward) }
}

extension ReportAnalysis {
    /// The counted referrals a fraud rule flags, by code and friend (`HoldRules.id`), confirmed
    /// ones left out. Empty unless bare submissions earn rewards: a conversion is a real
    /// customer at the till.
    ///
    /// The rules, each among one referrer's successful referrals:
    /// - more than `dailyLimit` submissions on one day: all of that day's;
    /// - an address at a throwaway domain (or a subdomain of one);
    /// - two addresses that differ only slightly: after `EmailIdentity.key` (which already
    ///   merges `+tags`, case, Gmail dots and look-alike characters into one friend), the same
    ///   domain and local parts at most one edit apart (one Unicode scalar inserted, deleted or
    ///   replaced: `marie.d` and `marie.b`, `jean` and `jeann`). Both are flagged;
    /// - two friends with the same name (case, accents and spacing ignored) and different
    ///   addresses. Both are flagged.
    public func suspicions(_ rules: HoldRules) -> [String: [(friend: String, why: Suspicion)]] {
        guard rewardsFromSubmissions else { return [:] }
        return Self.suspicions(among: successes, rules)
    }

    /// The same rules over every referral made through the form, converted or not, whatever
    /// rewards come from: a friend reminder goes to an address someone typed into a public
    /// form, so forty forms to throwaway addresses for one code in a day must not become forty
    /// reminders that name the referrer.
    public func reminderSuspicions(_ rules: HoldRules) -> [String: [(friend: String, why: Suspicion)]] {
        Self.suspicions(among: referrals.filter(\.submitted), rules)
    }

    static func suspicions(among successes: [Referral], _ rules: HoldRules) -> [String: [(friend: String, why: Suspicion)]] {
        var out: [String: [(friend: String, why: Suspicion)]] = [:]
        func flag(_ r: Referral, _ why: Suspicion) {
            let id = HoldRules.id(r.code, r.friend)
            guard !rules.confirmed.contains(id) else { return }
            out[id, default: []].append((r.friendLabel, why))
        }
        var byCode: [InviteCode: [Referral]] = [:]
        for r in successes { byCode[r.code, default: []].append(r) }
        for (_, list) in byCode {
            var perDay: [Day: [Referral]] = [:]
            for r in list { perDay[r.date, default: []].append(r) }
            for (day, rs) in perDay where rs.count > rules.dailyLimit {
                for r in rs { flag(r, .busyDay(day: day, count: rs.count, limit: rules.dailyLimit)) }
            }
            for r in list {
                guard let at = r.friend.lastIndex(of: "@") else { continue }
                if let domain = DisposableDomains.match(String(r.friend[r.friend.index(after: at)...]), in: rules.disposableDomains) {
                    flag(r, .disposable(domain: domain))
                }
            }
            for (a, b) in Self.nearPairs(list.map(\.friend)) {
                flag(list[a], .similarAddress(list[b].friendLabel))
                flag(list[b], .similarAddress(list[a].friendLabel))
            }
            var byName: [String: Int] = [:]
            for (i, r) in list.enumerated() {
                let name = Self.nameKey(r.friendName)
                guard !name.isEmpty else { continue }
                if let j = byName[name] {
                    if list[j].friend != r.friend {
                        flag(r, .sameName(list[j].friendLabel))
                        flag(list[j], .sameName(r.friendLabel))
                    }
                } else {
                    byName[name] = i
                }
            }
        }
        return out
    }

    /// The rewards, split into those that can be paid and those held by `suspicions`.
    public func holding(_ earned: [EarnedReward], rules: HoldRules) -> (payable: [EarnedReward], held: [HeldReward]) {
        let flagged = suspicions(rules)
        guard !flagged.isEmpty else { return (earned, []) }
        var payable: [EarnedReward] = [], held: [HeldReward] = []
        for reward in earned {
            let reasons = reward.basis.flatMap { flagged[HoldRules.id(reward.code, $0)] ?? [] }
            if reasons.isEmpty { payable.append(reward) } else { held.append(HeldReward(reward: reward, reasons: reasons)) }
        }
        return (payable, held)
    }

    /// A name as two people would write the same one: case, accents and spacing ignored.
    static func nameKey(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Index pairs of addresses with the same domain and local parts one edit apart, found
    /// through deletion neighbourhoods (each local part with one scalar removed) rather than by
    /// comparing every pair, so that a code with thousands of friends stays linear.
    static func nearPairs(_ friends: [String]) -> [(Int, Int)] {
        var exact: [String: [Int]] = [:]
        var deleted: [String: [(index: Int, position: Int)]] = [:]
        var parts: [(local: [Unicode.Scalar], domain: String)?] = []
        for (i, f) in friends.enumerated() {
            guard let at = f.lastIndex(of: "@") else { parts.append(nil); continue }
            let local = Array(f[..<at].unicodeScalars), domain = String(f[at...])
            parts.append((local, domain))
            exact[String(String.UnicodeScalarView(local)) + domain, default: []].append(i)
            for p in local.indices {
                var d = local
                d.remove(at: p)
                deleted[String(String.UnicodeScalarView(d)) + domain, default: []].append((i, p))
            }
        }
        var pairs = Set<[Int]>()
        func add(_ a: Int, _ b: Int) { if a != b, friends[a] != friends[b] { pairs.insert([min(a, b), max(a, b)]) } }
        for (i, part) in parts.enumerated() {
            guard let part, part.local.count > 1 else { continue }
            for p in part.local.indices {
                var d = part.local
                d.remove(at: p)
                let key = String(String.UnicodeScalarView(d)) + part.domain
                // One scalar deleted from this address gives the other: an insertion.
                for j in exact[key] ?? [] { add(i, j) }
                // The same position deleted from both gives the same text: a substitution.
                for other in deleted[key] ?? [] where other.position == p { add(i, other.index) }
            }
        }
        return pairs.map { ($0[0], $0[1]) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
