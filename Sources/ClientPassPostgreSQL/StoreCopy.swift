import ClientPassCore
import Foundation

/// `admin store copy`: a whole store into a new one, between SQLite and PostgreSQL either way.
///
/// The source is read in one transaction (one consistent state, while it goes on serving), the
/// target written in one transaction (it holds the whole copy or nothing), then every row of
/// the target is read back and compared with the source's.
public enum StoreCopy {
    /// The tables, parents before children, with the columns that hold moments (text on
    /// SQLite, `timestamptz` on PostgreSQL). The migrations' own tables are not copied: each
    /// store keeps its backend's record of the same schema.
    static let tables: [(name: String, order: String, dates: Set<String>)] = [
        ("store_meta", "id", ["created_at"]),
        ("domain_policy", "id", ["updated_at"]),
        ("department", "id", ["created_at"]),
        ("account", "id", ["created_at", "updated_at", "mailbox_last_used_at"]),
        ("app_password", "account_id, id", ["expires_at", "created_at", "last_used_at"]),
        ("secure_network", "id", ["created_at"]),
        ("first_party_host", "id", ["created_at"]),
        ("enforcement_department", "department_id", []),
        ("enforcement_account", "account_id", []),
        ("enforcement_exception", "account_id", []),
        ("audit_event", "id", ["at"]),
        ("login_failure", "id", ["at"]),
        ("credential_address", "account_id, credential_id, address", ["first_used_at", "last_used_at"]),
        ("directory_settings", "id", ["updated_at"]),
        ("page_session", "digest", ["created_at", "authenticated_at", "last_seen_at"]),
        ("setup_link", "digest", ["app_password_created_at", "expires_at"]),
    ]

    /// The tables whose ids PostgreSQL generates: their sequences move past the copied ids.
    static let generatedIDs = ["department", "account", "secure_network", "first_party_host", "audit_event", "login_failure"]

    /// What was copied: rows per table.
    public struct Summary: Sendable, Equatable {
        public let rows: [(table: String, count: Int)]
        public var accounts: Int { count("account") }
        public var appPasswords: Int { count("app_password") }
        public var auditEvents: Int { count("audit_event") }

        func count(_ table: String) -> Int { rows.first { $0.table == table }?.count ?? 0 }

        public static func == (left: Summary, right: Summary) -> Bool {
            left.rows.map(\.table) == right.rows.map(\.table) && left.rows.map(\.count) == right.rows.map(\.count)
        }
    }

    /// Copies `source` into a new store at `target`, and checks the copy row by row.
    /// - Throws: ``StoreError`` `exists` when the target already holds a store (or, on
    ///   PostgreSQL, any table), and nothing is written there; `corrupt` when the copy reads back
    ///   differently (the target is then left as written, for inspection).
    public static func copy(from source: any SQLStore, to target: StoreLocation, by actor: AuditActor, at date: Date = Date()) throws -> Summary {
        let snapshot = try source.read { db in
            try tables.map { table in (table, try db.rows("SELECT * FROM \(table.name) ORDER BY \(table.order)")) }
        }
        let isPostgreSQL = if case .postgresql = target { true } else { false }
        let copy = try target.create(by: actor, at: date) { db in
            // The new store's own first rows give way to the source's.
            for table in tables.reversed() { try db.execute("DELETE FROM \(table.name)") }
            for (table, rows) in snapshot {
                for row in rows {
                    let placeholders = Array(repeating: "?", count: row.columns.count).joined(separator: ", ")
                    let values = zip(row.columns, normalized(row, dates: table.dates).values).map { $0 == "generation" ? .integer(0) : $1 }
                    try db.execute("INSERT INTO \(table.name) (\(row.columns.joined(separator: ", "))) VALUES (\(placeholders))", values)
                }
            }
            if isPostgreSQL {
                for table in generatedIDs {
                    try db.execute("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)")
                }
            }
        }
        let written = try copy.read { db in
            try tables.map { table in try db.rows("SELECT * FROM \(table.name) ORDER BY \(table.order)") }
        }
        for ((table, original), copied) in zip(snapshot, written) {
            guard original.count == copied.count else {
                throw StoreError.corrupt("the copy of \(table.name) has \(copied.count) rows, the source \(original.count)")
            }
            for (left, right) in zip(original, copied) where !same(normalized(left, dates: table.dates), normalized(right, dates: table.dates)) {
                throw StoreError.corrupt("a row of \(table.name) reads back differently in the copy")
            }
        }
        return Summary(rows: zip(tables, snapshot).map { ($0.name, $1.1.count) })
    }

    /// Moments as dates, whichever backend read them; everything else as it is. The generation
    /// is the copy's own: its triggers move it as the rows go in, and a new store's counter
    /// only has to move on from there.
    static func normalized(_ row: SQLRow, dates: Set<String>) -> (columns: [String], values: [SQLValue]) {
        let values = zip(row.columns, row.values).map { column, value -> SQLValue in
            if column == "generation" { return .null }
            guard dates.contains(column), let date = Date(sqlValue: value) else { return value }
            return .date(Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000))
        }
        return (row.columns, values)
    }

    private static func same(_ left: (columns: [String], values: [SQLValue]), _ right: (columns: [String], values: [SQLValue])) -> Bool {
        let rightByColumn = Dictionary(zip(right.columns, right.values), uniquingKeysWith: { first, _ in first })
        return Set(left.columns) == Set(right.columns) && zip(left.columns, left.values).allSatisfy { rightByColumn[$0] == $1 }
    }
}
