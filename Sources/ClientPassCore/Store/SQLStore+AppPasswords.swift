import Foundation

/// ``AppPasswordStore``: app passwords and the selector key.
extension SQLStore {
    public func appPasswords(ofAccount accountID: Int64) throws -> [AppPassword] {
        try read { db in
            try db.rows("SELECT * FROM app_password WHERE account_id = ? ORDER BY id", [accountID])
                .map(Self.appPassword(from:))
        }
    }

    public func appPasswordCounts() throws -> [Int64: Int] {
        try read { db in
            Dictionary(
                uniqueKeysWithValues: try db.rows("SELECT account_id, COUNT(*) AS n FROM app_password GROUP BY account_id")
                    .map { ($0["account_id"] as Int64, $0["n"] as Int) })
        }
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

    public func addAppPassword(_ password: NewAppPassword, toAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> AppPassword {
        try write { db in
            let account = try Self.existingAccount(accountID, in: db)
            return try Self.insertAppPassword(password, for: account, by: actor, at: date, in: db)
        }
    }

    public func addDevicePassword(_ password: NewAppPassword, toAccount accountID: Int64, byHelpDeskMember memberID: Int64, at date: Date) throws -> AppPassword
    {
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
    static func insertAppPassword(
        _ password: NewAppPassword, for account: Account, by actor: AuditActor, context: AuditEvent.Context? = nil,
        at date: Date, in db: any SQLDatabase
    ) throws -> AppPassword {
        let count = try db.one(Int.self, "SELECT COUNT(*) FROM app_password WHERE account_id = ?", [account.id]) ?? 0
        let maximum = try db.one(Int.self, "SELECT max_app_passwords FROM domain_policy WHERE id = 1") ?? 25
        guard count < maximum else {
            throw CredentialError.limitReached(account.name, count: count)
        }
        if try db.one(
            Bool.self, "SELECT EXISTS (SELECT 1 FROM app_password WHERE account_id = ? AND selector = ?)",
            [account.id, password.selector]) == true
        {
            throw SelectorCollision()
        }
        let id = try db.one(Int.self, "SELECT next_app_password_id FROM account WHERE id = ?", [account.id]) ?? 1
        let limits = password.limits
        try db.execute(
            """
            INSERT INTO app_password (account_id, id, label, selector, hash, protocols, networks, expires_at, issued_by, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                account.id, id, password.label.value, password.selector, password.hash,
                limits.protocols.sorted().map(\.rawValue).joined(separator: ","),
                limits.networks.map(\.description).joined(separator: ","),
                limits.expiresAt, actor.description, date,
            ])
        try db.execute("UPDATE account SET next_app_password_id = ?, updated_at = ? WHERE id = ?", [id + 1, date, account.id])
        try insert(
            AuditEvent(
                at: date, kind: .appPasswordCreated, actor: actor, account: account.name,
                subject: .appPassword(id: id, label: password.label.value), new: .limits(limits), context: context), in: db)
        return try appPassword(id, of: account.id, in: db)
    }

    public func relabelAppPassword(_ id: Int, ofAccount accountID: Int64, to label: Label, by actor: AuditActor, at date: Date) throws -> AppPassword {
        try write { db in
            let account = try Self.existingAccount(accountID, in: db)
            let old = try Self.existingAppPassword(id, of: account, in: db)
            try db.execute("UPDATE app_password SET label = ? WHERE account_id = ? AND id = ?", [label.value, accountID, id])
            try Self.insert(
                AuditEvent(
                    at: date, kind: .appPasswordRelabeled, actor: actor, account: account.name,
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
            try Self.insert(
                AuditEvent(
                    at: date, kind: .appPasswordRevoked, actor: actor, account: account.name,
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
                try Self.insert(
                    AuditEvent(
                        at: date, kind: .appPasswordRevoked, actor: actor, account: account.name,
                        subject: .appPassword(id: password.id, label: password.label), context: .revokeAll), in: db)
            }
            return passwords
        }
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
}

/// Two new app passwords of one account with the same selector: the caller makes a new secret.
struct SelectorCollision: Error {}
