import Foundation

/// Where a store is, as `--store`, `$CLIENTPASS_STORE` or the configuration file's `store`
/// give it: a PostgreSQL URL (`postgresql://…`, `postgres://…`), or else the path of a SQLite
/// file. Every command, `serve` and checkpassword open their store through this: opening
/// (``open(singleConnection:)``, ``create(group:by:at:filling:)``) is in `ClientPassPostgreSQL`,
/// the target that knows both stores, so that the core links no database client but SQLite's.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgresql(PostgreSQLLocation)

    /// - Throws: ``InputError`` for a PostgreSQL URL that cannot be used (see
    ///   ``PostgreSQLLocation/init(parsing:)``).
    public init(parsing text: String) throws {
        if PostgreSQLLocation.isURL(text) {
            self = .postgresql(try PostgreSQLLocation(parsing: text))
        } else if text.contains("://") {
            throw InputError("\(Quoted(PostgreSQLLocation.redacted(text))) is neither a file nor a PostgreSQL URL (postgresql://USER@HOST/DATABASE)")
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The path, or the URL without any secret: for messages.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgresql(let location): location.description
        }
    }
}
