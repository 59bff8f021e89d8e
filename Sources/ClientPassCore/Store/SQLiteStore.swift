import Foundation
import GRDB
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded store: one SQLite file in WAL mode, shared by the CLI, the web page and the
/// login decision, in one or many processes.
public struct SQLiteStore: Sendable {
    /// Where the store lives when neither `--store` nor `CLIENTPASS_STORE` says otherwise.
    public static let defaultPath = "/var/lib/clientpass/clientpass.sqlite"

    /// How long a change waits for another process's transaction before giving up.
    public static let defaultBusyTimeout: TimeInterval = 10

    public let path: String
    let writer: any DatabaseWriter
    public let decisionSettings: DecisionSettings.Cache? = DecisionSettings.Cache()

    /// Opens an existing store and brings its schema up to date.
    /// - Throws: ``StoreError`` when the file is missing, not writable, not a clientpass store,
    ///   written by a newer clientpass, or locked past the busy timeout.
    /// - Parameters:
    ///   - singleConnection: one connection instead of a pool of readers and a writer: for
    ///     one-shot processes (checkpassword), which start faster with one.
    public init(openingAt path: String, busyTimeout: TimeInterval = defaultBusyTimeout, singleConnection: Bool = false) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw StoreError.missing(path)
            case EACCES: throw StoreError.notWritable(path)
            default: throw StoreError.unavailable(path, String(cString: strerror(errno)))
            }
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw StoreError.notAStore(path) }
        let folder = (path as NSString).deletingLastPathComponent
        guard access(path, R_OK | W_OK) == 0, access(folder.isEmpty ? "." : folder, W_OK | X_OK) == 0 else {
            throw StoreError.notWritable(path)
        }
        let writer: any DatabaseWriter =
            singleConnection
            ? try Self.openQueue(at: path, busyTimeout: busyTimeout)
            : try Self.openPool(at: path, busyTimeout: busyTimeout)
        try Self.prepare(writer, path: path)
        self.path = path
        self.writer = writer
    }

    /// Wraps an already open database (an in-memory queue in tests) and migrates it.
    public init(database: any DatabaseWriter, path: String = ":memory:", at date: Date = Date()) throws {
        self.path = path
        self.writer = database
        try database.write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master") == 0 {
                try db.execute(sql: "PRAGMA application_id = \(Self.applicationID)")
            }
        }
        try Self.prepare(database, path: path)
        try Self.initializeRows(in: database, at: date)
    }

    /// A new store in memory, for tests and demonstrations.
    public static func makeInMemory(at date: Date = Date()) throws -> SQLiteStore {
        try SQLiteStore(database: DatabaseQueue(), at: date)
    }

    /// Creates a new store: its folder (mode 0700, or 2770 for a group) when missing, with any
    /// missing folders above it 0755 as `mkdir -p` makes them (a mail server's group must pass
    /// through them to the store it shares), the file
    /// (mode 0600, or 0660 for a group), the schema, a new selector key, and the default policy.
    /// On any failure nothing is left behind.
    /// - Parameters:
    ///   - group: an OS group (a mail server's) that may read and write the store.
    /// - Throws: ``StoreError`` when a store exists there or the file cannot be made;
    ///   ``InputError`` for an unknown group.
    public static func create(at path: String, group: String? = nil, by actor: AuditActor, at date: Date = Date()) throws -> SQLiteStore {
        let groupID = try group.map(Self.groupID(named:))
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) { throw StoreError.exists(path) }

        let folder = (path as NSString).deletingLastPathComponent
        // The first folder made: it holds every other one made, and goes on any failure.
        var createdFolder: String?
        if !folder.isEmpty && !fileManager.fileExists(atPath: folder) {
            var missing: [String] = []
            var cursor = folder
            while !cursor.isEmpty, cursor != "/", !fileManager.fileExists(atPath: cursor) {
                missing.insert(cursor, at: 0)
                cursor = (cursor as NSString).deletingLastPathComponent
            }
            do {
                for made in missing {
                    try fileManager.createDirectory(
                        atPath: made, withIntermediateDirectories: false,
                        attributes: [.posixPermissions: made == folder ? 0o700 : 0o755])
                    if createdFolder == nil { createdFolder = made }
                }
            } catch {
                if let createdFolder { try? fileManager.removeItem(atPath: createdFolder) }
                throw StoreError.unavailable(path, "cannot create the folder \(folder): \(error.localizedDescription)")
            }
            if let groupID {
                // setgid: the -wal and -shm files SQLite makes beside the store get the group too.
                guard chown(folder, uid_t.max, groupID) == 0, chmod(folder, 0o2770) == 0 else {
                    let reason = String(cString: strerror(errno))
                    try? fileManager.removeItem(atPath: createdFolder!)
                    throw StoreError.unavailable(path, "cannot give the folder \(folder) to group \(group!): \(reason)")
                }
            }
        } else {
            // Anyone who can write the folder can replace the store, or plant its -wal and -shm
            // files before SQLite makes them (a sticky bit does not stop the second).
            var info = stat()
            let existing = folder.isEmpty ? "." : folder
            if stat(existing, &info) == 0, info.st_mode & 0o002 != 0 {
                throw StoreError.unavailable(
                    path,
                    "the folder \(existing) is writable by every user, who could replace the store: make it private with `chmod o-w \(existing)`, or give the store a folder of its own (clientpass creates a missing one with mode 0700)"
                )
            }
        }
        if let groupID, !folder.isEmpty, createdFolder == nil {
            var info = stat()
            if stat(folder, &info) == 0, info.st_gid != groupID || info.st_mode & 0o070 != 0o070 {
                throw StoreError.unavailable(
                    path,
                    "the folder \(folder) already exists and is not writable by group \(group!): run `chgrp \(group!) \(folder) && chmod 2770 \(folder)`, or choose a new folder"
                )
            }
        }

        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if let createdFolder { try? fileManager.removeItem(atPath: createdFolder) }
            if code == EEXIST { throw StoreError.exists(path) }
            throw StoreError.unavailable(path, String(cString: strerror(code)))
        }
        close(descriptor)

        func removeAll() {
            for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
            if let createdFolder { try? fileManager.removeItem(atPath: createdFolder) }
        }
        do {
            if let groupID {
                guard chown(path, uid_t.max, groupID) == 0, chmod(path, 0o660) == 0 else {
                    throw StoreError.unavailable(path, "cannot give the store to group \(group!): \(String(cString: strerror(errno)))")
                }
            }
            let pool = try openPool(at: path, busyTimeout: defaultBusyTimeout)
            try pool.write { db in
                try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            }
            try prepare(pool, path: path)
            try initializeRows(in: pool, at: date)
            try pool.write { db in
                try insert(
                    AuditEvent(
                        at: date, kind: .storeInitialized, actor: actor, subject: .store(path: path),
                        new: group.map { .record([.init("group", .text($0))]) }), in: SQLiteDatabase(db))
            }
            return SQLiteStore(path: path, writer: pool)
        } catch {
            removeAll()
            throw error
        }
    }

    private init(path: String, writer: any DatabaseWriter) {
        self.path = path
        self.writer = writer
    }

    private static func groupID(named name: String) throws -> gid_t {
        guard let entry = getgrnam(name) else {
            throw InputError("no group named \(Quoted(name)) on this machine: give the group a mail server runs as (e.g. dovecot)")
        }
        return entry.pointee.gr_gid
    }

    private static func configuration(busyTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "clientpass"
        return configuration
    }

    private static func openPool(at path: String, busyTimeout: TimeInterval) throws -> DatabasePool {
        do {
            return try DatabasePool(path: path, configuration: configuration(busyTimeout: busyTimeout))
        } catch {
            throw translate(error, path: path)
        }
    }

    /// One connection to a store that is already in WAL mode (every store `create` makes).
    private static func openQueue(at path: String, busyTimeout: TimeInterval) throws -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: path, configuration: configuration(busyTimeout: busyTimeout))
        } catch {
            throw translate(error, path: path)
        }
    }

    /// Refuses foreign and newer stores, then applies the migrations this version knows.
    static func prepare(_ writer: any DatabaseWriter, path: String) throws {
        let migrator = Self.migrator
        do {
            let upToDate = try writer.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let hasMigrations = try db.tableExists("grdb_migrations")
                guard applicationID == Self.applicationID else {
                    throw StoreError.notAStore(path)
                }
                if hasMigrations, try migrator.hasBeenSuperseded(db) {
                    let known = Set(migrator.migrations)
                    let unknown = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                        .filter { !known.contains($0) }
                    throw StoreError.tooNew(path, unknown: unknown)
                }
                return hasMigrations ? try migrator.hasCompletedMigrations(db) : false
            }
            // Migrating takes the write lock; a store already up to date (every open but the
            // first after an upgrade) does without.
            if !upToDate { try migrator.migrate(writer) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw translate(error, path: path)
        }
    }

    private static func initializeRows(in writer: any DatabaseWriter, at date: Date) throws {
        try writer.write { db in
            if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM store_meta") == 0 {
                try db.execute(
                    sql: "INSERT INTO store_meta (id, selector_key, created_at) VALUES (1, ?, ?)",
                    arguments: [Data(SelectorKey.generate().bytes), date])
                try db.execute(sql: "INSERT INTO domain_policy (id, updated_at) VALUES (1, ?)", arguments: [date])
            }
        }
    }

    /// Turns SQLite's failures into messages an administrator can act on.
    static func translate(_ error: any Error, path: String) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return StoreError.busy(path)
        case .SQLITE_NOTADB: return StoreError.notAStore(path)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: return StoreError.notWritable(path)
        case .SQLITE_CORRUPT: return StoreError.corrupt(error.message ?? "SQLite reports corruption")
        case .SQLITE_CANTOPEN: return StoreError.unavailable(path, "SQLite cannot open the file")
        case .SQLITE_FULL: return StoreError.unavailable(path, "the disk is full")
        default: return StoreError.unavailable(path, error.message ?? "SQLite error \(error.resultCode.rawValue)")
        }
    }

}

extension SQLiteStore: SQLStore {
    /// Runs a read, translating SQLite's errors.
    public func read<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        do { return try writer.read { db in try body(SQLiteDatabase(db)) } } catch { throw Self.translate(error, path: path) }
    }

    /// Runs a change in one IMMEDIATE transaction (SQLite has one writer at a time: serialisable,
    /// and `body` runs once), translating SQLite's errors.
    public func write<T>(_ body: (any SQLDatabase) throws -> T) throws -> T {
        do { return try writer.write { db in try body(SQLiteDatabase(db)) } } catch { throw Self.translate(error, path: path) }
    }

    /// The same as ``write(_:)``: with one writer at a time, every key is locked already.
    public func write<T>(locking keys: [String], _ body: (any SQLDatabase) throws -> T) throws -> T {
        try write(body)
    }
}

/// GRDB's connection as a ``SQLDatabase``: statements are prepared once and kept.
struct SQLiteDatabase: SQLDatabase {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        // The row's own column names: SQLite prepares a kept statement again after a schema
        // change (a migration), and `SELECT *` may then have more columns than at first.
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: Self.arguments(arguments)).map { row in
            SQLRow(columns: Array(row.columnNames), values: row.databaseValues.map(Self.value))
        }
    }

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments))
    }

    private static func arguments(_ arguments: SQLArguments) -> StatementArguments {
        StatementArguments(
            arguments.map { argument -> DatabaseValue in
                switch argument.sqlValue {
                case .null: .null
                case .integer(let value): value.databaseValue
                case .real(let value): value.databaseValue
                case .text(let value): value.databaseValue
                case .blob(let bytes): Data(bytes).databaseValue
                case .date(let date): date.databaseValue
                }
            })
    }

    private static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let value): .integer(value)
        case .double(let value): .real(value)
        case .string(let value): .text(value)
        case .blob(let data): .blob(Array(data))
        }
    }
}
