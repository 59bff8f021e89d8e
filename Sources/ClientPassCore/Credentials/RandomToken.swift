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

    /// Compares two tokens in constant time (for equally long inputs).
    public static func equal(_ a: String, _ b: String) -> Bool {
        Sodium.constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
