import Foundation

/// A problem with the store itself: missing, unreadable, written by a newer clientpass, damaged,
/// or locked for longer than the busy timeout. Nothing has been changed when it is thrown.
///
/// The description says what happened, in words any medium can show; what to do about it (a
/// command to run) is the edge's to say, from ``kind`` and ``path``.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case missing, exists, notWritable, notAStore, tooNew, corrupt, busy, unavailable
        /// A file given as a backup to restore is not one.
        case notABackup
    }

    /// The file an error is about.
    public enum File: Sendable, Hashable {
        /// The store (`--store`).
        case store(String)
        /// A backup being written or restored.
        case backup(String)
    }

    public let kind: Kind
    /// The file concerned, when the error is about one.
    public let file: File?
    public let description: String

    package init(_ kind: Kind, _ description: String, file: File? = nil) {
        self.kind = kind
        self.file = file
        self.description = description
    }

    package static func missing(_ path: String) -> StoreError {
        StoreError(.missing, "no store at \(path)", file: .store(path))
    }

    package static func exists(_ path: String) -> StoreError {
        StoreError(.exists, "a store already exists at \(path); nothing was changed", file: .store(path))
    }

    package static func notWritable(_ path: String) -> StoreError {
        StoreError(.notWritable, "the store at \(path) is not writable by \(currentOSUser())", file: .store(path))
    }

    package static func notAStore(_ path: String) -> StoreError {
        StoreError(.notAStore, "\(path) is not a clientpass store", file: .store(path))
    }

    static func notABackup(_ path: String) -> StoreError {
        StoreError(.notABackup, "\(path) is not a clientpass store", file: .backup(path))
    }

    package static func tooNew(_ path: String, unknown: [String]) -> StoreError {
        StoreError(
            .tooNew,
            "the store at \(path) was written by a newer clientpass (schema \(unknown.joined(separator: ", "))); upgrade clientpass to use it; it was not changed"
        )
    }

    package static func corrupt(_ detail: String) -> StoreError {
        StoreError(.corrupt, "the store is damaged: \(detail); restore it from a backup")
    }

    package static func busy(_ path: String) -> StoreError {
        StoreError(.busy, "the store at \(path) stayed locked by another process past the timeout; try again")
    }

    package static func unavailable(_ path: String, _ detail: String) -> StoreError {
        StoreError(.unavailable, "cannot use the store at \(path): \(detail)")
    }
}

extension StoreError: LocalizedError {
    public var errorDescription: String? { description }
}

/// A request about accounts or departments that the store's contents refuse: an unknown name,
/// a duplicate, a department still in use. It names what it is about (``name``), and the
/// closest existing name when there is one; the edge says what to do.
public struct AccountError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case unknownAccount, accountExists, unknownDepartment, departmentExists, departmentInUse
    }

    public let kind: Kind
    /// The account or department concerned.
    public let name: String?
    /// For an unknown name: the closest existing one.
    public let suggestion: String?
    /// For a department in use: how many accounts are in it (`nil`: it is in use otherwise).
    public let members: Int?
    public let description: String

    init(_ kind: Kind, _ description: String, name: String? = nil, suggestion: String? = nil, members: Int? = nil) {
        self.kind = kind
        self.name = name
        self.suggestion = suggestion
        self.members = members
        self.description = description
    }

    static func unknownAccount(_ name: String, suggestion: String?) -> AccountError {
        AccountError(
            .unknownAccount, "no account named \(Quoted(name))" + (suggestion.map { " (did you mean \(Quoted($0))?)" } ?? ""),
            name: name, suggestion: suggestion)
    }

    static func unknownDepartment(_ name: String, suggestion: String?) -> AccountError {
        AccountError(
            .unknownDepartment, "no department named \(Quoted(name))" + (suggestion.map { " (did you mean \(Quoted($0))?)" } ?? ""),
            name: name, suggestion: suggestion)
    }
}

extension AccountError: LocalizedError {
    public var errorDescription: String? { description }
}

/// A refused operation on credentials: a wrong mailbox password, a disabled account, an unknown
/// app password id, the per-account limit reached.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case wrongPassword, accountDisabled, unknownAppPassword, limitReached, weakPassword
        /// A device password asked for by an account that is not (or no longer) an active
        /// member of the help desk.
        case notHelpDesk
    }

    public let kind: Kind
    /// The account concerned.
    public let account: String?
    /// For `limitReached`: how many app passwords the account has (the most allowed).
    public let count: Int?
    public let description: String

    init(_ kind: Kind, _ description: String, account: String? = nil, count: Int? = nil) {
        self.kind = kind
        self.account = account
        self.count = count
        self.description = description
    }

    static func limitReached(_ account: String, count: Int) -> CredentialError {
        CredentialError(.limitReached, "\(account) already has \(count) app passwords, the most allowed; nothing was changed", account: account, count: count)
    }
}

extension CredentialError {
    static func unknownAppPassword(_ id: Int, of account: String, existing ids: [Int], changing: Bool = true) -> CredentialError {
        let existing = ids.isEmpty ? "it has none" : "its app passwords are \(ids.map(String.init).joined(separator: ", "))"
        return CredentialError(
            .unknownAppPassword, "\(account) has no app password \(id) (\(existing))" + (changing ? "; nothing was changed" : ""),
            account: account)
    }
}

extension CredentialError: LocalizedError {
    public var errorDescription: String? { description }
}
