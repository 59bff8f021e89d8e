import Foundation

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
}
