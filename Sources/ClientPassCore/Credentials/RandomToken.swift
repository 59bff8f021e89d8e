import Foundation

/// Unguessable tokens for the self-service page's sessions and forms, from libsodium's CSPRNG.
public enum RandomToken {
    /// `byteCount` random bytes as unpadded base64url: 43 characters for the default 32 bytes,
    /// safe in a cookie, a form field and a URL.
    public static func make(byteCount: Int = 32) -> String {
        base64URL(Sodium.randomBytes(byteCount))
    }

    /// A fresh 32-byte key for ``digest(of:key:)``.
    public static func makeKey() -> [UInt8] {
        Sodium.randomBytes(32)
    }

    /// Keyed BLAKE2b-256 of `text`, base64url: ties a form's token to a cookie without keeping
    /// anything on the server.
    public static func digest(of text: String, key: [UInt8]) -> String {
        let bytes = Array(text.utf8)
        return base64URL(bytes.withUnsafeBytes { Sodium.keyedHash($0, key: key, outputLength: 32) })
    }

    /// What a store keeps of a bearer token (a session's cookie): BLAKE2b-256 under a fixed
    /// domain-separation key, base64url. A token has 256 random bits, so its digest cannot be
    /// turned back into it, and a copy of the store opens no session.
    public static func storedDigest(of token: String) -> String {
        digest(of: token, key: storedDigestKey)
    }

    private static let storedDigestKey = Array("clientpass stored token digest 1".utf8)

    /// `data` encrypted and authenticated under a key derived from `token` alone, for a store
    /// that keeps something only the token's holder may read (a set-up link's profile): the
    /// store keeps the token's ``storedDigest(of:)``, from which the key cannot be had.
    public static func seal(_ data: Data, under token: String) -> Data {
        Data(Sodium.seal(Array(data), key: sealingKey(token)))
    }

    /// What ``seal(_:under:)`` sealed under `token`; `nil` for another token or changed bytes.
    public static func open(_ sealed: Data, under token: String) -> Data? {
        Sodium.open(Array(sealed), key: sealingKey(token)).map { Data($0) }
    }

    private static func sealingKey(_ token: String) -> [UInt8] {
        let bytes = Array(token.utf8)
        return bytes.withUnsafeBytes { Sodium.keyedHash($0, key: sealingKeyKey, outputLength: 32) }
    }

    private static let sealingKeyKey = Array("clientpass token sealing key v1.".utf8)

    /// Compares two tokens in constant time (for equally long inputs).
    public static func equal(_ a: String, _ b: String) -> Bool {
        Sodium.constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
