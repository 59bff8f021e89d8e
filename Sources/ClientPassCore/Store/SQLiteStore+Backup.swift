import Foundation
import GRDB
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a store holds, in counts: what a backup or a restore reports.
public struct StoreSummary: Sendable, Equatable {
    public let accounts: Int
    public let appPasswords: Int
    public let auditEvents: Int
    /// The schema migrations applied, oldest first.
    public let migrations: [String]
}

extension SQLiteStore {
    /// Copies the whole store into a new file with SQLite's online backup: one consistent
    /// state, while other processes go on reading and writing. The copy is written beside its
    /// final name and renamed into place only once it checks out, mode 0600.
    /// - Throws: ``StoreError`` when `path` exists or cannot be written; nothing is left behind.
    public func backup(to path: String, by actor: AuditActor, at date: Date) throws -> StoreSummary {
        if FileManager.default.fileExists(atPath: path) {
            throw StoreError(.exists, "\(path) already exists; nothing was written (choose a new name, or remove it first)", file: .backup(path))
        }
        let folder = (path as NSString).deletingLastPathComponent
        let partial = (folder.isEmpty ? "." : folder) + "/.\((path as NSString).lastPathComponent).partial-\(UUID().uuidString)"
        let descriptor = open(partial, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(.unavailable, "cannot write a backup at \(path): \(String(cString: strerror(errno)))")
        }
        close(descriptor)
        var renamed = false
        defer {
            if !renamed { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(partial + suffix) } }
        }
        let summary: StoreSummary
        do {
            let copy = try DatabaseQueue(path: partial)
            try writer.backup(to: copy)
            // The copy is a rollback-journal file on its own, so that one file is the whole backup.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            summary = try Self.check(copy, path: path)
            try copy.close()
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.translate(error, path: path)
        }
        guard rename(partial, path) == 0 else {
            throw StoreError(.unavailable, "cannot move the backup into place at \(path): \(String(cString: strerror(errno)))")
        }
        renamed = true
        try write { db in
            try Self.insert(
                AuditEvent(
                    at: date, kind: .storeBackedUp, actor: actor, subject: .store(path: path),
                    new: .inventory(accounts: summary.accounts, appPasswords: summary.appPasswords)), in: db)
        }
        return summary
    }

    /// Checks that a file is a clientpass store this version can use, undamaged, without
    /// changing it.
    /// - Throws: ``StoreError`` (`missing`, `notAStore`, `tooNew`, `corrupt`).
    public static func inspect(backupAt path: String) throws -> StoreSummary {
        var info = stat()
        guard stat(path, &info) == 0 else { throw StoreError(.missing, "no backup at \(path)", file: .backup(path)) }
        // The store's own message sends people to --store; here the file is the backup.
        let notABackup = StoreError.notABackup(path)
        guard info.st_mode & S_IFMT == S_IFREG else { throw notABackup }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            return try check(try DatabaseQueue(path: path, configuration: configuration), path: path)
        } catch let error as StoreError {
            throw error.kind == .notAStore ? notABackup : error
        } catch {
            let translated = translate(error, path: path)
            throw (translated as? StoreError)?.kind == .notAStore ? notABackup : translated
        }
    }

    /// Replaces the whole store with a backup, in one step other processes see at once (SQLite's
    /// backup into the live store), after checking the backup; then brings its schema up to
    /// date. The generation moves past both stores', so running servers drop what they
    /// remembered. The backup's file is not changed.
    /// - Returns: what the store held before, and what it holds now.
    public func restore(from path: String, by actor: AuditActor, at date: Date) throws -> (replaced: StoreSummary, restored: StoreSummary) {
        let restored = try Self.inspect(backupAt: path)
        do {
            let (replaced, generation) = try writer.read { db in (try Self.summary(db), try Self.generation(in: SQLiteDatabase(db))) }
            var configuration = Configuration()
            configuration.readonly = true
            let source = try DatabaseQueue(path: path, configuration: configuration)
            try source.backup(to: writer)
            try source.close()
            try Self.prepare(writer, path: self.path)
            try write { db in
                try db.execute("UPDATE store_meta SET generation = MAX(generation, ?) + 1 WHERE id = 1", [generation])
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .storeRestored, actor: actor, subject: .store(path: path),
                        old: .inventory(accounts: replaced.accounts, appPasswords: replaced.appPasswords),
                        new: .inventory(accounts: restored.accounts, appPasswords: restored.appPasswords)), in: db)
            }
            return (replaced, try writer.read(Self.summary))
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.translate(error, path: self.path)
        }
    }

    /// Application id, integrity, and a schema this version knows.
    private static func check(_ database: DatabaseQueue, path: String) throws -> StoreSummary {
        try database.read { db in
            guard try Int32.fetchOne(db, sql: "PRAGMA application_id") == applicationID,
                try db.tableExists("grdb_migrations"), try db.tableExists("store_meta")
            else {
                throw StoreError.notAStore(path)
            }
            let known = Set(migrator.migrations)
            let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else { throw StoreError.tooNew(path, unknown: unknown) }
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard integrity == ["ok"] else {
                throw StoreError(.corrupt, "\(path) is damaged: \(integrity.prefix(3).joined(separator: "; "))")
            }
            let violations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            guard violations.isEmpty else {
                throw StoreError(.corrupt, "\(path) is damaged: \(violations.count) rows refer to rows that do not exist")
            }
            return try summary(db)
        }
    }

    private static func summary(_ db: Database) throws -> StoreSummary {
        StoreSummary(
            accounts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0,
            appPasswords: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM app_password") ?? 0,
            auditEvents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_event") ?? 0,
            migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"))
    }
}
