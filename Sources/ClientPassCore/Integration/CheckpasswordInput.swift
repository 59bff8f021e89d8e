import Foundation

/// The request of Dovecot's checkpassword interface (2.3): `user\0password\0timestamp\0` on file
/// descriptor 3, the protocol in `SERVICE`, the client in `TCPREMOTEIP`, and the host that
/// really connected in `AUTH_REAL_RIP` (they differ when a host in Dovecot's
/// `login_trusted_networks`, a webmail, forwards its user's address).
public struct CheckpasswordInput: Sendable {
    /// Dovecot refuses to send more than this; anything longer is malformed.
    public static let maximumLength = 512

    public let user: String
    public let password: Secret
    public let service: MailService
    public let address: IPAddress
    /// The host that opened the connection: `AUTH_REAL_RIP`, else the client.
    public let connectingAddress: IPAddress

    /// Why a request cannot be decided: it is refused (exit 1), never allowed.
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// - Parameters:
    ///   - data: what was read from fd 3 (at most `maximumLength + 1` bytes).
    ///   - environment: the process environment.
    /// - Throws: ``Malformed`` for oversized or malformed input, an unknown service, or a
    ///   missing or invalid client address.
    public init(data: [UInt8], environment: [String: String]) throws {
        guard data.count <= Self.maximumLength else {
            throw Malformed(description: "the request on fd 3 is longer than \(Self.maximumLength) bytes")
        }
        let fields = data.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count >= 3, !fields[0].isEmpty else {
            throw Malformed(description: "the request on fd 3 is not user\\0password\\0…")
        }
        guard let user = String(bytes: fields[0], encoding: .utf8) else {
            throw Malformed(description: "the user name is not UTF-8")
        }
        let serviceName = (environment["SERVICE"] ?? "").lowercased()
        let service: MailService
        switch serviceName {
        case "imap": service = .imap
        case "pop3": service = .pop3
        case "smtp", "submission": service = .smtp
        default: throw Malformed(description: "SERVICE \(Quoted(serviceName)) is not imap, pop3, smtp or submission")
        }
        guard let remote = environment["TCPREMOTEIP"], let address = IPAddress(remote) else {
            throw Malformed(description: "TCPREMOTEIP is missing or not an IP address")
        }
        var connectingAddress = address
        if let real = environment["AUTH_REAL_RIP"], !real.isEmpty {
            guard let parsed = IPAddress(real) else { throw Malformed(description: "AUTH_REAL_RIP is not an IP address") }
            connectingAddress = parsed
        }
        self.connectingAddress = connectingAddress
        self.user = user
        self.password = Secret(bytes: fields[1])
        self.service = service
        self.address = address
    }
}
