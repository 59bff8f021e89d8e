import ClientPassCore
import ClientPassEdge
import Foundation
import Logging

/// What the page and the API do alike, in one place, so that a rule changed here changes both:
/// the mailbox password asked again before a new app password, and the open mail sessions
/// ended when a password is revoked. (Both call the same credential manager for the rest.)
struct SelfServiceOperations: Sendable {
    let engine: DecisionEngine
    let configuration: PageConfiguration
    let terminator: SessionTerminator?
    let logger: Logger

    /// Whether the mailbox password must be given again before an app password is made.
    enum Confirmation: Sendable, Equatable {
        /// Go on; the date is the new time of the last authentication when the password was
        /// given again, `nil` when it was not needed.
        case confirmed(Date?)
        case passwordNeeded
        case wrongPassword
        case throttled(TimeInterval)
    }

    /// Whether creating an app password needs the mailbox password again: the session's last
    /// authentication is ``PageConfiguration/reauthenticationAfter`` old or older.
    func needsPassword(_ session: Session) -> Bool {
        engine.currentDate.timeIntervalSince(session.authenticatedAt) >= configuration.reauthenticationAfter
    }

    /// Before a new app password: when the session's authentication is too old, `password` must
    /// be the account's mailbox password, checked and throttled as a sign-in from `address`.
    func confirmRecentSignIn(
        _ session: Session, of account: Account, password: String?, address: IPAddress,
        channel: SignInChannel
    ) async throws -> Confirmation {
        guard needsPassword(session) else { return .confirmed(nil) }
        guard let password, !password.isEmpty else { return .passwordNeeded }
        switch try await engine.signIn(user: account.name, mailboxPassword: Secret(password), address: address, channel: channel, confirming: true) {
        case .signedIn(let signedIn) where signedIn.id == account.id:
            return .confirmed(engine.currentDate)
        case .throttled(let retryAfter):
            return .throttled(retryAfter)
        default:
            return .wrongPassword
        }
    }

    /// Runs the kick command for the accounts that lost access (off the event loop); failures
    /// are logged, the change itself is committed.
    func endMailSessions(_ consequences: Consequences) async {
        guard let terminator, !consequences.accountsLosingAccess.isEmpty else { return }
        let failures = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: terminator.terminateSessions(of: consequences.accountsLosingAccess)) }
        }
        for failure in failures { logger.warning("\(failure)") }
    }
}
