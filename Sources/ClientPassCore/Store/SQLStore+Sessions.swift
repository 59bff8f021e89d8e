import Foundation

extension SQLStore {
    public func createSession(_ session: StoredSession, digest: String, maximum: Int, perAccount: Int, lifetime: SessionLifetime, at date: Date) throws {
        try write { db in
            try db.execute(
                """
                DELETE FROM page_session WHERE account_id = ? AND digest NOT IN (
                    SELECT digest FROM page_session WHERE account_id = ? ORDER BY last_seen_at DESC LIMIT ?)
                """, [session.accountID, session.accountID, max(perAccount - 1, 0)])
            if try db.one(Int.self, "SELECT COUNT(*) FROM page_session") ?? 0 >= maximum {
                try Self.dropEndedSessions(lifetime, at: date, in: db)
            }
            if try db.one(Int.self, "SELECT COUNT(*) FROM page_session") ?? 0 >= maximum {
                try db.execute("DELETE FROM page_session WHERE digest = (SELECT digest FROM page_session ORDER BY last_seen_at LIMIT 1)")
            }
            try db.execute(
                """
                INSERT INTO page_session (digest, kind, account_id, account_name, mailbox_digest, csrf_token, created_at, authenticated_at, last_seen_at, notice)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    digest, session.kind.rawValue, session.accountID, session.accountName, session.mailboxPasswordDigest, session.csrfToken,
                    session.createdAt, session.authenticatedAt, session.lastSeenAt, session.notice,
                ])
        }
    }

    public func session(digest: String, kind: StoredSession.Kind, lifetime: SessionLifetime, at date: Date) throws -> StoredSession? {
        try write { db in
            guard var session = try Self.session(digest: digest, in: db), session.kind == kind else { return nil }
            guard Self.isLive(session, lifetime, at: date) else {
                try db.execute("DELETE FROM page_session WHERE digest = ?", [digest])
                return nil
            }
            session.lastSeenAt = date
            try db.execute("UPDATE page_session SET last_seen_at = ? WHERE digest = ?", [date, digest])
            return session
        }
    }

    public func updateSession(digest: String, _ change: (inout StoredSession) -> Void) throws {
        try write { db in
            guard var session = try Self.session(digest: digest, in: db) else { return }
            change(&session)
            try db.execute(
                "UPDATE page_session SET authenticated_at = ?, last_seen_at = ?, notice = ? WHERE digest = ?",
                [session.authenticatedAt, session.lastSeenAt, session.notice, digest])
        }
    }

    public func takeSessionNotice(digest: String) throws -> String? {
        try write { db in
            let notice = try db.one(String.self, "SELECT notice FROM page_session WHERE digest = ?", [digest])
            if notice != nil { try db.execute("UPDATE page_session SET notice = NULL WHERE digest = ?", [digest]) }
            return notice
        }
    }

    public func endSession(digest: String) throws {
        try write { db in try db.execute("DELETE FROM page_session WHERE digest = ?", [digest]) }
    }

    public func liveSessionCount(lifetime: SessionLifetime, at date: Date) throws -> Int {
        try write { db in
            try Self.dropEndedSessions(lifetime, at: date, in: db)
            return try db.one(Int.self, "SELECT COUNT(*) FROM page_session") ?? 0
        }
    }

    public func signInCount(account: String, since date: Date) throws -> Int {
        try read { db in
            try db.one(
                Int.self, "SELECT COUNT(*) FROM audit_event WHERE account = ? AND at > ? AND action = ? AND context IN (?, ?)",
                [account, date, AuditEvent.Kind.signedIn.rawValue, AuditEvent.Context.page.rawValue, AuditEvent.Context.api.rawValue]) ?? 0
        }
    }

    public func signInFormKey() throws -> [UInt8] {
        let select = "SELECT form_key FROM store_meta WHERE id = 1"
        if let key = try read({ db in try db.one(Data.self, select) }) { return Array(key) }
        return try write { db in
            // Of two processes making it at once, the first write wins and both read it.
            try db.execute("UPDATE store_meta SET form_key = ? WHERE id = 1 AND form_key IS NULL", [Data(RandomToken.makeKey())])
            guard let key = try db.one(Data.self, select) else { throw StoreError.corrupt("the store has no store_meta row") }
            return Array(key)
        }
    }

    private static func session(digest: String, in db: any SQLDatabase) throws -> StoredSession? {
        try db.row("SELECT * FROM page_session WHERE digest = ?", [digest]).map { row in
            StoredSession(
                kind: StoredSession.Kind(rawValue: row["kind"]) ?? .page, accountID: row["account_id"], accountName: row["account_name"],
                mailboxPasswordDigest: row["mailbox_digest"],
                csrfToken: row["csrf_token"], createdAt: row["created_at"], authenticatedAt: row["authenticated_at"],
                lastSeenAt: row["last_seen_at"], notice: row["notice"])
        }
    }

    private static func isLive(_ session: StoredSession, _ lifetime: SessionLifetime, at date: Date) -> Bool {
        date.timeIntervalSince(session.lastSeenAt) < lifetime.idleTimeout && date.timeIntervalSince(session.createdAt) < lifetime.maximumAge
    }

    private static func dropEndedSessions(_ lifetime: SessionLifetime, at date: Date, in db: any SQLDatabase) throws {
        try db.execute(
            "DELETE FROM page_session WHERE last_seen_at <= ? OR created_at <= ?",
            [date.addingTimeInterval(-lifetime.idleTimeout), date.addingTimeInterval(-lifetime.maximumAge)])
    }
}
