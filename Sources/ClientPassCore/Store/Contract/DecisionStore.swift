import Foundation

/// What a login decision reads and writes: one read (or one admitting write) before the
/// hashing, one write after.
public protocol DecisionStore: Sendable {
    /// What a login decision needs, read in one transaction (for `explain`: nothing is counted).
    func decisionSnapshot(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot
    /// Admits an attempt that is about to be hashed: in one write transaction, reads what the
    /// decision needs and, unless the attempt is throttled, counts it as a failure at once
    /// (``DecisionSnapshot/reservation``), so that attempts that run at the same time, in this
    /// process or another, see each other. Its ``DecisionRecord`` settles the reservation.
    func beginDecision(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot
    /// Gives back a reservation whose attempt ended in a temporary failure (not a guess).
    func releaseReservation(_ reservation: Int64) throws
    /// Writes what a login decision leaves behind, in one transaction.
    func record(_ decision: DecisionRecord) throws
    /// The generation and the throttling counters since `since`, read in one transaction: all
    /// the warm path reads.
    func warmState(accountKey: String, address: IPAddress, since: Date) throws -> WarmState
    /// Addresses (IPv4, or IPv6 /64) whose logins are answered `throttled` right now: over the
    /// per-address threshold, or over the per-account one for some account.
    func throttledAddressCount(at date: Date) throws -> Int
    /// Whether one of the account's credentials has logged in from exactly this address: a
    /// read, asked only when the hashing lane of other logins is full (see ``HashingAdmission``).
    func hasLoggedIn(accountKey: String, from address: IPAddress) throws -> Bool

    /// Runs `call` (calls of this store) for a task. A store whose calls wait on a network
    /// (PostgreSQL) runs it on threads of its own, so that the wait holds none of the few
    /// threads every task runs on; a local store runs it in place.
    func performing<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T
    /// Threads where a task may call this store and wait for it without holding a thread of
    /// the cooperative pool (``performing(_:)`` runs there); `nil` for a local store.
    var blockingCallExecutor: (any TaskExecutor)? { get }
    /// ``warmState(accountKey:address:since:)`` for a task: what the warm path reads before each
    /// warm answer, without holding a thread while the store answers.
    func loadWarmState(accountKey: String, address: IPAddress, since: Date) async throws -> WarmState
}

extension DecisionStore {
    public func performing<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T {
        try call()
    }

    public var blockingCallExecutor: (any TaskExecutor)? { nil }

    public func loadWarmState(accountKey: String, address: IPAddress, since: Date) async throws -> WarmState {
        try await performing { try warmState(accountKey: accountKey, address: address, since: since) }
    }
}
