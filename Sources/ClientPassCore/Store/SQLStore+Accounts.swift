import Foundation

extension SQLStore {
    // MARK: Reading

    static var accountSelect: String { """
        SELECT account.*, department.name AS department_name
        FROM account LEFT JOIN department ON department.id = account.department_id
        """ }

    public func account(named name: AccountName) throws -> Account? {
        try read { db in try Self.account(keyed: name.key, in: db) }
    }

    public func accounts(inDepartment department: DepartmentName?) throws -> [Account] {
        try read { db in
            let rows: [SQLRow]
            if let department {
                guard try db.one(Int64.self, "SELECT id FROM department WHERE name_key = ?", [department.key]) != nil else {
                    throw AccountError.unknownDepartment(department.value, suggestion: try Self.closestDepartment(to: department.value, in: db))
                }
                rows = try db.rows(Self.accountSelect + " WHERE department.name_key = ? ORDER BY account.name_key",
                                        [department.key])
            } else {
                rows = try db.rows(Self.accountSelect + " ORDER BY account.name_key")
            }
            return rows.map(Self.account(from:))
        }
    }

    public func departments() throws -> [Department] {
        try read(Self.departments(in:))
    }

    static func departments(in db: any SQLDatabase) throws -> [Department] {
        try db.rows("""
            SELECT department.*, (SELECT COUNT(*) FROM account WHERE account.department_id = department.id) AS account_count
            FROM department ORDER BY name_key
            """).map(Self.department(from:))
    }

    public func appPasswords(ofAccount accountID: Int64) throws -> [AppPassword] {
        try read { db in
            try db.rows("SELECT * FROM app_password WHERE account_id = ? ORDER BY id", [accountID])
                .map(Self.appPassword(from:))
        }
    }

    public func appPasswordCounts() throws -> [Int64: Int] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try db.rows("SELECT account_id, COUNT(*) AS n FROM app_password GROUP BY account_id")
                .map { ($0["account_id"] as Int64, $0["n"] as Int) })
        }
    }

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

    public func selectorKey() throws -> SelectorKey {
        try read(Self.selectorKey(in:))
    }

    static func selectorKey(in db: any SQLDatabase) throws -> SelectorKey {
        guard let key = try db.one(Data.self, "SELECT selector_key FROM store_meta WHERE id = 1") else {
            throw StoreError.corrupt("the selector key is missing")
        }
        return try SelectorKey(bytes: Array(key))
    }

    public func auditEvents(account: String?, since: Date?, limit: Int) throws -> [AuditEvent] {
        try read { db in
            var conditions: [String] = []
            var arguments: SQLArguments = []
            if let account {
                conditions.append("account = ?")
                arguments.append(account)
            }
            if let since {
                conditions.append("at >= ?")
                arguments.append(since)
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            arguments.append(limit)
            return try db.rows("SELECT * FROM audit_event\(filter) ORDER BY id DESC LIMIT ?", arguments)
                .map { try Self.auditEvent(from: $0) }
        }
    }

    // MARK: Changing

    public func addDepartment(_ name: DepartmentName, by actor: AuditActor, at date: Date) throws -> Department {
        try write { db in
            if let existing = try db.one(String.self, "SELECT name FROM department WHERE name_key = ?", [name.key]) {
                throw AccountError(.departmentExists, "a department named \(Quoted(existing)) already exists; nothing was changed", name: existing)
            }
            let id = try db.insert("INSERT INTO department (name, name_key, created_at) VALUES (?, ?, ?)", [name.value, name.key, date])
            try Self.insert(AuditEvent(at: date, kind: .departmentAdded, actor: actor, subject: .department(name.value)), in: db)
            return Department(id: id, name: name.value, accountCount: 0, createdAt: date)
        }
    }

    public func removeDepartment(_ name: DepartmentName, by actor: AuditActor, at date: Date) throws {
        try write { db in
            guard let row = try db.row("SELECT id, name FROM department WHERE name_key = ?", [name.key]) else {
                throw AccountError.unknownDepartment(name.value, suggestion: try Self.closestDepartment(to: name.value, in: db))
            }
            let id: Int64 = row["id"]
            let canonical: String = row["name"]
            let members = try db.one(Int.self, "SELECT COUNT(*) FROM account WHERE department_id = ?", [id]) ?? 0
            if members > 0 {
                throw AccountError(.departmentInUse, "department \(Quoted(canonical)) still has \(members) account\(members == 1 ? "" : "s"); nothing was changed",
                                     name: canonical, members: members)
            }
            if try db.one(Bool.self, "SELECT EXISTS (SELECT 1 FROM enforcement_department WHERE department_id = ?)", [id]) == true {
                throw AccountError(.departmentInUse, "department \(Quoted(canonical)) is in the secure-password enforcement scope; take it out of the scope first; nothing was changed",
                                     name: canonical)
            }
            try db.execute("DELETE FROM department WHERE id = ?", [id])
            try Self.insert(AuditEvent(at: date, kind: .departmentRemoved, actor: actor, subject: .department(canonical)), in: db)
        }
    }

    public func addAccount(_ account: NewAccount, by actor: AuditActor, at date: Date) throws -> Account {
        try write { db in
            if let existing = try db.one(String.self, "SELECT name FROM account WHERE name_key = ?", [account.name.key]) {
                throw AccountError(.accountExists, "an account named \(Quoted(existing)) already exists; nothing was changed", name: existing)
            }
            var departmentID: Int64?
            if let department = account.department {
                guard let id = try db.one(Int64.self, "SELECT id FROM department WHERE name_key = ?", [department.key]) else {
                    throw AccountError.unknownDepartment(department.value, suggestion: try Self.closestDepartment(to: department.value, in: db))
                }
                departmentID = id
            }
            return try Self.insertAccount(account, departmentID: departmentID,
                                          audit: AuditEvent(at: date, kind: .accountAdded, actor: actor, account: account.name.value,
                                                            subject: account.department.map { .department($0.value) }), in: db)
        }
    }

    /// The department's id; a department that does not exist yet is made, and audited with
    /// `context` (an import, a directory sync). - Returns: the id, and whether it was made.
    static func departmentID(findingOrCreating name: DepartmentName, context: AuditEvent.Context, by actor: AuditActor, at date: Date,
                             in db: any SQLDatabase) throws -> (id: Int64, created: Bool) {
        if let id = try db.one(Int64.self, "SELECT id FROM department WHERE name_key = ?", [name.key]) { return (id, false) }
        let id = try db.insert("INSERT INTO department (name, name_key, created_at) VALUES (?, ?, ?)", [name.value, name.key, date])
        try insert(AuditEvent(at: date, kind: .departmentAdded, actor: actor, subject: .department(name.value), context: context), in: db)
        return (id, true)
    }

    /// Inserts a new account (the caller checked its name and department) with its audit entry.
    static func insertAccount(_ account: NewAccount, departmentID: Int64?, audit: AuditEvent, in db: any SQLDatabase) throws -> Account {
        let id = try db.insert("""
            INSERT INTO account (name, name_key, department_id, mailbox_password_hash, imap, pop3, smtp, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [account.name.value, account.name.key, departmentID, account.mailboxPasswordHash,
                             account.services.imap, account.services.pop3, account.services.smtp, audit.at, audit.at])
        try insert(audit, in: db)
        guard let row = try db.row(accountSelect + " WHERE account.id = ?", [id]) else {
            throw StoreError.corrupt("a new account vanished")
        }
        return Self.account(from: row)
    }

    public func importAccounts(_ accounts: [NewAccount], by actor: AuditActor, at date: Date) throws -> ImportedAccounts {
        try write { db in
            var createdDepartments: [String] = []
            var seen = Set<String>()
            var imported: [Account] = []
            for account in accounts {
                guard seen.insert(account.name.key).inserted else {
                    throw AccountError(.accountExists, "\(Quoted(account.name.value)) is named twice in the import; nothing was imported", name: account.name.value)
                }
                if let existing = try db.one(String.self, "SELECT name FROM account WHERE name_key = ?", [account.name.key]) {
                    throw AccountError(.accountExists, "an account named \(Quoted(existing)) already exists; nothing was imported", name: existing)
                }
                var departmentID: Int64?
                if let department = account.department {
                    let found = try Self.departmentID(findingOrCreating: department, context: .import, by: actor, at: date, in: db)
                    if found.created { createdDepartments.append(department.value) }
                    departmentID = found.id
                }
                let scheme = MailboxPasswordHasher.schemeName(account.mailboxPasswordHash)
                imported.append(try Self.insertAccount(account, departmentID: departmentID,
                                                       audit: AuditEvent(at: date, kind: .accountAdded, actor: actor, account: account.name.value,
                                                                         subject: account.department.map { .department($0.value) },
                                                                         new: .record([.init("mailbox_password_scheme", .text(scheme))]),
                                                                         context: .import), in: db))
            }
            return ImportedAccounts(accounts: imported, createdDepartments: createdDepartments)
        }
    }

    public func removeAccount(_ name: AccountName, by actor: AuditActor, at date: Date) throws -> Int {
        try write { db in
            guard let account = try Self.account(keyed: name.key, in: db) else {
                throw AccountError.unknownAccount(name.value, suggestion: try Self.closestAccount(to: name.value, in: db))
            }
            let passwords = try db.one(Int.self, "SELECT COUNT(*) FROM app_password WHERE account_id = ?", [account.id]) ?? 0
            try db.execute("DELETE FROM account WHERE id = ?", [account.id])
            try Self.insert(AuditEvent(at: date, kind: .accountRemoved, actor: actor, account: account.name,
                                       old: .record([.init("app_passwords", .number(passwords))])), in: db)
            return passwords
        }
    }

    public func addAppPassword(_ password: NewAppPassword, toAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> AppPassword {
        try write { db in
            let account = try Self.existingAccount(accountID, in: db)
            return try Self.insertAppPassword(password, for: account, by: actor, at: date, in: db)
        }
    }

    public func addDevicePassword(_ password: NewAppPassword, toAccount accountID: Int64, byHelpDeskMember memberID: Int64, at date: Date) throws -> AppPassword {
        try write { db in
            // Membership is checked in the transaction that issues: taking someone out of the
            // help desk stops any issue not yet written.
            let member = try Self.existingAccount(memberID, in: db)
            guard member.isHelpDesk, member.status == .active else {
                throw CredentialError(.notHelpDesk, "\(member.name) is not a member of the help desk; nothing was created", account: member.name)
            }
            let account = try Self.existingAccount(accountID, in: db)
            return try Self.insertAppPassword(password, for: account, by: .account(member.name), context: .helpDesk, at: date, in: db)
        }
    }

    /// Inserts an app password under the account's next id, within the per-account cap.
    static func insertAppPassword(_ password: NewAppPassword, for account: Account, by actor: AuditActor, context: AuditEvent.Context? = nil,
                                  at date: Date, in db: any SQLDatabase) throws -> AppPassword {
        let count = try db.one(Int.self, "SELECT COUNT(*) FROM app_password WHERE account_id = ?", [account.id]) ?? 0
        let maximum = try db.one(Int.self, "SELECT max_app_passwords FROM domain_policy WHERE id = 1") ?? 25
        guard count < maximum else {
            throw CredentialError.limitReached(account.name, count: count)
        }
        if try db.one(Bool.self, "SELECT EXISTS (SELECT 1 FROM app_password WHERE account_id = ? AND selector = ?)",
                             [account.id, password.selector]) == true {
            throw SelectorCollision()
        }
        let id = try db.one(Int.self, "SELECT next_app_password_id FROM account WHERE id = ?", [account.id]) ?? 1
        let limits = password.limits
        try db.execute("""
            INSERT INTO app_password (account_id, id, label, selector, hash, protocols, networks, expires_at, issued_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [account.id, id, password.label.value, password.selector, password.hash,
                             limits.protocols.sorted().map(\.rawValue).joined(separator: ","),
                             limits.networks.map(\.description).joined(separator: ","),
                             limits.expiresAt, actor.description, date])
        try db.execute("UPDATE account SET next_app_password_id = ?, updated_at = ? WHERE id = ?", [id + 1, date, account.id])
        try insert(AuditEvent(at: date, kind: .appPasswordCreated, actor: actor, account: account.name,
                              subject: .appPassword(id: id, label: password.label.value), new: .limits(limits), context: context), in: db)
        return try appPassword(id, of: account.id, in: db)
    }

    public func relabelAppPassword(_ id: Int, ofAccount accountID: Int64, to label: Label, by actor: AuditActor, at date: Date) throws -> AppPassword {
        try write { db in
            let account = try Self.existingAccount(accountID, in: db)
            let old = try Self.existingAppPassword(id, of: account, in: db)
            try db.execute("UPDATE app_password SET label = ? WHERE account_id = ? AND id = ?", [label.value, accountID, id])
            try Self.insert(AuditEvent(at: date, kind: .appPasswordRelabeled, actor: actor, account: account.name,
                                       subject: .appPassword(id: id, label: label.value), old: .text(old.label), new: .text(label.value)), in: db)
            return try Self.appPassword(id, of: accountID, in: db)
        }
    }

    public func revokeAppPassword(_ id: Int, ofAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> AppPassword {
        try write { db in
            let account = try Self.existingAccount(accountID, in: db)
            let password = try Self.existingAppPassword(id, of: account, in: db)
            try db.execute("DELETE FROM app_password WHERE account_id = ? AND id = ?", [accountID, id])
            try db.execute("DELETE FROM credential_address WHERE account_id = ? AND credential_id = ?", [accountID, id])
            try Self.insert(AuditEvent(at: date, kind: .appPasswordRevoked, actor: actor, account: account.name,
                                       subject: .appPassword(id: id, label: password.label)), in: db)
            return password
        }
    }

    public func revokeAllAppPasswords(ofAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> [AppPassword] {
        try write { db in
            let account = try Self.existingAccount(accountID, in: db)
            let passwords = try db.rows("SELECT * FROM app_password WHERE account_id = ? ORDER BY id", [accountID])
                .map(Self.appPassword(from:))
            try db.execute("DELETE FROM app_password WHERE account_id = ?", [accountID])
            try db.execute("DELETE FROM credential_address WHERE account_id = ? AND credential_id > 0", [accountID])
            for password in passwords {
                try Self.insert(AuditEvent(at: date, kind: .appPasswordRevoked, actor: actor, account: account.name,
                                           subject: .appPassword(id: password.id, label: password.label), context: .revokeAll), in: db)
            }
            return passwords
        }
    }

    public func record(_ event: AuditEvent) throws {
        try write { db in try Self.insert(event, in: db) }
    }

    // MARK: Rows

    static func account(keyed key: String, in db: any SQLDatabase) throws -> Account? {
        try db.row(accountSelect + " WHERE account.name_key = ?", [key]).map(account(from:))
    }

    static func existingAccount(_ id: Int64, in db: any SQLDatabase) throws -> Account {
        guard let row = try db.row(accountSelect + " WHERE account.id = ?", [id]) else {
            throw AccountError(.unknownAccount, "the account was removed while this command ran; nothing was changed")
        }
        return account(from: row)
    }

    static func existingAppPassword(_ id: Int, of account: Account, in db: any SQLDatabase) throws -> AppPassword {
        guard let row = try db.row("SELECT * FROM app_password WHERE account_id = ? AND id = ?", [account.id, id]) else {
            let ids = try db.all(Int.self, "SELECT id FROM app_password WHERE account_id = ? ORDER BY id", [account.id])
            throw CredentialError.unknownAppPassword(id, of: account.name, existing: ids)
        }
        return try appPassword(from: row)
    }

    static func appPassword(_ id: Int, of accountID: Int64, in db: any SQLDatabase) throws -> AppPassword {
        guard let row = try db.row("SELECT * FROM app_password WHERE account_id = ? AND id = ?", [accountID, id]) else {
            throw StoreError.corrupt("app password \(id) vanished inside its transaction")
        }
        return try appPassword(from: row)
    }

    static func account(from row: SQLRow) -> Account {
        let lastUsedAt: Date? = row["mailbox_last_used_at"]
        let lastProtocol: String? = row["mailbox_last_used_protocol"]
        return Account(id: row["id"], name: row["name"], departmentID: row["department_id"], department: row["department_name"],
                       status: Account.Status(rawValue: row["status"]) ?? .disabled,
                       services: Services(imap: row["imap"], pop3: row["pop3"], smtp: row["smtp"]),
                       mailboxPasswordHash: row["mailbox_password_hash"], createdAt: row["created_at"],
                       mailboxLastUsed: lastUsedAt.map { LastUse(at: $0, address: row["mailbox_last_used_address"],
                                                                 service: lastProtocol.flatMap(MailService.init(rawValue:))) },
                       isHelpDesk: row["help_desk"], directoryDN: row["directory_dn"], isDisabledByDirectory: row["disabled_by_directory"])
    }

    static func department(from row: SQLRow) -> Department {
        Department(id: row["id"], name: row["name"], accountCount: row["account_count"], createdAt: row["created_at"])
    }

    static func appPassword(from row: SQLRow) throws -> AppPassword {
        let protocolsText: String = row["protocols"]
        let networksText: String = row["networks"]
        var protocols = Set<MailService>()
        for name in protocolsText.split(separator: ",") {
            guard let service = MailService(rawValue: String(name)) else {
                throw StoreError.corrupt("an app password has an unknown protocol limit")
            }
            protocols.insert(service)
        }
        let networks = try networksText.split(separator: ",").map { try storedNetwork(String($0)) }
        let lastUsedProtocol: String? = row["last_used_protocol"]
        return AppPassword(
            accountID: row["account_id"], id: row["id"], label: row["label"],
            limits: CredentialLimits(protocols: protocols, networks: networks, expiresAt: row["expires_at"]),
            issuedBy: row["issued_by"], createdAt: row["created_at"],
            lastUsedAt: row["last_used_at"], lastUsedAddress: row["last_used_address"],
            lastUsedProtocol: lastUsedProtocol.flatMap(MailService.init(rawValue:)),
            selector: row["selector"], hash: row["hash"])
    }

    static func storedNetwork(_ text: String) throws -> IPNetwork {
        do { return try IPNetwork(parsing: text, allowingIPv4Mapped: true) } catch {
            throw StoreError.corrupt("a stored network is malformed")
        }
    }

    static func closestAccount(to name: String, in db: any SQLDatabase) throws -> String? {
        closestMatch(to: name, among: try db.all(String.self, "SELECT name FROM account"))
    }

    static func closestDepartment(to name: String, in db: any SQLDatabase) throws -> String? {
        closestMatch(to: name, among: try db.all(String.self, "SELECT name FROM department"))
    }
}

/// Two new app passwords of one account with the same selector: the caller makes a new secret.
struct SelectorCollision: Error {}
