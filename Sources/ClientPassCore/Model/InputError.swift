import Foundation

/// Input that clientpass cannot accept: a malformed name, label, network, expiry or password.
/// The CLI reports it as a usage error (exit 64); nothing has been changed when it is thrown.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension InputError: LocalizedError {
    public var errorDescription: String? { description }
}
