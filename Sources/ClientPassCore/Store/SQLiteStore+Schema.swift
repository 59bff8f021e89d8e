import GRDB

extension SQLiteStore {
    /// `PRAGMA application_id` of every clientpass store ("ClPS"), so that `restore` and `open`
    /// can tell a clientpass store from any other SQLite file.
    static let applicationID: Int32 = 0x436C_5053

    /// The schema's migrations, in order. A released migration is never edited: changes come as
    /// new migrations appended here.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-29 foundation") { db in
            try db.execute(sql: foundationSchema)
        }
        migrator.registerMigration("2026-11-29 decision") { db in
            try db.execute(sql: decisionSchema)
        }
        migrator.registerMigration("2026-11-29 generation") { db in
            try db.execute(sql: generationSchema)
        }
        migrator.registerMigration("2026-11-30 account-wide throttling") { db in
            try db.execute(sql: accountWideThrottlingSchema)
        }
        migrator.registerMigration("2026-11-30 typed audit events") { db in
            try typeAuditEvents(in: db)
        }
        migrator.registerMigration("2026-11-30 first-party hosts") { db in
            try db.execute(sql: firstPartyHostsSchema)
        }
        // Accounts of the help desk, who may issue device passwords on the page.
        migrator.registerMigration("2026-11-30 help desk") { db in
            try db.execute(sql: "ALTER TABLE account ADD COLUMN help_desk INTEGER NOT NULL DEFAULT 0 CHECK (help_desk IN (0, 1))")
        }
        // Mailbox password hashes imported from a mail server (`{SHA512-CRYPT}$6$…`) until the
        // first login rehashes them.
        migrator.registerMigration("2026-11-30 imported mailbox password hashes") { db in
            try allowImportedMailboxHashes(in: db)
        }
        migrator.registerMigration("2026-11-30 directory") { db in
            try db.execute(sql: directorySchema)
        }
        migrator.registerMigration("2026-11-30 page sessions") { db in
            try db.execute(sql: pageSessionSchema)
        }
        // What the page needs to look the same from every node: the set-up links, and the key of
        // the sign-in form's token (made on first use).
        migrator.registerMigration("2026-12-07 shared page state") { db in
            try db.execute(sql: setupLinkSchema)
        }
        migrator.registerMigration("2026-12-08 hashing in the store") { db in
            for column in hashingColumns { try db.execute(sql: "ALTER TABLE domain_policy ADD COLUMN \(column)") }
        }
        return migrator
    }

    /// Migration "2026-11-30 typed audit events": the columns of a typed entry, filled for every
    /// existing entry from its sentence (``LegacyAuditEntry``). The sentence itself stays in
    /// `detail`, unchanged; where it cannot be read into fields it is also kept as the entry's
    /// note, so no renderer loses it.
    static func typeAuditEvents(in db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE audit_event ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'system'
                    CHECK (actor_kind IN ('account', 'admin', 'system'));
                ALTER TABLE audit_event ADD COLUMN subject_kind TEXT
                    CHECK (subject_kind IN ('app_password', 'mailbox_password', 'department', 'secure_network', 'first_party_host', 'setting', 'store'));
                ALTER TABLE audit_event ADD COLUMN subject_id INTEGER;
                ALTER TABLE audit_event ADD COLUMN subject_name TEXT;
                ALTER TABLE audit_event ADD COLUMN old_value TEXT;
                ALTER TABLE audit_event ADD COLUMN new_value TEXT;
                ALTER TABLE audit_event ADD COLUMN context TEXT;
                ALTER TABLE audit_event ADD COLUMN note TEXT;
                """)
        let rows = try Row.fetchAll(db, sql: "SELECT id, actor, action, detail, address, reason FROM audit_event")
        let update = try db.makeStatement(
            sql: """
                UPDATE audit_event SET actor_kind = ?, actor = ?, subject_kind = ?, subject_id = ?, subject_name = ?,
                                       reason = ?, old_value = ?, new_value = ?, context = ?, note = ?
                WHERE id = ?
                """)
        for row in rows {
            let entry = LegacyAuditEntry(
                actor: row["actor"], action: row["action"], detail: row["detail"],
                address: row["address"], reason: row["reason"])
            let actor = AuditRow.actor(entry.actor)
            let subject = AuditRow.subject(entry.subject)
            try update.execute(arguments: [
                actor.kind, actor.name, subject.kind, subject.id, subject.name,
                entry.reason?.rawValue ?? (row["reason"] as String?),
                entry.old.map(AuditRow.json), entry.new.map(AuditRow.json),
                entry.context?.rawValue, entry.note, row["id"] as Int64,
            ])
        }
    }

    /// SQLite cannot change a CHECK constraint in place: the account table is rebuilt from its
    /// own definition with the new check, its rows copied, its indexes and triggers made again
    /// (SQLite's documented procedure; the migrator runs it with foreign keys off and checks
    /// them before it commits).
    static func allowImportedMailboxHashes(in db: Database) throws {
        let oldCheck = "CHECK (mailbox_password_hash LIKE '$argon2id$%')"
        let newCheck =
            "CHECK (mailbox_password_hash LIKE '$argon2id$%' OR "
            + "(substr(mailbox_password_hash, 1, 1) = '{' AND instr(mailbox_password_hash, '}') > 2))"
        guard let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'account'"),
            definition.contains(oldCheck), definition.hasPrefix("CREATE TABLE account (")
        else {
            throw StoreError.corrupt("the account table is not the one this migration knows")
        }
        let companions = try String.fetchAll(
            db,
            sql: """
                SELECT sql FROM sqlite_master WHERE tbl_name = 'account' AND type IN ('index', 'trigger') AND sql IS NOT NULL
                """)
        let rebuilt = "CREATE TABLE account_rebuilt (" + definition.dropFirst("CREATE TABLE account (".count)
        try db.execute(sql: rebuilt.replacingOccurrences(of: oldCheck, with: newCheck))
        let before = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0
        try db.execute(sql: "INSERT INTO account_rebuilt SELECT * FROM account")
        try db.execute(sql: "DROP TABLE account")
        try db.execute(sql: "ALTER TABLE account_rebuilt RENAME TO account")
        for statement in companions {
            try db.execute(sql: statement)
        }
        guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") == before else {
            throw StoreError.corrupt("the account table lost rows while it was rebuilt")
        }
    }

    /// Directory mode: the LDAP settings (one row, as JSON; never the service account's
    /// password), and for each account the entry a sync found it in. A change of the settings can
    /// change logins, so it moves the generation.
    private static let directorySchema = """
        CREATE TABLE directory_settings (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            settings   TEXT    NOT NULL,
            updated_at TEXT    NOT NULL
        );
        CREATE TRIGGER generation_directory_settings_insert AFTER INSERT ON directory_settings
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_directory_settings_update AFTER UPDATE ON directory_settings
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_directory_settings_delete AFTER DELETE ON directory_settings
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        ALTER TABLE account ADD COLUMN directory_dn TEXT;
        ALTER TABLE account ADD COLUMN disabled_by_directory INTEGER NOT NULL DEFAULT 0 CHECK (disabled_by_directory IN (0, 1));
        """

    /// The self-service page's sessions and the API's tokens, shared by every process on the
    /// store: a digest of the token, never the token; a digest of the mailbox-password hash at
    /// sign-in.
    private static let pageSessionSchema = """
        CREATE TABLE page_session (
            digest           TEXT    PRIMARY KEY,
            kind             TEXT    NOT NULL CHECK (kind IN ('page', 'api')),
            account_id       INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            account_name     TEXT    NOT NULL,
            mailbox_digest   TEXT    NOT NULL,
            csrf_token       TEXT    NOT NULL,
            created_at       TEXT    NOT NULL,
            authenticated_at TEXT    NOT NULL,
            last_seen_at     TEXT    NOT NULL,
            notice           TEXT
        );
        CREATE INDEX page_session_account ON page_session(account_id);
        CREATE INDEX page_session_last_seen ON page_session(last_seen_at);
        """

    /// The page's one-time set-up links, shared by every process on the store: a digest of the
    /// token, never the token; the Mail profile sealed under a key only the token gives. And the
    /// key of the sign-in form's token, so that a form from one node signs in on another.
    /// Migration "2026-12-08 hashing in the store": the Argon2id parameters every process hashes
    /// with, at the floors (the built-in defaults every process used until then; a configuration
    /// file's `argon2id:` is taken into the store by the first `serve` that reads it). The store
    /// checks libsodium's limits; the floors are the administrator's command's (tests hash
    /// below them).
    package static let hashingColumns = [
        "argon2_app_iterations INTEGER NOT NULL DEFAULT 2 CHECK (argon2_app_iterations BETWEEN 1 AND 1000)",
        "argon2_app_memory_kib INTEGER NOT NULL DEFAULT 19456 CHECK (argon2_app_memory_kib BETWEEN 8 AND 4194304)",
        "argon2_mailbox_iterations INTEGER NOT NULL DEFAULT 2 CHECK (argon2_mailbox_iterations BETWEEN 1 AND 1000)",
        "argon2_mailbox_memory_kib INTEGER NOT NULL DEFAULT 65536 CHECK (argon2_mailbox_memory_kib BETWEEN 8 AND 4194304)",
    ]

    private static let setupLinkSchema = """
        CREATE TABLE setup_link (
            digest                  TEXT    PRIMARY KEY,
            account_id              INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            account_name            TEXT    NOT NULL,
            app_password_id         INTEGER NOT NULL,
            app_password_created_at TEXT    NOT NULL,
            sealed_profile          BLOB    NOT NULL,
            expires_at              TEXT    NOT NULL
        );
        CREATE INDEX setup_link_account ON setup_link(account_id);
        CREATE INDEX setup_link_expires ON setup_link(expires_at);
        ALTER TABLE store_meta ADD COLUMN form_key BLOB CHECK (form_key IS NULL OR length(form_key) = 32);
        """

    private static let foundationSchema = """
        -- One row: the store's own secrets and identity.
        CREATE TABLE store_meta (
            id           INTEGER PRIMARY KEY CHECK (id = 1),
            selector_key BLOB    NOT NULL CHECK (length(selector_key) = 32),
            created_at   TEXT    NOT NULL
        );

        -- One row: the domain policy. A new store blocks third-party clients.
        CREATE TABLE domain_policy (
            id                      INTEGER PRIMARY KEY CHECK (id = 1),
            third_party_clients     TEXT    NOT NULL DEFAULT 'blocked'
                                    CHECK (third_party_clients IN ('allowed', 'blocked')),
            enforce_secure_password TEXT    NOT NULL DEFAULT 'off'
                                    CHECK (enforce_secure_password IN ('off', 'all', 'selected')),
            max_app_passwords       INTEGER NOT NULL DEFAULT 25 CHECK (max_app_passwords BETWEEN 1 AND 1000),
            updated_at              TEXT    NOT NULL
        );

        CREATE TABLE department (
            id         INTEGER PRIMARY KEY,
            name       TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
            name_key   TEXT    NOT NULL UNIQUE,
            created_at TEXT    NOT NULL
        );

        CREATE TABLE account (
            id                    INTEGER PRIMARY KEY,
            name                  TEXT    NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 254),
            name_key              TEXT    NOT NULL UNIQUE,
            department_id         INTEGER REFERENCES department(id) ON DELETE RESTRICT,
            status                TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
            mailbox_password_hash TEXT    NOT NULL CHECK (mailbox_password_hash LIKE '$argon2id$%'),
            imap                  INTEGER NOT NULL DEFAULT 1 CHECK (imap IN (0, 1)),
            pop3                  INTEGER NOT NULL DEFAULT 1 CHECK (pop3 IN (0, 1)),
            smtp                  INTEGER NOT NULL DEFAULT 1 CHECK (smtp IN (0, 1)),
            -- App password ids are never reused within an account, so "revoke 3" never hits a newer one.
            next_app_password_id  INTEGER NOT NULL DEFAULT 1 CHECK (next_app_password_id >= 1),
            created_at            TEXT    NOT NULL,
            updated_at            TEXT    NOT NULL
        );
        CREATE INDEX account_department ON account(department_id);

        CREATE TABLE app_password (
            account_id         INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            id                 INTEGER NOT NULL CHECK (id >= 1),
            label              TEXT    NOT NULL CHECK (length(label) BETWEEN 1 AND 64),
            -- Short keyed hash of the secret: picks the one hash to check at login.
            selector           TEXT    NOT NULL CHECK (length(selector) = 12),
            hash               TEXT    NOT NULL CHECK (hash LIKE '$argon2id$%'),
            -- Limits, empty when none: comma-separated services and canonical networks.
            protocols          TEXT    NOT NULL DEFAULT '',
            networks           TEXT    NOT NULL DEFAULT '',
            expires_at         TEXT,
            issued_by          TEXT    NOT NULL,
            created_at         TEXT    NOT NULL,
            last_used_at       TEXT,
            last_used_address  TEXT,
            last_used_protocol TEXT CHECK (last_used_protocol IN ('imap', 'pop3', 'smtp')),
            PRIMARY KEY (account_id, id),
            UNIQUE (account_id, selector)
        );

        CREATE TABLE secure_network (
            id         INTEGER PRIMARY KEY,
            network    TEXT    NOT NULL UNIQUE,
            note       TEXT    NOT NULL DEFAULT '',
            created_at TEXT    NOT NULL
        );

        -- Secure-password enforcement with scope "selected": these departments and accounts.
        CREATE TABLE enforcement_department (
            department_id INTEGER PRIMARY KEY REFERENCES department(id) ON DELETE RESTRICT
        );
        CREATE TABLE enforcement_account (
            account_id INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE
        );
        -- Accounts that keep their mailbox password whatever the scope.
        CREATE TABLE enforcement_exception (
            account_id INTEGER PRIMARY KEY REFERENCES account(id) ON DELETE CASCADE,
            note       TEXT    NOT NULL DEFAULT ''
        );

        CREATE TABLE audit_event (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            at       TEXT    NOT NULL,
            actor    TEXT    NOT NULL,
            account  TEXT,
            action   TEXT    NOT NULL,
            detail   TEXT    NOT NULL DEFAULT '',
            address  TEXT,
            service  TEXT CHECK (service IN ('imap', 'pop3', 'smtp')),
            reason   TEXT
        );
        CREATE INDEX audit_event_account ON audit_event(account, at);
        CREATE INDEX audit_event_at ON audit_event(at);
        """

    private static let decisionSchema = """
        -- Throttling: failures in the window, per (account, address) and per address.
        ALTER TABLE domain_policy ADD COLUMN throttle_account_failures INTEGER NOT NULL DEFAULT 10
            CHECK (throttle_account_failures BETWEEN 1 AND 100000);
        ALTER TABLE domain_policy ADD COLUMN throttle_address_failures INTEGER NOT NULL DEFAULT 100
            CHECK (throttle_address_failures BETWEEN 1 AND 1000000);
        ALTER TABLE domain_policy ADD COLUMN throttle_window_seconds INTEGER NOT NULL DEFAULT 900
            CHECK (throttle_window_seconds BETWEEN 1 AND 604800);

        -- Last use of the mailbox password in a mail client.
        ALTER TABLE account ADD COLUMN mailbox_last_used_at TEXT;
        ALTER TABLE account ADD COLUMN mailbox_last_used_address TEXT;
        ALTER TABLE account ADD COLUMN mailbox_last_used_protocol TEXT
            CHECK (mailbox_last_used_protocol IN ('imap', 'pop3', 'smtp'));

        -- Failed logins, kept so restarts do not reset throttling; pruned past the window and capped.
        CREATE TABLE login_failure (
            id          INTEGER PRIMARY KEY,
            account_key TEXT    NOT NULL,
            address     TEXT    NOT NULL, -- an IPv4 address, or the IPv6 /64 it is in
            at          TEXT    NOT NULL
        );
        CREATE INDEX login_failure_account ON login_failure(account_key, address, at);
        CREATE INDEX login_failure_address ON login_failure(address, at);
        CREATE INDEX login_failure_at ON login_failure(at);

        -- Throttled denials are audited at most once a minute per address: this finds the last.
        CREATE INDEX audit_event_address ON audit_event(address, at) WHERE address IS NOT NULL;

        -- Addresses each credential has logged in from (0 is the mailbox password), so the first
        -- use from a new address can be audited. The most recent few per credential are kept.
        CREATE TABLE credential_address (
            account_id    INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            credential_id INTEGER NOT NULL CHECK (credential_id >= 0),
            address       TEXT    NOT NULL,
            first_used_at TEXT    NOT NULL,
            last_used_at  TEXT    NOT NULL,
            PRIMARY KEY (account_id, credential_id, address)
        );
        """

    /// Failures of one account from every address, so that guessing spread over many addresses
    /// slows down too. Failure rows are now written before the hash (a reservation) and removed
    /// again when the attempt turns out not to be a failure.
    private static let accountWideThrottlingSchema = """
        ALTER TABLE domain_policy ADD COLUMN throttle_account_wide_failures INTEGER NOT NULL DEFAULT 50
            CHECK (throttle_account_wide_failures BETWEEN 1 AND 1000000);
        CREATE INDEX login_failure_account_at ON login_failure(account_key, at);
        """

    /// Webmail and the company's app gateway: logins whose connection comes from these are
    /// first-party. A change can change logins, so it moves the generation.
    private static let firstPartyHostsSchema = """
        CREATE TABLE first_party_host (
            id         INTEGER PRIMARY KEY,
            network    TEXT    NOT NULL UNIQUE,
            note       TEXT    NOT NULL DEFAULT '',
            created_at TEXT    NOT NULL
        );
        CREATE TRIGGER generation_first_party_host_insert AFTER INSERT ON first_party_host
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_first_party_host_update AFTER UPDATE ON first_party_host
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_first_party_host_delete AFTER DELETE ON first_party_host
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        """

    /// Every change that could change a login's answer bumps `store_meta.generation`, in the
    /// same transaction, whichever process or tool makes it: `serve`'s warm path compares it
    /// before trusting a remembered verification. Triggers, not code paths, so that no writer
    /// can forget. Last use, labels, failures and audit entries leave it alone.
    private static let generationSchema = """
        ALTER TABLE store_meta ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;

        CREATE TRIGGER generation_store_meta AFTER UPDATE OF selector_key ON store_meta
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_policy AFTER UPDATE ON domain_policy
            BEGIN UPDATE store_meta SET generation = generation + 1; END;

        CREATE TRIGGER generation_department_update AFTER UPDATE ON department
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_department_delete AFTER DELETE ON department
            BEGIN UPDATE store_meta SET generation = generation + 1; END;

        CREATE TRIGGER generation_account_insert AFTER INSERT ON account
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_account_update
            AFTER UPDATE OF id, name, name_key, department_id, status, mailbox_password_hash, imap, pop3, smtp ON account
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_account_delete AFTER DELETE ON account
            BEGIN UPDATE store_meta SET generation = generation + 1; END;

        CREATE TRIGGER generation_app_password_insert AFTER INSERT ON app_password
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_app_password_update
            AFTER UPDATE OF account_id, id, selector, hash, protocols, networks, expires_at ON app_password
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_app_password_delete AFTER DELETE ON app_password
            BEGIN UPDATE store_meta SET generation = generation + 1; END;

        CREATE TRIGGER generation_secure_network_insert AFTER INSERT ON secure_network
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_secure_network_update AFTER UPDATE ON secure_network
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_secure_network_delete AFTER DELETE ON secure_network
            BEGIN UPDATE store_meta SET generation = generation + 1; END;

        CREATE TRIGGER generation_enforcement_department_insert AFTER INSERT ON enforcement_department
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_department_update AFTER UPDATE ON enforcement_department
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_department_delete AFTER DELETE ON enforcement_department
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_account_insert AFTER INSERT ON enforcement_account
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_account_update AFTER UPDATE ON enforcement_account
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_account_delete AFTER DELETE ON enforcement_account
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_exception_insert AFTER INSERT ON enforcement_exception
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_exception_update AFTER UPDATE ON enforcement_exception
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        CREATE TRIGGER generation_enforcement_exception_delete AFTER DELETE ON enforcement_exception
            BEGIN UPDATE store_meta SET generation = generation + 1; END;
        """
}
