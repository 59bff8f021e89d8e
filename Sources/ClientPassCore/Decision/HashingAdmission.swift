import Foundation
import Synchronization

/// Bounds the Argon2id work in flight in one process: per account, per address (an IPv4 address
/// or an IPv6 /64) and in total. An attempt past a bound is not queued: it is answered "try
/// later" (``DecisionError/busy(retryAfter:)``) without hashing and without counting as a
/// failure, so a flood cannot build an unbounded queue or hold the memory of many hashes.
///
/// The total is kept per lane (``HashingPool/Lane``): logins from addresses their account has
/// logged in from before have a total of their own, so a flood from new addresses, however
/// wide, fills only its own and never turns the account's owner away.
///
/// Across processes (one checkpassword per login) the store's reservations bound the work per
/// account and address instead; see ``CredentialStore/beginDecision(accountKey:address:at:)``.
public final class HashingAdmission: Sendable {
    public struct Limits: Sendable, Hashable {
        /// Attempts of one account being decided at once (a mail client opens several
        /// connections at start-up; more than this at once is a flood).
        public var perAccount: Int
        /// Attempts from one address at once (a NAT or a webmail may carry many employees).
        public var perAddress: Int
        /// Attempts being decided at once in all.
        public var total: Int

        public init(perAccount: Int, perAddress: Int, total: Int) {
            precondition(perAccount >= 1 && perAddress >= 1 && total >= 1)
            self.perAccount = perAccount
            self.perAddress = perAddress
            self.total = total
        }

        /// 8 per account, 32 per address, 64 per hashing thread in all.
        public static func standard(poolSize: Int) -> Limits {
            Limits(perAccount: 8, perAddress: 32, total: 64 * max(poolSize, 1))
        }
    }

    /// How long a refused attempt is told to wait.
    public static let retryAfter: TimeInterval = 1

    public let limits: Limits
    private struct State {
        var accounts: [String: Int] = [:]
        var addresses: [String: Int] = [:]
        /// Attempts in flight in each lane, each bounded by ``Limits/total``.
        var lanes: [HashingPool.Lane: Int] = [:]

        enum Outcome { case admitted(Permit), refused, full }

        /// A place in `lane`: `refused` past the account's or the address's bound, `full` past
        /// the lane's total.
        mutating func take(_ lane: HashingPool.Lane, accountKey: String, addressKey: String, limits: Limits) -> Outcome {
            guard accounts[accountKey, default: 0] < limits.perAccount,
                addresses[addressKey, default: 0] < limits.perAddress
            else { return .refused }
            guard lanes[lane, default: 0] < limits.total else { return .full }
            lanes[lane, default: 0] += 1
            accounts[accountKey, default: 0] += 1
            addresses[addressKey, default: 0] += 1
            return .admitted(Permit(accountKey: accountKey, addressKey: addressKey, lane: lane))
        }
    }
    private let state = Mutex(State())

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Attempts admitted and not yet finished, in both lanes.
    public var inFlight: Int { state.withLock { $0.lanes.values.reduce(0, +) } }

    /// Admits one attempt, or refuses it when a bound is reached.
    /// - Parameter isKnown: whether the attempt comes from an address the account has logged in
    ///   from, so that it may use the ``HashingPool/Lane/known`` total when the other is full;
    ///   asked only then, as it may read the store (awaited: on a store across a network the
    ///   read holds no task thread).
    /// - Returns: a permit to ``release(_:)`` when the attempt is decided, or `nil`.
    public func admit(accountKey: String, address: IPAddress, isKnown: () async throws -> Bool) async rethrows -> Permit? {
        let addressKey = address.throttlingKey
        switch state.withLock({ $0.take(.other, accountKey: accountKey, addressKey: addressKey, limits: limits) }) {
        case .admitted(let permit): return permit
        case .refused: return nil
        case .full: break
        }
        guard try await isKnown() else { return nil }
        guard case .admitted(let permit) = state.withLock({ $0.take(.known, accountKey: accountKey, addressKey: addressKey, limits: limits) })
        else { return nil }
        return permit
    }

    /// Admits one attempt in the lane of other logins only.
    public func admit(accountKey: String, address: IPAddress) -> Permit? {
        guard case .admitted(let permit) = state.withLock({ $0.take(.other, accountKey: accountKey, addressKey: address.throttlingKey, limits: limits) })
        else { return nil }
        return permit
    }

    public func release(_ permit: Permit) {
        state.withLock { state in
            func decrement<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key) {
                let left = counts[key, default: 1] - 1
                counts[key] = left > 0 ? left : nil
            }
            decrement(&state.lanes, permit.lane)
            decrement(&state.accounts, permit.accountKey)
            decrement(&state.addresses, permit.addressKey)
        }
    }

    public struct Permit: Sendable {
        fileprivate let accountKey: String
        fileprivate let addressKey: String
        /// Whose total the attempt counts in.
        public let lane: HashingPool.Lane
    }
}

/// Why a decision could not be made now: a temporary failure, never an allow or a denial.
public enum DecisionError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// Too much Argon2id work is in flight for this account, this address or in all; the
    /// attempt was not hashed and not counted.
    case busy(retryAfter: TimeInterval)

    public var description: String {
        switch self {
        case .busy(let seconds): "too many logins are being checked at once; try again in \(Int(seconds.rounded(.up))) s"
        }
    }

    public var errorDescription: String? { description }
}
