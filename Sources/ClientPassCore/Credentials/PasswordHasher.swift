import Foundation

/// A capability to turn secrets into stored hashes and to check secrets against them.
public protocol PasswordHasher: Sendable {
    /// Hashes `secret` into a self-describing string (algorithm, parameters, salt, digest).
    /// - Throws: ``HashingError`` when the hash cannot be computed (for example, out of memory).
    func hash(_ secret: Secret) throws -> String

    /// Whether `secret` matches `storedHash`. A malformed hash never matches.
    func verify(_ secret: Secret, against storedHash: String) -> Bool

    /// Whether `storedHash` was made with other parameters than this hasher's and should be
    /// replaced after the next successful verification.
    func needsRehash(_ storedHash: String) -> Bool
}

/// A failure to compute a hash.
public struct HashingError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension HashingError: LocalizedError {
    public var errorDescription: String? { description }
}
