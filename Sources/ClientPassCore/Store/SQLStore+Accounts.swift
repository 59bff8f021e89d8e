import Foundation

/// ``AccountStore``: accounts and departments.
extension SQLStore {
    static var accountSelect: String {
        """
        SELECT account.*, department.name AS department_name
        FROM account LEFT JOIN department ON department.id = account.department_id
        """
    }

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
                rows = try db.rows(
                    Self.accountSelect + " WHERE department.name_key = ? ORDER BY account.name_key",
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
        try db.rows(
            """
            SELECT department.*, (SELECT COUNT(*) FROM account WHERE account.department_id = department.id) AS account_count
            FROM department ORDER BY name_key
            """
        ).map(Self.department(from:))
    }

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
                throw AccountError(
                    .departmentInUse, "department \(Quoted(canonical)) still has \(members) account\(members == 1 ? "" : "s"); nothing was changed",
                    name: canonical, members: members)
            }
            if try db.one(Bool.self, "SELECT EXISTS (SELECT 1 FROM enforcement_department WHERE department_id = ?)", [id]) == true {
                throw AccountError(
                    .departmentInUse,
                    "department \(Quoted(canonical)) is in the secure-password enforcement scope; take it out of the scope first; nothing was changed",
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
            return try Self.insertAccount(
                account, departmentID: departmentID,
                audit: AuditEvent(
                    at: date, kind: .accountAdded, actor: actor, account: account.name.value,
                    subject: account.department.map { .department($0.value) }), in: db)
        }
    }

    /// The department's id; a department that does not exist yet is made, and audited with
    /// `context` (an import, a directory sync). - Returns: the id, and whether it was made.
    static func departmentID(
        findingOrCreating name: DepartmentName, context: AuditEvent.Context, by actor: AuditActor, at date: Date,
        in db: any SQLDatabase
    ) throws -> (id: Int64, created: Bool) {
        if let id = try db.one(Int64.self, "SELECT id FROM department WHERE name_key = ?", [name.key]) { return (id, false) }
        let id = try db.insert("INSERT INTO department (name, name_key, created_at) VALUES (?, ?, ?)", [name.value, name.key, date])
        try insert(AuditEvent(at: date, kind: .departmentAdded, actor: actor, subject: .department(name.value), context: context), in: db)
        return (id, true)
    }

    /// Inserts a new account (the caller checked its name and department) with its audit entry.
    static func insertAccount(_ account: NewAccount, departmentID: Int64?, audit: AuditEvent, in db: any SQLDatabase) throws -> Account {
        let id = try db.insert(
            """
            INSERT INTO account (name, name_key, department_id, mailbox_password_hash, imap, pop3, smtp, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                account.name.value, account.name.key, departmentID, account.mailboxPasswordHash,
                account.services.imap, account.services.pop3, account.services.smtp, audit.at, audit.at,
            ])
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
                    throw AccountError(
                        .accountExists, "\(Quoted(account.name.value)) is named twice in the import; nothing was imported", name: account.name.value)
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
                imported.append(
                    try Self.insertAccount(
                        account, departmentID: departmentID,
                        audit: AuditEvent(
                            at: date, kind: .accountAdded, actor: actor, account: account.name.value,
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
            try Self.insert(
                AuditEvent(
                    at: date, kind: .accountRemoved, actor: actor, account: account.name,
                    old: .record([.init("app_passwords", .number(passwords))])), in: db)
            return passwords
        }
    }

    static func account(keyed key: String, in db: any SQLDatabase) throws -> Account? {
        try db.row(accountSelect + " WHERE account.name_key = ?", [key]).map(account(from:))
    }

    static func existingAccount(_ id: Int64, in db: any SQLDatabase) throws -> Account {
        guard let row = try db.row(accountSelect + " WHERE account.id = ?", [id]) else {
            throw AccountError(.unknownAccount, "the account was removed while this command ran; nothing was changed")
        }
        return account(from: row)
    }

    static func account(from row: SQLRow) -> Account {
        let lastUsedAt: Date? = row["mailbox_last_used_at"]
        let lastProtocol: String? = row["mailbox_last_used_protocol"]
        return Account(
            id: row["id"], name: row["name"], departmentID: row["department_id"], department: row["department_name"],
            status: Account.Status(rawValue: row["status"]) ?? .disabled,
            services: Services(imap: row["imap"], pop3: row["pop3"], smtp: row["smtp"]),
            mailboxPasswordHash: row["mailbox_password_hash"], createdAt: row["created_at"],
            mailboxLastUsed: lastUsedAt.map {
                LastUse(
                    at: $0, address: row["mailbox_last_used_address"],
                    service: lastProtocol.flatMap(MailService.init(rawValue:)))
            },
            isHelpDesk: row["help_desk"], directoryDN: row["directory_dn"], isDisabledByDirectory: row["disabled_by_directory"])
    }

    static func department(from row: SQLRow) -> Department {
        Department(id: row["id"], name: row["name"], accountCount: row["account_count"], createdAt: row["created_at"])
    }

    static func closestAccount(to name: String, in db: any SQLDatabase) throws -> String? {
        closestMatch(to: name, among: try db.all(String.self, "SELECT name FROM account"))
    }

    static func closestDepartment(to name: String, in db: any SQLDatabase) throws -> String? {
        closestMatch(to: name, among: try db.all(String.self, "SELECT name FROM department"))
    }
}
