import ClientPassCore
import Foundation

/// A signed-in employee's session on the self-service page.
typealias Session = StoredSession

/// The sessions of the self-service page, kept in the store (``SessionStore``): the cookie holds
/// a random token, the store only its digest, so every `serve` on the store sees the same
/// sessions, a sign-out anywhere ends one everywhere, and a restart signs nobody out. Bounded:
/// past ``PageConfiguration/maximumSessionsPerAccount`` an account's least recently used session
/// ends, past ``PageConfiguration/maximumSessions`` anyone's.
final class PageSessions: Sendable {
    private let store: any SessionStore
    private let configuration: PageConfiguration
    /// The page's cookies, or the API's bearer tokens: each works only where it was made.
    let kind: StoredSession.Kind

    init(store: any SessionStore, configuration: PageConfiguration, kind: StoredSession.Kind = .page) {
        self.store = store
        self.configuration = configuration
        self.kind = kind
    }

    private var lifetime: SessionLifetime {
        SessionLifetime(idleTimeout: configuration.sessionIdleTimeout, maximumAge: configuration.sessionMaximumAge)
    }

    /// Starts a session for an account that has just signed in; a new random token every time,
    /// so a token known before sign-in is worth nothing after it.
    func create(for account: Account, at date: Date) throws -> (id: String, session: Session) {
        let id = RandomToken.make()
        let session = Session(
            kind: kind, accountID: account.id, accountName: account.name, mailboxPasswordDigest: Session.digest(ofMailboxHash: account.mailboxPasswordHash),
            csrfToken: RandomToken.make(), createdAt: date, authenticatedAt: date, lastSeenAt: date)
        try store.createSession(
            session, digest: RandomToken.storedDigest(of: id), maximum: configuration.maximumSessions,
            perAccount: configuration.maximumSessionsPerAccount, lifetime: lifetime, at: date)
        return (id, session)
    }

    /// The live session with this token, marked as seen now; an idle or too old one ends here.
    func session(id: String, at date: Date) throws -> Session? {
        try store.session(digest: RandomToken.storedDigest(of: id), kind: kind, lifetime: lifetime, at: date)
    }

    /// The live session with this token and its account, when the account still may use it:
    /// present, active, with the mailbox password it signed in with. Otherwise the session ends
    /// here. The page's cookies and the API's tokens are checked alike.
    func signedIn(id: String, at date: Date, manager: CredentialManager) throws -> (session: Session, account: Account)? {
        guard !id.isEmpty, let session = try session(id: id, at: date) else { return nil }
        let account = try manager.currentAccount(named: session.accountName)
        guard let account, account.id == session.accountID, account.status == .active,
            Session.digest(ofMailboxHash: account.mailboxPasswordHash) == session.mailboxPasswordDigest
        else {
            try end(id: id)
            return nil
        }
        return (session, account)
    }

    /// Changes a session in place; nothing happens when it has ended meanwhile.
    func update(id: String, _ change: (inout Session) -> Void) throws {
        try store.updateSession(digest: RandomToken.storedDigest(of: id), change)
    }

    /// Takes the one-time notice of a session.
    func takeNotice(id: String) throws -> String? {
        try store.takeSessionNotice(digest: RandomToken.storedDigest(of: id))
    }

    func end(id: String) throws {
        try store.endSession(digest: RandomToken.storedDigest(of: id))
    }

    /// Live sessions at `date`; ended ones are dropped on the way.
    func liveCount(at date: Date) throws -> Int {
        try store.liveSessionCount(lifetime: lifetime, at: date)
    }
}
