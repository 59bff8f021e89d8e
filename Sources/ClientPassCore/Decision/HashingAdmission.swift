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
        var total = 0
        var known = 0
    }
    private let state = Mutex(State())

    public init(limits: Limits) {
        self.limits = limits
    }

    /// Attempts admitted and not yet finished, in both lanes.
    public var inFlight: Int { state.withLock { $0.total + $0.known } }

    /// Admits one attempt, or refuses it when a bound is reached.
    /// - Parameters:
    ///   - lane: whose total it counts in; `isKnown` says whether the attempt may use the
    ///     ``HashingPool/Lane/known`` total when the other is full (asked only then: it may
    ///     read the store).
    /// - Returns: a permit to ``release(_:)`` when the attempt is decided, or `nil`.
    public func admit(accountKey: String, address: IPAddress, isKnown: () throws -> Bool) rethrows -> Permit? {
        let addressKey = address.throttlingKey
        enum Outcome { case admitted(Permit), refused, full }
        let first: Outcome = state.withLock { state in
            guard state.accounts[accountKey, default: 0] < limits.perAccount,
                  state.addresses[addressKey, default: 0] < limits.perAddress else { return .refused }
            guard state.total < limits.total else { return .full }
            state.total += 1
            state.accounts[accountKey, default: 0] += 1
            state.addresses[addressKey, default: 0] += 1
            return .admitted(Permit(accountKey: accountKey, addressKey: addressKey, lane: .other))
        }
        switch first {
        case .admitted(let permit): return permit
        case .refused: return nil
        case .full: break
        }
        guard try isKnown() else { return nil }
        return state.withLock { state in
            guard state.known < limits.total,
                  state.accounts[accountKey, default: 0] < limits.perAccount,
                  state.addresses[addressKey, default: 0] < limits.perAddress else { return nil }
            state.known += 1
            state.accounts[accountKey, default: 0] += 1
            state.addresses[addressKey, default: 0] += 1
            return Permit(accountKey: accountKey, addressKey: addressKey, lane: .known)
        }
    }

    /// Admits one attempt in the lane of other logins only.
    public func admit(accountKey: String, address: IPAddress) -> Permit? {
        admit(accountKey: accountKey, address: address, isKnown: { false })
    }

    public func release(_ permit: Permit) {
        state.withLock { state in
            switch permit.lane {
            case .other: state.total -= 1
            case .known: state.known -= 1
            }
            func decrement(_ counts: inout [String: Int], _ key: String) {
                let left = counts[key, default: 1] - 1
                counts[key] = left > 0 ? left : nil
            }
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
