/// The store's key for app-password selectors.
///
/// A selector is a short keyed hash of an app password, stored in clear beside its Argon2id hash.
/// At login, the selector of the typed secret picks the single stored hash to check, so a login
/// costs one Argon2id evaluation however many app passwords the account has. Twelve hex digits
/// (48 bits) tell nothing useful about a 75-bit secret, and make collisions within one account
/// (at most a few dozen passwords) practically impossible; the store also refuses duplicates.
public struct SelectorKey: Sendable, Equatable {
    public static let byteCount = 32
    static let selectorByteCount = 6

    public let bytes: [UInt8]

    /// - Throws: ``StoreError`` when the stored key has the wrong length.
    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.byteCount else {
            throw StoreError.corrupt("the selector key has \(bytes.count) bytes instead of \(Self.byteCount)")
        }
        self.bytes = bytes
    }

    /// A new random key from libsodium's CSPRNG.
    public static func generate() -> SelectorKey {
        // The length is right by construction.
        try! SelectorKey(bytes: Sodium.randomBytes(byteCount))
    }

    /// The selector of a normalised app password.
    public func selector(for normalizedAppPassword: Secret) -> String {
        let digest = normalizedAppPassword.withUnsafeBytes {
            Sodium.keyedHash($0, key: bytes, outputLength: 16)
        }
        return digest.prefix(Self.selectorByteCount).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// What throttling counts an unknown account name's failures under: a keyed digest of the
    /// lowercased name, so that what was typed (often a password in the wrong field) is never
    /// stored, while repeated attempts at one name still count together.
    public func unknownAccountKey(for name: String) -> String {
        "unknown:" + fingerprint(of: name)
    }

    /// A short keyed digest of a string (16 hex digits): it tells two attempts at the same
    /// unknown name apart from attempts at different ones, and reveals nothing of the name.
    public func fingerprint(of text: String) -> String {
        // Domain-separated from app-password selectors, which the same key derives.
        let digest = Array(("clientpass fingerprint\0" + text).utf8).withUnsafeBytes { Sodium.keyedHash($0, key: bytes, outputLength: 16) }
        return digest.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
