import Foundation

/// The secret a mail server's request must carry (nginx's `auth_http_header`, a bearer token).
/// Compared in constant time: both sides are hashed with a random key to equal length first, so
/// neither the content nor the length leaks through timing.
public struct SharedSecret: Sendable {
    private let key: [UInt8]
    private let digest: [UInt8]

    /// The shortest secret accepted.
    public static let minimumLength = 16

    /// - Parameter what: what the secret is, in messages ("shared secret", "metrics token").
    /// - Throws: ``InputError`` for a secret shorter than 16 characters.
    public init(_ secret: String, what: String = "shared secret") throws {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.utf8.count >= Self.minimumLength else {
            throw InputError("the \(what) has \(trimmed.utf8.count) characters; use at least \(Self.minimumLength) random ones (e.g. `openssl rand -hex 32`)")
        }
        key = Sodium.randomBytes(32)
        digest = Self.hash(trimmed, key: key)
    }

    /// Reads the secret from a file (its first line).
    /// - Throws: ``InputError`` when the file cannot be read, can be read by anyone on the host
    ///   (a group may read it: Dovecot's Lua passdb reads the shared secret as the `dovecot`
    ///   group), or holds too short a secret.
    public init(contentsOfFile path: String, what: String = "shared secret") throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError("cannot read the \(what) file \(path)")
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o007 != 0 {
            throw InputError(
                "the \(what) file \(path) can be read by anyone on this host: run chmod o-rwx \(path) "
                    + "(0600, or 0640 with the group that must read it)")
        }
        try self.init(String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""), what: what)
    }

    public func matches(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        return Sodium.constantTimeEquals(Self.hash(candidate, key: key), digest)
    }

    private static func hash(_ text: String, key: [UInt8]) -> [UInt8] {
        Array(text.utf8).withUnsafeBytes { Sodium.keyedHash($0, key: key, outputLength: 32) }
    }
}
