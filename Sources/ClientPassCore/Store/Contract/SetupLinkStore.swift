import Foundation

/// A set-up link of a new app password (the page's QR code), as the store keeps it: under the
/// digest of its token, with the Mail profile sealed under a key only the token gives
/// (``RandomToken/seal(_:under:)``), so that any node can serve it once and a copy of the store
/// reads no password.
public struct StoredSetupLink: Sendable, Hashable {
    public let accountID: Int64
    public let accountName: String
    public let appPasswordID: Int
    /// Tells the password from a later one with the same id after a restore.
    public let appPasswordCreatedAt: Date
    public let sealedProfile: Data
    public let expiresAt: Date

    public init(accountID: Int64, accountName: String, appPasswordID: Int, appPasswordCreatedAt: Date, sealedProfile: Data, expiresAt: Date) {
        self.accountID = accountID
        self.accountName = accountName
        self.appPasswordID = appPasswordID
        self.appPasswordCreatedAt = appPasswordCreatedAt
        self.sealedProfile = sealedProfile
        self.expiresAt = expiresAt
    }
}

/// The page's set-up links, shared by every process on the store. Removing an account removes
/// its links.
public protocol SetupLinkStore: Sendable {
    /// Keeps a link under its token's digest. Expired links are dropped on the way, and the
    /// account keeps only its `perAccount` newest.
    func addSetupLink(_ link: StoredSetupLink, digest: String, perAccount: Int, at date: Date) throws
    /// The link, once across every process: it is removed in the transaction that reads it.
    /// `nil` when it is unknown, already taken or expired at `date`.
    func takeSetupLink(digest: String, at date: Date) throws -> StoredSetupLink?
}
