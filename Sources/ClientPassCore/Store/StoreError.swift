import Foundation

/// A problem with the store itself: missing, unreadable, written by a newer clientpass, damaged,
/// or locked for longer than the busy timeout. Nothing has been changed when it is thrown.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case missing, exists, notWritable, notAStore, tooNew, corrupt, busy, unavailable
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func missing(_ path: String) -> StoreError {
        StoreError(.missing, "no store at \(path): create one with `clientpass admin init --store \(path)`, or point --store or CLIENTPASS_STORE at an existing one")
    }

    static func exists(_ path: String) -> StoreError {
        StoreError(.exists, "a store already exists at \(path); nothing was changed (remove it first to start over, or use another --store path)")
    }

    static func notWritable(_ path: String) -> StoreError {
        StoreError(.notWritable, "the store at \(path) is not writable by \(currentOSUser()): run as its owner or as a member of its group (see `clientpass admin init --group`)")
    }

    static func notAStore(_ path: String) -> StoreError {
        StoreError(.notAStore, "\(path) is not a clientpass store: point --store at a store made by `clientpass admin init`")
    }

    static func tooNew(_ path: String, unknown: [String]) -> StoreError {
        StoreError(.tooNew, "the store at \(path) was written by a newer clientpass (schema \(unknown.joined(separator: ", "))); upgrade clientpass to use it; it was not changed")
    }

    static func corrupt(_ detail: String) -> StoreError {
        StoreError(.corrupt, "the store is damaged: \(detail); restore it from a backup")
    }

    static func busy(_ path: String) -> StoreError {
        StoreError(.busy, "the store at \(path) stayed locked by another process past the timeout; try again")
    }

    static func unavailable(_ path: String, _ detail: String) -> StoreError {
        StoreError(.unavailable, "cannot use the store at \(path): \(detail)")
    }
}

extension StoreError: LocalizedError {
    public var errorDescription: String? { description }
}

/// A request about accounts or departments that the store's contents refuse: an unknown name,
/// a duplicate, a department still in use.
public struct DirectoryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case unknownAccount, accountExists, unknownDepartment, departmentExists, departmentInUse
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    static func unknownAccount(_ name: String, suggestion: String?) -> DirectoryError {
        let hint = suggestion.map { " (did you mean \(Quoted($0))?)" } ?? "; `clientpass admin account list` shows the accounts"
        return DirectoryError(.unknownAccount, "no account named \(Quoted(name))\(hint)")
    }

    static func unknownDepartment(_ name: String, suggestion: String?) -> DirectoryError {
        let hint = suggestion.map { " (did you mean \(Quoted($0))?)" } ?? "; `clientpass admin department list` shows the departments, `admin department add` makes one"
        return DirectoryError(.unknownDepartment, "no department named \(Quoted(name))\(hint)")
    }
}

extension DirectoryError: LocalizedError {
    public var errorDescription: String? { description }
}

/// A refused operation on credentials: a wrong mailbox password, a disabled account, an unknown
/// app password id, the per-account limit reached.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case wrongPassword, accountDisabled, unknownAppPassword, limitReached, weakPassword
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}

extension CredentialError {
    static func unknownAppPassword(_ id: Int, of account: String, existing ids: [Int], changing: Bool = true) -> CredentialError {
        let existing = ids.isEmpty ? "it has none" : "its app passwords are \(ids.map(String.init).joined(separator: ", "))"
        return CredentialError(.unknownAppPassword, "\(account) has no app password \(id) (\(existing))" + (changing ? "; nothing was changed" : ""))
    }
}

extension CredentialError: LocalizedError {
    public var errorDescription: String? { description }
}
