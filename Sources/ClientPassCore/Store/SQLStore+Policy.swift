import Foundation

extension SQLStore {
    public func setThirdPartyClients(_ value: DomainPolicy.ThirdPartyClients, by actor: AuditActor, at date: Date) throws -> Bool {
        try write { db in
            let current = try db.one(String.self, "SELECT third_party_clients FROM domain_policy WHERE id = 1")
            guard current != value.rawValue else { return false }
            try db.execute("UPDATE domain_policy SET third_party_clients = ?, updated_at = ? WHERE id = 1", [value.rawValue, date])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: actor, subject: .setting(.thirdPartyClients),
                    old: current.map { .text($0) }, new: .text(value.rawValue)), in: db)
            return true
        }
    }

    public func setThrottling(_ throttling: ThrottlePolicy, by actor: AuditActor, at date: Date) throws {
        try write { db in
            let old = try Self.policy(in: db).throttling
            try db.execute(
                """
                UPDATE domain_policy SET throttle_account_failures = ?, throttle_address_failures = ?, throttle_account_wide_failures = ?,
                    throttle_window_seconds = ?, updated_at = ?
                WHERE id = 1
                """, [throttling.accountFailures, throttling.addressFailures, throttling.accountWideFailures, Int(throttling.window), date])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: actor, subject: .setting(.throttling),
                    old: .throttling(old), new: .throttling(throttling)), in: db)
        }
    }

    /// Sets the Argon2id parameters of new hashes. The floors are the administrator's command's
    /// to enforce (``PolicyManager/changeHashing(by:_:)``): tests hash cheaply.
    /// - Returns: whether they changed.
    public func setHashing(_ hashing: HashingConfiguration, by actor: AuditActor, at date: Date) throws -> Bool {
        try write { db in
            let old = try Self.policy(in: db).hashing
            guard old != hashing else { return false }
            try db.execute(
                """
                UPDATE domain_policy SET argon2_app_iterations = ?, argon2_app_memory_kib = ?, argon2_mailbox_iterations = ?,
                    argon2_mailbox_memory_kib = ?, updated_at = ?
                WHERE id = 1
                """,
                [
                    hashing.appPassword.iterations, hashing.appPassword.memoryKiB, hashing.mailboxPassword.iterations,
                    hashing.mailboxPassword.memoryKiB, date,
                ])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: actor, subject: .setting(.hashing),
                    old: .hashing(old), new: .hashing(hashing)), in: db)
            return true
        }
    }

    /// Takes a configuration file's `argon2id:` into the store, once: while the store still has
    /// the defaults and no administrator has ever set its parameters (until 0.14 `serve` alone
    /// hashed with the file's, every other process with the defaults).
    /// - Returns: whether the store took them.
    public func adoptHashing(_ hashing: HashingConfiguration, from source: String, at date: Date) throws -> Bool {
        guard hashing.appPassword.isAtLeast(.appPasswordFloor), hashing.mailboxPassword.isAtLeast(.mailboxPasswordFloor) else { return false }
        return try write { db in
            let current = try Self.policy(in: db).hashing
            guard current == .standard, hashing != current,
                try db.one(Bool.self, "SELECT EXISTS (SELECT 1 FROM audit_event WHERE subject_kind = 'setting' AND subject_name = 'hashing')") == false
            else { return false }
            try db.execute(
                """
                UPDATE domain_policy SET argon2_app_iterations = ?, argon2_app_memory_kib = ?, argon2_mailbox_iterations = ?,
                    argon2_mailbox_memory_kib = ?, updated_at = ?
                WHERE id = 1
                """,
                [
                    hashing.appPassword.iterations, hashing.appPassword.memoryKiB, hashing.mailboxPassword.iterations,
                    hashing.mailboxPassword.memoryKiB, date,
                ])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: .system, subject: .setting(.hashing),
                    old: .hashing(current), new: .hashing(hashing), note: "taken from \(source)'s argon2id"), in: db)
            return true
        }
    }

    public func addSecureNetwork(_ network: IPNetwork, note: String, by actor: AuditActor, at date: Date) throws {
        try addNetwork(network, note: note, to: .secureNetworks, by: actor, at: date)
    }

    public func removeSecureNetwork(_ network: IPNetwork, by actor: AuditActor, at date: Date) throws {
        try removeNetwork(network, from: .secureNetworks, by: actor, at: date)
    }

    public func firstPartyHosts() throws -> [FirstPartyHost] {
        try read { db in try Self.networks(.firstPartyHosts, in: db) }
    }

    public func addFirstPartyHost(_ network: IPNetwork, note: String, by actor: AuditActor, at date: Date) throws {
        try addNetwork(network, note: note, to: .firstPartyHosts, by: actor, at: date)
    }

    public func removeFirstPartyHost(_ network: IPNetwork, by actor: AuditActor, at date: Date) throws {
        try removeNetwork(network, from: .firstPartyHosts, by: actor, at: date)
    }

    private static func subject(_ list: NetworkList, _ network: IPNetwork) -> AuditEvent.Subject {
        switch list {
        case .secureNetworks: .secureNetwork(network.description)
        case .firstPartyHosts: .firstPartyHost(network.description)
        }
    }

    private func addNetwork(_ network: IPNetwork, note: String, to list: NetworkList, by actor: AuditActor, at date: Date) throws {
        try write { db in
            if try db.one(Bool.self, "SELECT EXISTS (SELECT 1 FROM \(list.rawValue) WHERE network = ?)", [network.description]) == true {
                throw PolicyError(.networkExists, "\(network) is already a \(list.itemName); nothing was changed")
            }
            try db.execute("INSERT INTO \(list.rawValue) (network, note, created_at) VALUES (?, ?, ?)", [network.description, note, date])
            try Self.insert(AuditEvent(at: date, kind: .policyChanged, actor: actor, subject: Self.subject(list, network), new: .text(note)), in: db)
        }
    }

    private func removeNetwork(_ network: IPNetwork, from list: NetworkList, by actor: AuditActor, at date: Date) throws {
        try write { db in
            guard let note = try db.one(String.self, "SELECT note FROM \(list.rawValue) WHERE network = ?", [network.description]) else {
                let existing = try db.all(String.self, "SELECT network FROM \(list.rawValue) ORDER BY id")
                throw PolicyError(
                    .unknownNetwork,
                    "\(network) is not a \(list.itemName) (\(existing.isEmpty ? "there are none" : "they are " + existing.joined(separator: ", "))); nothing was changed"
                )
            }
            try db.execute("DELETE FROM \(list.rawValue) WHERE network = ?", [network.description])
            try Self.insert(AuditEvent(at: date, kind: .policyChanged, actor: actor, subject: Self.subject(list, network), old: .text(note)), in: db)
        }
    }

    public func setEnforcement(_ setting: EnforcementSetting, by actor: AuditActor, at date: Date) throws {
        try write { db in
            let old = try Self.enforcementValue(in: db)
            let wasSelected =
                try db.one(String.self, "SELECT enforce_secure_password FROM domain_policy WHERE id = 1") == DomainPolicy.Enforcement.selected.rawValue
            func departmentID(_ department: DepartmentName) throws -> Int64 {
                guard let id = try db.one(Int64.self, "SELECT id FROM department WHERE name_key = ?", [department.key]) else {
                    throw AccountError.unknownDepartment(department.value, suggestion: try Self.closestDepartment(to: department.value, in: db))
                }
                return id
            }
            func insert(departments: [DepartmentName], accounts: [AccountName]) throws {
                for department in departments {
                    try db.execute("INSERT INTO enforcement_department (department_id) VALUES (?) ON CONFLICT DO NOTHING", [try departmentID(department)])
                }
                for name in accounts {
                    try db.execute("INSERT INTO enforcement_account (account_id) VALUES (?) ON CONFLICT DO NOTHING", [try Self.requireAccount(name, in: db).id])
                }
            }
            // A change of the selection keeps the rest of it; anything else starts afresh.
            switch setting {
            case .adding where wasSelected, .removing where wasSelected: break
            default:
                try db.execute("DELETE FROM enforcement_department")
                try db.execute("DELETE FROM enforcement_account")
            }
            let mode: DomainPolicy.Enforcement
            switch setting {
            case .off:
                mode = .off
            case .all:
                mode = .all
            case .selected(let departments, let accounts), .adding(let departments, let accounts):
                mode = .selected
                try insert(departments: departments, accounts: accounts)
            case .removing(let departments, let accounts):
                mode = .selected
                for department in departments {
                    try db.execute("DELETE FROM enforcement_department WHERE department_id = ?", [try departmentID(department)])
                }
                for name in accounts {
                    try db.execute("DELETE FROM enforcement_account WHERE account_id = ?", [try Self.requireAccount(name, in: db).id])
                }
            }
            try db.execute("UPDATE domain_policy SET enforce_secure_password = ?, updated_at = ? WHERE id = 1", [mode.rawValue, date])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: actor, subject: .setting(.enforcement),
                    old: old, new: try Self.enforcementValue(in: db)), in: db)
        }
    }

    /// Enforcement as an audit value: its mode, and for `selected` the departments and accounts.
    private static func enforcementValue(in db: any SQLDatabase) throws -> AuditEvent.Value {
        let mode = try db.one(String.self, "SELECT enforce_secure_password FROM domain_policy WHERE id = 1") ?? "off"
        guard mode == DomainPolicy.Enforcement.selected.rawValue else { return .record([.init("mode", .text(mode))]) }
        let departments = try db.all(String.self, "SELECT name FROM department JOIN enforcement_department ON department_id = department.id ORDER BY name")
        let accounts = try db.all(String.self, "SELECT name FROM account JOIN enforcement_account ON account_id = account.id ORDER BY name")
        return .record([.init("mode", .text(mode)), .init("departments", .list(departments)), .init("accounts", .list(accounts))])
    }

    public func addException(_ name: AccountName, note: String, by actor: AuditActor, at date: Date) throws {
        try write { db in
            let account = try Self.requireAccount(name, in: db)
            if try db.one(Bool.self, "SELECT EXISTS (SELECT 1 FROM enforcement_exception WHERE account_id = ?)", [account.id]) == true {
                throw PolicyError(.exceptionExists, "\(account.name) is already an exception; nothing was changed")
            }
            try db.execute("INSERT INTO enforcement_exception (account_id, note) VALUES (?, ?)", [account.id, note])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: actor, account: account.name, subject: .setting(.exception),
                    new: .text(note)), in: db)
        }
    }

    public func removeException(_ name: AccountName, by actor: AuditActor, at date: Date) throws {
        try write { db in
            let account = try Self.requireAccount(name, in: db)
            guard try db.one(Bool.self, "SELECT EXISTS (SELECT 1 FROM enforcement_exception WHERE account_id = ?)", [account.id]) == true else {
                throw PolicyError(.unknownException, "\(account.name) is not an exception; nothing was changed")
            }
            let note = try db.one(String.self, "SELECT note FROM enforcement_exception WHERE account_id = ?", [account.id]) ?? ""
            try db.execute("DELETE FROM enforcement_exception WHERE account_id = ?", [account.id])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: actor, account: account.name, subject: .setting(.exception),
                    old: .text(note)), in: db)
        }
    }

    /// The exception accounts, by name, with their notes.
    public func exceptions() throws -> [(account: String, note: String)] {
        try read(Self.exceptions(in:))
    }

    static func exceptions(in db: any SQLDatabase) throws -> [(account: String, note: String)] {
        try db.rows(
            """
            SELECT account.name, enforcement_exception.note FROM enforcement_exception
            JOIN account ON account.id = enforcement_exception.account_id ORDER BY account.name_key
            """
        ).map { ($0["name"], $0["note"]) }
    }

    /// Names of the departments and accounts a `selected` enforcement covers.
    public func enforcementSelection() throws -> (departments: [String], accounts: [String]) {
        try read { db in (try Self.enforcedDepartmentNames(in: db), try Self.enforcedAccountNames(in: db)) }
    }

    static func enforcedDepartmentNames(in db: any SQLDatabase) throws -> [String] {
        try db.all(
            String.self, "SELECT department.name FROM enforcement_department JOIN department ON department.id = department_id ORDER BY department.name_key")
    }

    static func enforcedAccountNames(in db: any SQLDatabase) throws -> [String] {
        try db.all(String.self, "SELECT account.name FROM enforcement_account JOIN account ON account.id = account_id ORDER BY account.name_key")
    }

    /// Turns services on or off for the selected accounts in one transaction.
    /// - Returns: the names of the accounts that actually changed.
    public func setServices(_ changes: [MailService: Bool], for selection: AccountSelection, by actor: AuditActor, at date: Date) throws -> [String] {
        try write { db in
            var accounts: [Account]
            switch selection {
            case .accounts(let names):
                accounts = try names.map { try Self.requireAccount($0, in: db) }
            case .department(let department):
                guard try db.one(Int64.self, "SELECT id FROM department WHERE name_key = ?", [department.key]) != nil else {
                    throw AccountError.unknownDepartment(department.value, suggestion: try Self.closestDepartment(to: department.value, in: db))
                }
                accounts = try db.rows(Self.accountSelect + " WHERE department.name_key = ?", [department.key]).map(Self.account(from:))
            case .all:
                accounts = try db.rows(Self.accountSelect).map(Self.account(from:))
            }
            var seen = Set<Int64>()
            accounts = accounts.filter { seen.insert($0.id).inserted }
            var changed: [String] = []
            for account in accounts {
                var services = account.services
                for (service, enabled) in changes { services[service] = enabled }
                guard services != account.services else { continue }
                try db.execute(
                    "UPDATE account SET imap = ?, pop3 = ?, smtp = ?, updated_at = ? WHERE id = ?",
                    [services.imap, services.pop3, services.smtp, date, account.id])
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .servicesChanged, actor: actor, account: account.name,
                        old: .services(account.services), new: .services(services)), in: db)
                changed.append(account.name)
            }
            return changed
        }
    }

    /// - Returns: whether the status changed.
    public func setStatus(_ status: Account.Status, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool {
        try write { db in
            let account = try Self.requireAccount(name, in: db)
            guard account.status != status else { return false }
            try db.execute("UPDATE account SET status = ?, disabled_by_directory = 0, updated_at = ? WHERE id = ?", [status.rawValue, date, account.id])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .accountStatusChanged, actor: actor, account: account.name,
                    old: .text(account.status.rawValue), new: .text(status.rawValue)), in: db)
            return true
        }
    }

    /// - Returns: whether the department changed.
    public func setDepartment(_ department: DepartmentName?, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool {
        try write { db in
            let account = try Self.requireAccount(name, in: db)
            var target: (id: Int64, name: String)?
            if let department {
                guard let row = try db.row("SELECT id, name FROM department WHERE name_key = ?", [department.key]) else {
                    throw AccountError.unknownDepartment(department.value, suggestion: try Self.closestDepartment(to: department.value, in: db))
                }
                target = (row["id"], row["name"])
            }
            guard account.departmentID != target?.id else { return false }
            try db.execute("UPDATE account SET department_id = ?, updated_at = ? WHERE id = ?", [target?.id, date, account.id])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .accountDepartmentChanged, actor: actor, account: account.name,
                    old: account.department.map { .text($0) }, new: target.map { .text($0.name) }), in: db)
            return true
        }
    }

    /// - Returns: whether the account's help-desk membership changed.
    public func setHelpDesk(_ isMember: Bool, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool {
        try write { db in
            let account = try Self.requireAccount(name, in: db)
            guard account.isHelpDesk != isMember else { return false }
            try db.execute("UPDATE account SET help_desk = ?, updated_at = ? WHERE id = ?", [isMember, date, account.id])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .accountHelpDeskChanged, actor: actor, account: account.name,
                    old: .text(account.isHelpDesk ? "member" : "not a member"), new: .text(isMember ? "member" : "not a member")), in: db)
            return true
        }
    }

    public func setMailboxPasswordHash(_ hash: String, of name: AccountName, by actor: AuditActor, at date: Date) throws {
        try write { db in
            let account = try Self.requireAccount(name, in: db)
            try db.execute("UPDATE account SET mailbox_password_hash = ?, updated_at = ? WHERE id = ?", [hash, date, account.id])
            try Self.insert(AuditEvent(at: date, kind: .mailboxPasswordChanged, actor: actor, account: account.name, subject: .mailboxPassword), in: db)
        }
    }

    /// Revokes every app password of the account, issues `replacement`, and optionally sets a new
    /// mailbox password, all in one transaction.
    public func reset(_ name: AccountName, replacement: NewAppPassword, mailboxPasswordHash: String?, by actor: AuditActor, at date: Date) throws -> (
        revoked: [AppPassword], issued: AppPassword
    ) {
        try write { db in
            let account = try Self.requireAccount(name, in: db)
            let revoked = try db.rows("SELECT * FROM app_password WHERE account_id = ? ORDER BY id", [account.id])
                .map(Self.appPassword(from:))
            try db.execute("DELETE FROM app_password WHERE account_id = ?", [account.id])
            try db.execute("DELETE FROM credential_address WHERE account_id = ? AND credential_id > 0", [account.id])
            for password in revoked {
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .appPasswordRevoked, actor: actor, account: account.name,
                        subject: .appPassword(id: password.id, label: password.label), context: .reset), in: db)
            }
            if let mailboxPasswordHash {
                try db.execute("UPDATE account SET mailbox_password_hash = ?, updated_at = ? WHERE id = ?", [mailboxPasswordHash, date, account.id])
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .mailboxPasswordChanged, actor: actor, account: account.name,
                        subject: .mailboxPassword, context: .reset), in: db)
            }
            let issued = try Self.insertAppPassword(replacement, for: account, by: actor, at: date, in: db)
            return (revoked, issued)
        }
    }

    static func requireAccount(_ name: AccountName, in db: any SQLDatabase) throws -> Account {
        guard let account = try account(keyed: name.key, in: db) else {
            throw AccountError.unknownAccount(name.value, suggestion: try closestAccount(to: name.value, in: db))
        }
        return account
    }
}

/// A policy change the store's contents refuse: a duplicate or unknown network or exception.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case networkExists, unknownNetwork, exceptionExists, unknownException
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

extension PolicyError: LocalizedError {
    public var errorDescription: String? { description }
}

/// ``PolicyStore``, reading.
extension SQLStore {
    public func policy() throws -> DomainPolicy {
        try read(Self.policy(in:))
    }

    public func secureNetworks() throws -> [SecureNetwork] {
        try read(Self.secureNetworks(in:))
    }

    public func enforcementScope() throws -> EnforcementScope {
        try read(Self.enforcementScope(in:))
    }

    static func secureNetworks(in db: any SQLDatabase) throws -> [SecureNetwork] {
        try networks(.secureNetworks, in: db)
    }

    static func networks(_ list: NetworkList, in db: any SQLDatabase) throws -> [SecureNetwork] {
        try db.rows("SELECT network, note FROM \(list.rawValue) ORDER BY id").map { row in
            SecureNetwork(network: try storedNetwork(row["network"]), note: row["note"])
        }
    }

    static func enforcementScope(in db: any SQLDatabase) throws -> EnforcementScope {
        EnforcementScope(
            departmentIDs: Set(try db.all(Int64.self, "SELECT department_id FROM enforcement_department")),
            accountIDs: Set(try db.all(Int64.self, "SELECT account_id FROM enforcement_account")),
            exceptionAccountIDs: Set(try db.all(Int64.self, "SELECT account_id FROM enforcement_exception")))
    }

    static func storedNetwork(_ text: String) throws -> IPNetwork {
        do { return try IPNetwork(parsing: text, allowingIPv4Mapped: true) } catch {
            throw StoreError.corrupt("a stored network is malformed")
        }
    }
}
