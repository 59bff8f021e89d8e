import Foundation

/// A capability to turn secrets into stored hashes and to check secrets against them.
public protocol PasswordHasher: Sendable {
    /// Hashes `secret` into a self-describing string (algorithm, parameters, salt, digest).
    /// - Throws: ``HashingError`` when the hash cannot be computed (for example, out of memory).
    func hash(_ secret: Secret) throws -> String

    /// Whether `secret` matches `storedHash`. A hash of another algorithm never matches.
    /// - Throws: ``HashingError`` when the check could not be made (out of memory, a damaged
    ///   hash): the answer is unknown, which is never a match and never a wrong password.
    func verify(_ secret: Secret, against storedHash: String) throws -> Bool

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
