import ClientPassTestSupport
import Foundation
import GRDB
import Testing
@testable import ClientPassCore

@Suite struct SQLiteStoreTests {
    @Test func aNewStoreHasTheWholeSchemaAndBlocksThirdPartyClients() throws {
        let folder = try TemporaryFolder()
        let store = try SQLiteStore.create(at: folder.file("store.sqlite"), by: .admin(osUser: "test"))
        let tables = try store.writer.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        }
        #expect(
            tables == [
                "account", "app_password", "audit_event", "credential_address", "department", "directory_settings", "domain_policy",
                "enforcement_account", "enforcement_department", "enforcement_exception", "first_party_host", "grdb_migrations",
                "login_failure", "page_session", "secure_network", "setup_link", "store_meta",
            ])
        #expect(try store.policy() == DomainPolicy(thirdPartyClients: .blocked, enforcement: .off, maximumAppPasswords: 25, throttling: .standard))
        let settings = try store.writer.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int32.fetchOne(db, sql: "PRAGMA application_id")
            )
        }
        #expect(settings.0 == "wal")
        #expect(settings.1 == 1)
        #expect(settings.2 == SQLiteStore.applicationID)
        #expect(try store.auditEvents(account: nil, since: nil, limit: 10).map(\.kind) == [.storeInitialized])
    }

    @Test func theStoreAndItsNewFolderArePrivate() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("new/clientpass.sqlite")
        _ = try SQLiteStore.create(at: path, by: .admin(osUser: "test"))
        #expect(try mode(of: path) == 0o600)
        #expect(try mode(of: folder.file("new")) == 0o700)
        // SQLite gives its -wal and -shm files the store's own mode.
        let store = try SQLiteStore(openingAt: path)
        _ = try store.addDepartment(DepartmentName(validating: "Sales"), by: .admin(osUser: "test"), at: Date())
        #expect(try mode(of: path + "-wal") == 0o600)
    }

    @Test func aGroupStoreIsGroupReadableAndWritable() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("shared/clientpass.sqlite")
        _ = try SQLiteStore.create(at: path, group: "mail", by: .admin(osUser: "test"))
        #expect(try mode(of: path) == 0o660)
        #expect(try mode(of: folder.file("shared")) == 0o2770)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.groupOwnerAccountName] as? String == "mail")
    }

    /// Folders made above the store's own are 0755, as `mkdir -p` makes them: the store's group
    /// (a mail server's) passes through them; the store's folder stays the group's alone.
    @Test func missingParentsLetTheGroupThrough() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("srv/mail/clientpass/clientpass.sqlite")
        _ = try SQLiteStore.create(at: path, group: "mail", by: .admin(osUser: "test"))
        #expect(try mode(of: folder.file("srv")) == 0o755 && mode(of: folder.file("srv/mail")) == 0o755)
        #expect(try mode(of: folder.file("srv/mail/clientpass")) == 0o2770)
        // A failure removes every folder it made.
        let refused = folder.file("a/b/c/clientpass.sqlite")
        #expect(throws: InputError.self) { try SQLiteStore.create(at: refused, group: "no-such-group-here", by: .admin(osUser: "test")) }
        #expect(!FileManager.default.fileExists(atPath: folder.file("a")))
    }

    @Test func anUnknownGroupChangesNothing() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("x/clientpass.sqlite")
        #expect(throws: InputError.self) { try SQLiteStore.create(at: path, group: "no-such-group-here", by: .admin(osUser: "test")) }
        #expect(!FileManager.default.fileExists(atPath: folder.file("x")))
    }

    @Test func initRefusesToOverwriteAStore() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let store = try SQLiteStore.create(at: path, by: .admin(osUser: "test"))
        _ = try store.addDepartment(DepartmentName(validating: "Sales"), by: .admin(osUser: "test"), at: Date())
        #expect { try SQLiteStore.create(at: path, by: .admin(osUser: "test")) } throws: { ($0 as? StoreError)?.kind == .exists }
        #expect(try SQLiteStore(openingAt: path).departments().map(\.name) == ["Sales"])
    }

    @Test func aMissingStoreIsNotCreatedByOpening() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        #expect { try SQLiteStore(openingAt: path) } throws: { error in
            // What happened, and the file: the command to run is the edge's to say.
            (error as? StoreError)?.kind == .missing && (error as? StoreError)?.file == .store(path) && !"\(error)".contains("clientpass admin")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func otherFilesAreNotStores() throws {
        let folder = try TemporaryFolder()
        let text = folder.file("notes.txt")
        try Data("hello, this is not a database at all, just some text.".utf8).write(to: URL(fileURLWithPath: text))
        #expect { try SQLiteStore(openingAt: text) } throws: { ($0 as? StoreError)?.kind == .notAStore }
        let other = folder.file("other.sqlite")
        try DatabaseQueue(path: other).write { db in try db.execute(sql: "CREATE TABLE t (x)") }
        #expect { try SQLiteStore(openingAt: other) } throws: { ($0 as? StoreError)?.kind == .notAStore }
        let empty = folder.file("empty.sqlite")
        _ = FileManager.default.createFile(atPath: empty, contents: nil)
        #expect { try SQLiteStore(openingAt: empty) } throws: { ($0 as? StoreError)?.kind == .notAStore }
    }

    @Test func aStoreFromANewerClientpassIsRefusedAndLeftAlone() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        let store = try SQLiteStore.create(at: path, by: .admin(osUser: "test"))
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('2099-01-01 from the future')")
        }
        #expect { try SQLiteStore(openingAt: path) } throws: { error in
            (error as? StoreError)?.kind == .tooNew && "\(error)".contains("2099-01-01 from the future") && "\(error)".contains("upgrade clientpass")
        }
        let migrations = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations.contains("2099-01-01 from the future"))
    }

    /// A store written by each earlier schema opens with this version, is migrated forward, and
    /// keeps its rows.
    @Test func storesOfEveryEarlierSchemaMigrateForward() throws {
        let migrator = SQLiteStore.migrator
        for migration in migrator.migrations {
            let folder = try TemporaryFolder()
            let path = folder.file("clientpass.sqlite")
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in try db.execute(sql: "PRAGMA application_id = \(SQLiteStore.applicationID)") }
            try migrator.migrate(queue, upTo: migration)
            try queue.write { db in
                try db.execute(sql: "INSERT INTO store_meta (id, selector_key, created_at) VALUES (1, zeroblob(32), '2026-11-29 00:00:00.000')")
                try db.execute(sql: "INSERT INTO domain_policy (id, updated_at) VALUES (1, '2026-11-29 00:00:00.000')")
                try db.execute(
                    sql: """
                        INSERT INTO account (name, name_key, mailbox_password_hash, created_at, updated_at)
                        VALUES ('alice', 'alice', '$argon2id$v=19$m=8,t=1,p=1$x$y', '2026-11-29 00:00:00.000', '2026-11-29 00:00:00.000')
                        """)
            }
            try queue.close()
            let store = try SQLiteStore(openingAt: path)
            let applied = try store.writer.read { db in try migrator.appliedMigrations(db) }
            #expect(applied == migrator.migrations)
            #expect(try store.account(named: AccountName(validating: "ALICE"))?.name == "alice")
            #expect(try store.writer.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
            // A store from before the hashing setting hashes with the built-in parameters until
            // an administrator (or serve, from 0.13's configuration file) sets them.
            #expect(try store.policy().hashing == .standard)
        }
    }

    /// Anyone who can write the folder could replace the store or plant its -wal file: init
    /// refuses a world-writable folder, sticky or not, and says how to fix it.
    @Test(arguments: [0o777, 0o1777])
    func initRefusesAWorldWritableFolder(mode: Int) throws {
        let folder = try TemporaryFolder()
        let shared = folder.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, mode_t(mode))
        let path = shared + "/clientpass.sqlite"
        #expect {
            _ = try SQLiteStore.create(at: path, by: .admin(osUser: "t"))
        } throws: { error in
            "\(error)".contains("writable by every user") && "\(error)".contains("chmod o-w \(shared)")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        chmod(shared, 0o755)
        _ = try SQLiteStore.create(at: path, by: .admin(osUser: "t"))
    }

    /// An IPv4-mapped network stored before such networks were refused still opens and decides
    /// as it always did: it matches nothing.
    @Test func anOldIPv4MappedNetworkStillOpensAndMatchesNothing() async throws {
        let fixture = try DecisionFixture()
        try await fixture.sqlite.writer.write { db in
            try db.execute(sql: "INSERT INTO secure_network (network, note, created_at) VALUES ('::ffff:10.0.1.0/120', '', '2026-11-29 00:00:00.000')")
        }
        #expect(try fixture.store.secureNetworks().map(\.network.description) == ["::ffff:10.0.1.0/120"])
        #expect(try await fixture.decide(secret: alicePassword, from: "10.0.1.5").reason == .thirdPartyBlocked)
    }

    /// Root writes a read-only file anyway: as root this is skipped, and reported so; the CLI
    /// test runs the same check as another user.
    @Test(.enabled(if: geteuid() != 0, "root can write a read-only file"))
    func aReadOnlyStoreSaysSo() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("clientpass.sqlite")
        _ = try SQLiteStore.create(at: path, by: .admin(osUser: "test"))
        chmod(path, 0o400)
        #expect { try SQLiteStore(openingAt: path) } throws: { ($0 as? StoreError)?.kind == .notWritable }
    }
}
