import ClientPassCore
import Foundation
import Synchronization

/// One-time links to a new app password's Mail profile, for the page's QR code: a random token
/// in the URL (nothing else), good for one download within 10 minutes, and only while the app
/// password exists. Kept in `serve`'s memory only; the profile (which holds the password) is
/// dropped when the link is used or expires.
final class ProfileLinks: Sendable {
    static let lifetime: TimeInterval = 600

    struct Link: Sendable {
        /// The account's canonical name, to find it again.
        let account: String
        let accountID: Int64
        let appPasswordID: Int
        let appPasswordCreatedAt: Date
        let profile: Data
        let expires: Date
    }

    private let links = Mutex<[String: Link]>([:])

    /// Keeps `profile` for one download; returns the link's token.
    func add(_ profile: Data, for password: AppPassword, of account: Account, at date: Date) -> String {
        let token = RandomToken.make()
        links.withLock { links in
            links = links.filter { $0.value.expires > date }
            links[token] = Link(account: account.name, accountID: password.accountID, appPasswordID: password.id, appPasswordCreatedAt: password.createdAt,
                                profile: profile, expires: date.addingTimeInterval(Self.lifetime))
        }
        return token
    }

    /// The link's profile, once: the link is gone afterwards, and `nil` when it is unknown, used
    /// or expired.
    func take(_ token: String, at date: Date) -> Link? {
        links.withLock { links in
            guard let link = links.removeValue(forKey: token), link.expires > date else { return nil }
            return link
        }
    }
}
