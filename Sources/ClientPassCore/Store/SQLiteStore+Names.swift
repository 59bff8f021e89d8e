import GRDB

extension SQLiteStore {
    /// The account and department names of the store at `path`, for shell completion: read
    /// only, without migrating, by whoever can read the file; empty when it cannot be read.
    public static func names(readingAt path: String) -> (accounts: [String], departments: [String]) {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return ([], []) }
        defer { try? queue.close() }
        let read = try? queue.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM account ORDER BY name_key"),
                try String.fetchAll(db, sql: "SELECT name FROM department ORDER BY name_key")
            )
        }
        return read ?? ([], [])
    }
}
