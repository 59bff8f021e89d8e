import Foundation

extension SQLStore {
    public func directorySettings() throws -> DirectorySettings? {
        try read { db in try Self.directorySettings(in: db) }
    }

    static func directorySettings(in db: any SQLDatabase) throws -> DirectorySettings? {
        guard let text = try db.one(String.self, "SELECT settings FROM directory_settings WHERE id = 1") else { return nil }
        do {
            return try JSONDecoder().decode(DirectorySettings.self, from: Data(text.utf8))
        } catch {
            throw StoreError.corrupt("the directory settings cannot be read: \(error)")
        }
    }

    public func setDirectorySettings(_ settings: DirectorySettings?, by actor: AuditActor, at date: Date) throws {
        try write { db in
            let old = try Self.directorySettings(in: db)
            if let settings {
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let text = String(decoding: try encoder.encode(settings), as: UTF8.self)
                try db.execute(
                    """
                    INSERT INTO directory_settings (id, settings, updated_at) VALUES (1, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
                    """, [text, date])
            } else {
                try db.execute("DELETE FROM directory_settings")
            }
            try Self.insert(
                AuditEvent(
                    at: date, kind: .policyChanged, actor: actor, subject: .setting(.directory),
                    old: old.map(Self.auditValue), new: settings.map(Self.auditValue)), in: db)
        }
    }

    /// The settings as an audit value: where the directory is and what is read, never a secret
    /// (the password file's path only).
    static func auditValue(_ settings: DirectorySettings) -> AuditEvent.Value {
        var fields: [AuditEvent.Value.Field] = [
            .init("url", .text(settings.url)), .init("base_dn", .text(settings.baseDN)), .init("bind_dn", .text(settings.bindDN)),
            .init("filter", .text(settings.filter)), .init("account_attribute", .text(settings.accountAttribute)),
            .init("starttls", .text(settings.startTLS ? "yes" : "no")),
        ]
        if let department = settings.departmentAttribute { fields.append(.init("department_attribute", .text(department))) }
        if settings.departmentFromOU { fields.append(.init("department_from_ou", .text("yes"))) }
        return .record(fields)
    }

    public func syncDirectory(
        users: [DirectoryUser], settings: DirectorySettings, allowingMassDisable: Bool,
        by actor: AuditActor, at date: Date
    ) throws -> DirectorySyncPlan {
        try write { db in
            let accounts = try db.rows(Self.accountSelect).map(Self.account(from:))
            let plan = DirectorySyncPlan(users: users, accounts: accounts, settings: settings)
            if plan.exceedsDisableLimit(settings), !allowingMassDisable {
                throw DirectorySyncRefused(plan: plan, settings: settings)
            }
            func departmentID(_ name: DepartmentName?) throws -> Int64? {
                try name.map { try Self.departmentID(findingOrCreating: $0, context: .directory, by: actor, at: date, in: db).id }
            }
            for addition in plan.additions {
                try Self.insert(addition, note: nil, by: actor, at: date, in: db)
            }
            for link in plan.links {
                try db.execute(
                    "UPDATE account SET directory_dn = ?, mailbox_password_hash = ?, updated_at = ? WHERE name = ?",
                    [link.dn, DirectorySettings.passwordMarker, date, link.account])
                if link.takesOver {
                    try Self.insert(
                        AuditEvent(
                            at: date, kind: .mailboxPasswordChanged, actor: actor, account: link.account,
                            subject: .mailboxPassword, context: .directory), in: db)
                }
            }
            for move in plan.moves {
                try db.execute(
                    "UPDATE account SET department_id = ?, updated_at = ? WHERE name = ?",
                    [try departmentID(move.to), date, move.account])
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .accountDepartmentChanged, actor: actor, account: move.account,
                        old: move.from.map { .text($0) }, new: move.to.map { .text($0.value) }, context: .directory), in: db)
            }
            for disabling in plan.disablings {
                try db.execute(
                    "UPDATE account SET status = 'disabled', disabled_by_directory = 1, updated_at = ? WHERE name = ?",
                    [date, disabling.account])
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .accountStatusChanged, actor: actor, account: disabling.account,
                        old: .text(Account.Status.active.rawValue), new: .text(Account.Status.disabled.rawValue),
                        context: .directory, note: disabling.why), in: db)
            }
            for name in plan.enablings {
                try db.execute(
                    "UPDATE account SET status = 'active', disabled_by_directory = 0, updated_at = ? WHERE name = ?",
                    [date, name])
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .accountStatusChanged, actor: actor, account: name,
                        old: .text(Account.Status.disabled.rawValue), new: .text(Account.Status.active.rawValue),
                        context: .directory), in: db)
            }
            return plan
        }
    }

    public func addDirectoryAccount(_ user: DirectoryUser, settings: DirectorySettings, note: String, by actor: AuditActor, at date: Date) throws -> Account? {
        try write { db in
            // The plan of this one user against no accounts: an addition, when a sync would add it.
            guard let addition = DirectorySyncPlan(users: [user], accounts: [], settings: settings).additions.first,
                try Self.account(keyed: addition.name.key, in: db) == nil
            else { return nil }
            try Self.insert(addition, note: note, by: actor, at: date, in: db)
            return try Self.account(keyed: addition.name.key, in: db)
        }
    }

    /// A sync's addition: the account, its department (made when new), its entry, audited.
    private static func insert(_ addition: DirectorySyncPlan.Addition, note: String?, by actor: AuditActor, at date: Date, in db: any SQLDatabase) throws {
        let department = try addition.department.map { try Self.departmentID(findingOrCreating: $0, context: .directory, by: actor, at: date, in: db).id }
        let account = NewAccount(name: addition.name, department: addition.department, mailboxPasswordHash: DirectorySettings.passwordMarker)
        _ = try insertAccount(
            account, departmentID: department,
            audit: AuditEvent(
                at: date, kind: .accountAdded, actor: actor, account: addition.name.value,
                subject: addition.department.map { .department($0.value) }, context: .directory, note: note), in: db)
        try db.execute("UPDATE account SET directory_dn = ? WHERE name_key = ?", [addition.dn, addition.name.key])
    }
}
