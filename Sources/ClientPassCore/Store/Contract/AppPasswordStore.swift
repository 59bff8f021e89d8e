import Foundation

/// The new app password a store is asked to keep: never the secret, only its selector and hash.
public struct NewAppPassword: Sendable {
    public let label: Label
    public let limits: CredentialLimits
    public let selector: String
    public let hash: String

    public init(label: Label, limits: CredentialLimits, selector: String, hash: String) {
        self.label = label
        self.limits = limits
        self.selector = selector
        self.hash = hash
    }
}

/// App passwords: only their selectors and hashes, never the secrets.
public protocol AppPasswordStore: Sendable {
    /// The key that derives app-password selectors.
    func selectorKey() throws -> SelectorKey
    /// The account's app passwords, by id.
    func appPasswords(ofAccount accountID: Int64) throws -> [AppPassword]
    /// How many app passwords each account has, by account id (accounts with none are absent).
    func appPasswordCounts() throws -> [Int64: Int]
    /// Stores a new app password with the next id of the account (ids are never reused), unless
    /// the account already has `policy().maximumAppPasswords`.
    /// - Throws: ``CredentialError`` (`limitReached`).
    func addAppPassword(_ password: NewAppPassword, toAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> AppPassword
    /// Issues a device password for an account on behalf of a help-desk member, after checking,
    /// in the same transaction, that the member is an active member of the help desk.
    /// - Throws: ``CredentialError`` (`notHelpDesk`, `limitReached`).
    func addDevicePassword(_ password: NewAppPassword, toAccount accountID: Int64, byHelpDeskMember memberID: Int64, at date: Date) throws -> AppPassword
    func relabelAppPassword(_ id: Int, ofAccount accountID: Int64, to label: Label, by actor: AuditActor, at date: Date) throws -> AppPassword
    func revokeAppPassword(_ id: Int, ofAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> AppPassword
    /// - Returns: the revoked passwords (possibly none).
    func revokeAllAppPasswords(ofAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> [AppPassword]
    /// Revokes every app password, issues `replacement` and optionally sets a new mailbox
    /// password, in one transaction.
    func reset(_ name: AccountName, replacement: NewAppPassword, mailboxPasswordHash: String?, by actor: AuditActor, at date: Date) throws -> (
        revoked: [AppPassword], issued: AppPassword
    )
}
