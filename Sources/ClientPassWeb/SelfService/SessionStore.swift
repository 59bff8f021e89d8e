import ClientPassCore
import Foundation
import Synchronization

/// A signed-in employee's session on the self-service page, kept only in the server's memory:
/// the cookie holds a random id and nothing else.
struct Session: Sendable {
    let accountID: Int64
    let accountName: String
    /// The mailbox-password hash at sign-in: a new mailbox password ends the session.
    let mailboxPasswordHash: String
    /// Sent back in every form; a POST without it changes nothing.
    let csrfToken: String
    let createdAt: Date
    /// When the mailbox password was last given (sign-in, or a confirmation before creating).
    var authenticatedAt: Date
    var lastSeenAt: Date
    /// A one-time message for the next page ("Revoked …").
    var notice: String?
}

/// The sessions of the self-service page, by id. Bounded: past ``PageConfiguration/maximumSessions``
/// the least recently used session ends. A restart of `serve` signs everyone out.
final class SessionStore: Sendable {
    private let sessions = Mutex<[String: Session]>([:])
    private let configuration: PageConfiguration

    init(configuration: PageConfiguration) {
        self.configuration = configuration
    }

    /// Starts a session for an account that has just signed in; a new random id every time, so
    /// an id known before sign-in is worth nothing after it.
    func create(for account: Account, at date: Date) -> (id: String, session: Session) {
        let id = RandomToken.make()
        let session = Session(accountID: account.id, accountName: account.name, mailboxPasswordHash: account.mailboxPasswordHash,
                              csrfToken: RandomToken.make(), createdAt: date, authenticatedAt: date, lastSeenAt: date)
        sessions.withLock { sessions in
            if sessions.count >= configuration.maximumSessions {
                sessions = sessions.filter { isLive($0.value, at: date) }
            }
            if sessions.count >= configuration.maximumSessions,
               let oldest = sessions.min(by: { $0.value.lastSeenAt < $1.value.lastSeenAt })?.key {
                sessions[oldest] = nil
            }
            sessions[id] = session
        }
        return (id, session)
    }

    /// The live session with this id, marked as seen now; an idle or too old one ends here.
    func session(id: String, at date: Date) -> Session? {
        sessions.withLock { sessions in
            guard var session = sessions[id] else { return nil }
            guard isLive(session, at: date) else {
                sessions[id] = nil
                return nil
            }
            session.lastSeenAt = date
            sessions[id] = session
            return session
        }
    }

    /// Changes a session in place; nothing happens when it has ended meanwhile.
    func update(id: String, _ change: (inout Session) -> Void) {
        sessions.withLock { sessions in
            if var session = sessions[id] {
                change(&session)
                sessions[id] = session
            }
        }
    }

    /// Takes the one-time notice of a session.
    func takeNotice(id: String) -> String? {
        sessions.withLock { sessions in
            let notice = sessions[id]?.notice
            sessions[id]?.notice = nil
            return notice
        }
    }

    func end(id: String) {
        sessions.withLock { _ = $0.removeValue(forKey: id) }
    }

    /// Live sessions at `date`; ended ones are dropped on the way.
    func liveCount(at date: Date) -> Int {
        sessions.withLock { sessions in
            sessions = sessions.filter { isLive($0.value, at: date) }
            return sessions.count
        }
    }

    private func isLive(_ session: Session, at date: Date) -> Bool {
        date.timeIntervalSince(session.lastSeenAt) < configuration.sessionIdleTimeout
            && date.timeIntervalSince(session.createdAt) < configuration.sessionMaximumAge
    }
}
