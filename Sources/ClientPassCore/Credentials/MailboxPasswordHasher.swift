import Foundation
import Synchronization

/// The mailbox password's hasher: Argon2id at the store's cost (``DomainPolicy/hashing``) for every new hash, and the
/// check of both kinds of stored hash — clientpass's own, and a hash an import brought from the
/// mail server (``ImportedPasswordHash``), which always needs a rehash.
///
/// An imported hash is checked in its own scheme and then, in the same call, against a dummy
/// Argon2id hash of the same cost: a refusal for an account with an imported
/// `{SHA512-CRYPT}` hash takes as long as one for an unknown account (plus the scheme's own
/// few milliseconds), so that timing does not tell them apart. Schemes slower than that (a
/// high bcrypt cost) stay observable until the account's first login rehashes them.
public struct MailboxPasswordHasher: PasswordHasher {
    let argon2id: any PasswordHasher
    private let padding: ImportPadding

    public init(parameters: Argon2idParameters) {
        self.init(argon2id: Argon2idHasher(parameters: parameters), parameters: parameters)
    }

    /// - Parameter argon2id: the Argon2id hasher at `parameters` (tests count its evaluations).
    init(argon2id: any PasswordHasher, parameters: Argon2idParameters) {
        self.argon2id = argon2id
        padding = ImportPadding(parameters)
    }

    public func hash(_ secret: Secret) throws -> String {
        try argon2id.hash(secret)
    }

    public func verify(_ secret: Secret, against storedHash: String) throws -> Bool {
        guard storedHash.hasPrefix("{") else {
            let matches = try argon2id.verify(secret, against: storedHash)
            // An imported {ARGON2ID} hash, or one made at an earlier, lower cost, is checked
            // faster than the dummy an unknown account is checked against: padded to it.
            if padding.isCheaper(storedHash) { _ = try argon2id.verify(secret, against: padding.hash) }
            return matches
        }
        // The directory checks these (DecisionEngine.checkWithDirectory); here, nothing matches.
        guard storedHash != DirectorySettings.passwordMarker else {
            _ = try argon2id.verify(secret, against: padding.hash)
            return false
        }
        let imported: ImportedPasswordHash
        do {
            imported = try ImportedPasswordHash(parsing: storedHash)
        } catch {
            throw HashingError(description: "a stored imported mailbox password hash is damaged: \(error)")
        }
        let matches = try imported.verify(secret)
        _ = try argon2id.verify(secret, against: padding.hash)
        return matches
    }

    /// Imported hashes always; clientpass's own when made at another cost; never the marker of
    /// an account whose password the directory checks (nothing of it may be kept).
    public func needsRehash(_ storedHash: String) -> Bool {
        guard storedHash != DirectorySettings.passwordMarker else { return false }
        return storedHash.hasPrefix("{") || argon2id.needsRehash(storedHash)
    }

    /// Whether a stored mailbox password hash is an imported one of a weak scheme (plain text,
    /// MD5-crypt, DES-crypt): `admin account list` flags it until the next login rehashes it.
    public static func isWeak(_ storedHash: String) -> Bool {
        guard storedHash.hasPrefix("{"), storedHash != DirectorySettings.passwordMarker else { return false }
        return (try? ImportedPasswordHash(parsing: storedHash))?.scheme.isWeak ?? true
    }

    /// The scheme of a stored mailbox password hash as Dovecot names it: `ARGON2ID` for
    /// clientpass's own, or the imported scheme.
    public static func schemeName(_ storedHash: String) -> String {
        guard storedHash.hasPrefix("{") else { return "ARGON2ID" }
        if storedHash == DirectorySettings.passwordMarker { return "DIRECTORY" }
        return (try? ImportedPasswordHash(parsing: storedHash))?.scheme.rawValue ?? "unknown"
    }
}

/// The dummy Argon2id hash an imported hash's check is padded with, made on first use.
private final class ImportPadding: Sendable {
    private let parameters: Argon2idParameters
    private let made = Mutex<String?>(nil)

    init(_ parameters: Argon2idParameters) { self.parameters = parameters }

    var hash: String {
        made.withLock { made in
            if let made { return made }
            let new = DecisionEngine.makeDummyHash(parameters)
            made = new
            return new
        }
    }

    /// Whether checking `storedHash` (an Argon2id string) costs less work, memory × passes,
    /// than checking the dummy; a string that is not one is left to the check to refuse.
    func isCheaper(_ storedHash: String) -> Bool {
        guard let encoded = try? EncodedArgon2(parsing: storedHash, algorithm: .argon2id) else { return false }
        return encoded.memoryKiB * encoded.iterations < parameters.memoryKiB * parameters.iterations
    }
}
