import ClientPassCore
import Foundation
import Synchronization

/// One-time links to a new app password's Mail profile, for the page's QR code: a random token
/// in the URL (nothing else), good for one download within 10 minutes, and only while the app
/// password exists.
///
/// The links live in the store (``SetupLinkStore``), so that a link made on one node opens on
/// any other, once across all of them. The store keeps the token's digest and the profile
/// (which holds the password) sealed under a key derived from the token: neither the store nor
/// a copy of it gives the password without the link. The row goes when the link is used or,
/// after it expires, when the next link is made.
struct ProfileLinks: Sendable {
    static let lifetime: TimeInterval = 600
    /// An account's links kept at once; older ones stop working.
    static let perAccount = 10

    struct Link: Sendable {
        /// The account's canonical name, to find it again.
        let account: String
        let accountID: Int64
        let appPasswordID: Int
        let appPasswordCreatedAt: Date
        let profile: Data
    }

    let store: any SetupLinkStore

    /// Keeps `profile` for one download; returns the link's token.
    func add(_ profile: Data, for password: AppPassword, of account: Account, at date: Date) throws -> String {
        let token = RandomToken.make()
        let link = StoredSetupLink(
            accountID: password.accountID, accountName: account.name, appPasswordID: password.id,
            appPasswordCreatedAt: password.createdAt, sealedProfile: RandomToken.seal(profile, under: token),
            expiresAt: date.addingTimeInterval(Self.lifetime))
        try store.addSetupLink(link, digest: RandomToken.storedDigest(of: token), perAccount: Self.perAccount, at: date)
        return token
    }

    /// The link's profile, once: the link is gone afterwards, and `nil` when it is unknown, used
    /// or expired.
    func take(_ token: String, at date: Date) throws -> Link? {
        guard let stored = try store.takeSetupLink(digest: RandomToken.storedDigest(of: token), at: date),
            let profile = RandomToken.open(stored.sealedProfile, under: token)
        else { return nil }
        return Link(
            account: stored.accountName, accountID: stored.accountID, appPasswordID: stored.appPasswordID,
            appPasswordCreatedAt: stored.appPasswordCreatedAt, profile: profile)
    }
}

/// The key of the sign-in form's token (``SessionStore/signInFormKey()``), read from the store
/// once and then kept.
final class SignInFormKey: Sendable {
    private let store: any SessionStore
    private let cached = Mutex<[UInt8]?>(nil)

    init(store: any SessionStore) {
        self.store = store
    }

    func bytes() throws -> [UInt8] {
        if let key = cached.withLock({ $0 }) { return key }
        let key = try store.signInFormKey()
        cached.withLock { $0 = key }
        return key
    }
}
