import Foundation
import Synchronization

/// A store kept in a SQL database. The store's rules (what a change checks, what it audits,
/// what a decision reads and counts) are written once, in extensions of this protocol, over
/// ``SQLDatabase``; each backend gives only its transactions: ``SQLiteStore`` (one file, one
/// host) and ``PostgreSQLStore`` (several nodes on one database).
public protocol SQLStore: CredentialStore {
    /// A read that sees one consistent state of the store.
    func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T

    /// One transaction that reads and changes the store as if no other ran at the same time
    /// (serialisable). A backend may run `body` more than once when another node's transaction
    /// got in its way; only the last run's changes are kept, and `body` does nothing but read
    /// and write the store.
    func write<T>(_ body: (any SQLDatabase) throws -> T) throws -> T

    /// One transaction of a login's bookkeeping: the throttling counters, last use, the audit
    /// entry. Only transactions taking one of the same `keys` wait for each other (the counters
    /// of an account and of an address are read and counted as one step); logins of other
    /// accounts from other addresses go on side by side.
    func write<T>(locking keys: [String], _ body: (any SQLDatabase) throws -> T) throws -> T

    /// Where decisions keep the settings of the generation they read (``DecisionSettings``);
    /// `nil`: every decision reads them.
    var decisionSettings: DecisionSettings.Cache? { get }
}

extension SQLStore {
    public var decisionSettings: DecisionSettings.Cache? { nil }
}

/// What every login decision reads that only a change moving the generation can change: the
/// policy, the networks, the enforcement scope and the selector key. A decision that reads the
/// same generation, in the same transaction as the rest of its snapshot, uses the settings kept
/// for it instead of reading them again.
public struct DecisionSettings: Sendable {
    let generation: Int64
    let policy: DomainPolicy
    let selectorKey: SelectorKey
    let secureNetworks: [SecureNetwork]
    let scope: EnforcementScope
    let firstPartyHosts: [SecureNetwork]

    /// The settings of the latest generation a decision of this store read.
    public final class Cache: Sendable {
        private let kept = Mutex<DecisionSettings?>(nil)

        public init() {}

        func settings(at generation: Int64, selectorKey: SelectorKey) -> DecisionSettings? {
            kept.withLock { kept in kept?.generation == generation && kept?.selectorKey == selectorKey ? kept : nil }
        }

        func keep(_ settings: DecisionSettings) {
            kept.withLock { kept in kept = settings }
        }
    }
}
