import Foundation

extension SQLStore {
    public func addSetupLink(_ link: StoredSetupLink, digest: String, perAccount: Int, at date: Date) throws {
        try write { db in
            try db.execute("DELETE FROM setup_link WHERE expires_at <= ?", [date])
            try db.execute(
                """
                DELETE FROM setup_link WHERE account_id = ? AND digest NOT IN (
                    SELECT digest FROM setup_link WHERE account_id = ? ORDER BY expires_at DESC LIMIT ?)
                """, [link.accountID, link.accountID, max(perAccount - 1, 0)])
            try db.execute(
                """
                INSERT INTO setup_link (digest, account_id, account_name, app_password_id, app_password_created_at, sealed_profile, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [digest, link.accountID, link.accountName, link.appPasswordID, link.appPasswordCreatedAt, link.sealedProfile, link.expiresAt])
        }
    }

    public func takeSetupLink(digest: String, at date: Date) throws -> StoredSetupLink? {
        try write { db in
            // The DELETE decides: of two nodes asked for the same link at once, one gets the row.
            guard let row = try db.row("DELETE FROM setup_link WHERE digest = ? RETURNING *", [digest]) else { return nil }
            let link = StoredSetupLink(
                accountID: row["account_id"], accountName: row["account_name"], appPasswordID: row["app_password_id"],
                appPasswordCreatedAt: row["app_password_created_at"], sealedProfile: row["sealed_profile"],
                expiresAt: row["expires_at"])
            return link.expiresAt > date ? link : nil
        }
    }
}
