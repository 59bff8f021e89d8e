import ClientPassCore
import Foundation

/// Opening a store by where it is: a SQLite file (the core's ``SQLiteStore``) or a PostgreSQL
/// database (``PostgreSQLStore``).
extension StoreLocation {
    /// The account and department names of the store there, for shell completion: read only,
    /// without migrating; empty when the store cannot be read (at most `timeout` on PostgreSQL).
    public static func names(at text: String, timeout: TimeInterval = 2) -> (accounts: [String], departments: [String]) {
        switch try? StoreLocation(parsing: text) {
        case .sqlite(let path): SQLiteStore.names(readingAt: path)
        case .postgresql(let location): PostgreSQLStore.names(readingAt: location, timeout: timeout)
        case nil: ([], [])
        }
    }

    /// Opens the existing store there and brings its schema up to date.
    /// - Parameter singleConnection: for one-shot processes (checkpassword): one SQLite
    ///   connection; on PostgreSQL one thread for tasks' calls instead of a server's 16.
    public func open(singleConnection: Bool = false) throws -> any SQLStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(openingAt: path, singleConnection: singleConnection)
        case .postgresql(let location):
            try PostgreSQLStore(opening: location, callThreads: singleConnection ? 1 : PostgreSQLStore.serverCallThreads)
        }
    }

    /// Creates a new store there.
    /// - Parameters:
    ///   - group: for a SQLite file, an OS group that may read and write it.
    ///   - filling: rows to put in the new store before anyone can use it (a copy's), in the
    ///     transaction that makes it on PostgreSQL; on SQLite, in a second one, after which a
    ///     failure removes the new file again.
    /// - Throws: ``InputError`` for a group on PostgreSQL (its roles say who may connect).
    public func create(
        group: String? = nil, by actor: AuditActor, at date: Date = Date(),
        filling: ((any SQLDatabase) throws -> Void)? = nil
    ) throws -> any SQLStore {
        switch self {
        case .sqlite(let path):
            let store = try SQLiteStore.create(at: path, group: group, by: actor, at: date)
            if let filling {
                do {
                    try store.write(filling)
                } catch {
                    for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
                    throw error
                }
            }
            return store
        case .postgresql(let location):
            if group != nil {
                throw InputError("--group gives a SQLite file to an OS group; on PostgreSQL, grant the mail servers' database roles access instead")
            }
            return try PostgreSQLStore.create(at: location, by: actor, at: date, filling: filling)
        }
    }

    /// Whether the store there can be reached, for `config check`: `nil` when it can, else why
    /// not in words (a SQLite file is only looked for).
    public func problem(timeout: TimeInterval) throws -> String? {
        switch self {
        case .sqlite(let path):
            FileManager.default.fileExists(atPath: path) ? nil : "no store at \(path) (create it with `clientpass admin init`)"
        case .postgresql(let location):
            try PostgreSQLStore.probe(location, timeout: timeout)
        }
    }
}
