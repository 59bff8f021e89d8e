import Foundation

/// A signed-in session of the self-service page, as the store keeps it: under the digest of its
/// token (``RandomToken/storedDigest(of:)``), never the token itself, so that every node sees it
/// and a sign-out on one ends it on all.
public struct StoredSession: Sendable, Hashable {
    /// A browser's session of the page, or a token of the self-service API (the command line):
    /// each works only where it was made.
    public enum Kind: String, Sendable, Hashable {
        case page
        case api
    }

    public let kind: Kind
    public let accountID: Int64
    public let accountName: String
    /// A digest of the mailbox-password hash at sign-in: a new mailbox password ends the session.
    public let mailboxPasswordDigest: String
    /// Sent back in every form; a POST without it changes nothing.
    public let csrfToken: String
    public let createdAt: Date
    /// When the mailbox password was last given (sign-in, or a confirmation before creating).
    public var authenticatedAt: Date
    public var lastSeenAt: Date
    /// A one-time message for the next page ("Revoked …").
    public var notice: String?

    public init(
        kind: Kind = .page, accountID: Int64, accountName: String, mailboxPasswordDigest: String, csrfToken: String, createdAt: Date,
        authenticatedAt: Date, lastSeenAt: Date, notice: String? = nil
    ) {
        self.kind = kind
        self.accountID = accountID
        self.accountName = accountName
        self.mailboxPasswordDigest = mailboxPasswordDigest
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.authenticatedAt = authenticatedAt
        self.lastSeenAt = lastSeenAt
        self.notice = notice
    }

    /// A digest of a mailbox-password hash, which a session keeps to notice a new password.
    public static func digest(ofMailboxHash hash: String) -> String {
        RandomToken.storedDigest(of: hash)
    }
}

/// When a session is live: seen within the idle timeout, made within the maximum age.
public struct SessionLifetime: Sendable, Hashable {
    public let idleTimeout: TimeInterval
    public let maximumAge: TimeInterval

    public init(idleTimeout: TimeInterval, maximumAge: TimeInterval) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
    }
}

/// The page's sessions. Removing an account ends its sessions.
public protocol SessionStore: Sendable {
    /// Keeps a new session. Its account keeps at most `perAccount` sessions (of both kinds): its
    /// least recently seen make room, so that one account's sign-ins never end anyone else's.
    /// Past `maximum` live ones in all, ended sessions are dropped and then the least recently
    /// seen.
    func createSession(_ session: StoredSession, digest: String, maximum: Int, perAccount: Int, lifetime: SessionLifetime, at date: Date) throws
    /// The live session of this kind with this digest, marked seen at `date`; an ended one is
    /// removed.
    func session(digest: String, kind: StoredSession.Kind, lifetime: SessionLifetime, at date: Date) throws -> StoredSession?
    /// Changes a live session in one transaction; nothing happens when it has ended.
    func updateSession(digest: String, _ change: (inout StoredSession) -> Void) throws
    /// Takes the one-time notice of a session.
    func takeSessionNotice(digest: String) throws -> String?
    func endSession(digest: String) throws
    /// The live sessions at `date`; ended ones are dropped on the way.
    func liveSessionCount(lifetime: SessionLifetime, at date: Date) throws -> Int
    /// The account's successful sign-ins to the page and the API since `date` (as audited).
    func signInCount(account: String, since date: Date) throws -> Int
    /// The key that ties the sign-in form's token to its cookie: 32 random bytes, made on first
    /// use and the same for every process on the store, so that a form one node served signs in
    /// through another.
    func signInFormKey() throws -> [UInt8]
}
