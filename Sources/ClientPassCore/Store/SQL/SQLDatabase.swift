import Foundation
import GRDB

/// One value going into or coming out of a SQL statement, the same for every backend.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    /// A moment. SQLite keeps it as text (GRDB's format), PostgreSQL as `timestamptz`; both to
    /// the millisecond, so that a store copied between them reads back the same.
    case date(Date)
}

/// A Swift value that goes into a statement as a ``SQLValue``, and comes back out of a row.
public protocol SQLValueConvertible: Sendable {
    var sqlValue: SQLValue { get }
    /// The value of a column, or nil when it is not of this type.
    init?(sqlValue: SQLValue)
}

extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .integer(let value): self = value
        case .real(let value) where value.rounded() == value: self = Int64(value)
        default: return nil
        }
    }
}

extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue) else { return nil }
        self = Int(value)
    }
}

/// Booleans are integers 0 and 1 in both backends' columns; PostgreSQL's own booleans
/// (`EXISTS`) arrive as integers too.
extension Bool: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public init?(sqlValue: SQLValue) {
        guard let value = Int64(sqlValue: sqlValue) else { return nil }
        self = value != 0
    }
}

extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public init?(sqlValue: SQLValue) {
        guard case .text(let text) = sqlValue else { return nil }
        self = text
    }
}

extension Data: SQLValueConvertible {
    public var sqlValue: SQLValue { .blob(Array(self)) }
    public init?(sqlValue: SQLValue) {
        guard case .blob(let bytes) = sqlValue else { return nil }
        self = Data(bytes)
    }
}

extension Date: SQLValueConvertible {
    public var sqlValue: SQLValue { .date(self) }
    public init?(sqlValue: SQLValue) {
        switch sqlValue {
        case .date(let date): self = date
        case .text(let text):
            // SQLite's column: GRDB's format, `yyyy-MM-dd HH:mm:ss.SSS` in UTC.
            guard let date = Date.fromDatabaseValue(text.databaseValue) else { return nil }
            self = date
        default: return nil
        }
    }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    public init?(sqlValue: SQLValue) {
        if sqlValue == .null {
            self = .none
        } else if let value = Wrapped(sqlValue: sqlValue) {
            self = .some(value)
        } else {
            return nil
        }
    }
}

/// One row of a result, its columns by name (as the statement named them) and by position.
public struct SQLRow: Sendable {
    package let columns: [String]
    package let values: [SQLValue]

    package init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The column named `name`, as `T`. A column that is missing or of another type is a bug in
    /// the statement, not a state of the store, and stops the process (as GRDB's rows do).
    package subscript<T: SQLValueConvertible>(_ name: String) -> T {
        guard let index = columns.firstIndex(of: name) else {
            preconditionFailure("no column \(name) in the row")
        }
        return self[index]
    }

    package subscript<T: SQLValueConvertible>(_ index: Int) -> T {
        guard let value = T(sqlValue: values[index]) else {
            preconditionFailure("column \(columns[index]) is not a \(T.self)")
        }
        return value
    }
}

/// A statement's arguments, in the order of its `?` placeholders.
public typealias SQLArguments = [any SQLValueConvertible]

/// One transaction on a store's database, whichever backend: the store's rules are written once
/// against this (``SQLStore``) and run on SQLite and PostgreSQL alike.
///
/// Statements use `?` placeholders and the SQL both backends understand: `INSERT … RETURNING`,
/// `ON CONFLICT … DO NOTHING/UPDATE`, subqueries with an alias.
public protocol SQLDatabase {
    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]
    func execute(_ sql: String, _ arguments: SQLArguments) throws
    /// A statement whose rows are read later (``SQLAnswer/rows()``): on a database across a
    /// network, statements sent one after another this way and read after cost one round trip.
    /// The statements must not depend on each other's answers.
    func rowsAhead(_ sql: String, _ arguments: SQLArguments) -> SQLAnswer
}

/// The rows of a statement sent ahead (``SQLDatabase/rowsAhead(_:_:)``).
public struct SQLAnswer {
    private let read: () throws -> [SQLRow]

    package init(_ read: @escaping () throws -> [SQLRow]) {
        self.read = read
    }

    /// Waits for the rows; throws the statement's failure, or that of one sent before it.
    package func rows() throws -> [SQLRow] { try read() }
}

extension SQLDatabase {
    /// Runs the statement at once (a local database: nothing to gain by waiting).
    public func rowsAhead(_ sql: String, _ arguments: SQLArguments) -> SQLAnswer {
        let result = Result { try rows(sql, arguments) }
        return SQLAnswer { try result.get() }
    }

    package func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }
    package func execute(_ sql: String) throws { try execute(sql, []) }

    package func row(_ sql: String, _ arguments: SQLArguments = []) throws -> SQLRow? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    package func one<T: SQLValueConvertible>(_ type: T.Type = T.self, _ sql: String, _ arguments: SQLArguments = []) throws -> T? {
        guard let row = try rows(sql, arguments).first else { return nil }
        let value: T? = row[0]
        return value
    }

    /// The first column of every row.
    package func all<T: SQLValueConvertible>(_ type: T.Type = T.self, _ sql: String, _ arguments: SQLArguments = []) throws -> [T] {
        try rows(sql, arguments).map { $0[0] }
    }

    package func exists(_ sql: String, _ arguments: SQLArguments = []) throws -> Bool {
        try one(Bool.self, "SELECT EXISTS (\(sql))", arguments) ?? false
    }

    package func count(_ sql: String, _ arguments: SQLArguments = []) throws -> Int {
        try one(Int.self, sql, arguments) ?? 0
    }

    /// Runs an `INSERT … RETURNING id` and gives the id.
    package func insert(_ sql: String, _ arguments: SQLArguments) throws -> Int64 {
        guard let id = try one(Int64.self, sql + " RETURNING id", arguments) else {
            throw StoreError.corrupt("a new row has no id")
        }
        return id
    }
}

extension SQLValue: SQLValueConvertible {
    public var sqlValue: SQLValue { self }
    public init?(sqlValue: SQLValue) { self = sqlValue }
}
