import Foundation
import RefkitModel

/// The coupons a report run can hand out: those of `content/coupons.csv` that no row of
/// `rewards.csv` holds and that have not expired, per programme and kind, in file order.
public struct CouponBank: Sendable {
    /// What one programme's reward kind has, for the summary and the page.
    public struct Level: Hashable, Sendable {
        public var program: String
        public var kind: CouponKind
        /// Usable coupons left after this run.
        public var left: Int
        /// Coupons handed out so far, this run included.
        public var handedOut: Int
        /// Rewards still waiting for a coupon after this run.
        public var owed: Int

        /// Under 10% of the bank left: time to export more codes from the till.
        public var isLow: Bool { handedOut + left > 0 && left * 10 < handedOut + left }
    }

    struct Kind: Hashable { var program: String; var kind: CouponKind }

    private var queues: [Kind: [Coupon]] = [:]
    private var next: [Kind: Int] = [:]
    private var banks: Set<Kind> = []
    private var handedOut: [Kind: Int] = [:]
    /// The programme of a referrer's code (from the ledger).
    let program: @Sendable (InviteCode) -> String?

    public init(coupons: [Coupon], today: Day, ledger: RewardLedger, program: @escaping @Sendable (InviteCode) -> String?) {
        self.program = program
        var used = Set<String>()
        for row in ledger.rows where !row.coupon.isEmpty { used.insert(Coupon.identity(row.coupon)) }
        for row in ledger.rows {
            guard let kind = row.kind, let slug = program(row.code) else { continue }
            // A kind that has paid or owed a coupon keeps its bank even when a new export of
            // coupons.csv lists none of it any more: its next rewards are owed, not coupon-free.
            if row.status != .none { banks.insert(Kind(program: slug, kind: kind)) }
            if !row.coupon.isEmpty { handedOut[Kind(program: slug, kind: kind), default: 0] += 1 }
        }
        for c in coupons {
            let k = Kind(program: c.program, kind: c.kind)
            banks.insert(k)
            if c.isValid(on: today), !used.contains(Coupon.identity(c.code)) { queues[k, default: []].append(c) }
        }
    }

    /// No coupons at all: every reward is recorded without one.
    public static var none: CouponBank {
        CouponBank(coupons: [], today: Day(year: 2000, month: 1, day: 1)!, ledger: try! RewardLedger(bytes: Data()), program: { _ in nil })
    }

    func hasBank(_ program: String, _ kind: CouponKind) -> Bool { banks.contains(Kind(program: program, kind: kind)) }

    /// The next usable coupon of the kind, taken out of the bank.
    mutating func take(_ program: String, _ kind: CouponKind) -> Coupon? {
        let k = Kind(program: program, kind: kind)
        let i = next[k, default: 0]
        guard let queue = queues[k], i < queue.count else { return nil }
        next[k] = i + 1
        handedOut[k, default: 0] += 1
        return queue[i]
    }

    /// Every bank, with what is left and what is owed given the ledger after this run.
    public func levels(after ledger: RewardLedger) -> [Level] {
        var owed: [Kind: Int] = [:]
        for row in ledger.owedRows {
            guard let kind = row.kind, let slug = program(row.code) else { continue }
            owed[Kind(program: slug, kind: kind), default: 0] += 1
        }
        return banks.union(owed.keys).map { k in
            Level(program: k.program, kind: k.kind, left: (queues[k]?.count ?? 0) - next[k, default: 0],
                  handedOut: handedOut[k, default: 0], owed: owed[k, default: 0])
        }.sorted { ($0.program, $0.kind) < ($1.program, $1.kind) }
    }
}
