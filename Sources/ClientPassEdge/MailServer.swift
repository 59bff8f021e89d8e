import ClientPassCore
import Foundation

/// A mail server as employees type it into a mail client: name, port and connection security.
public struct MailServer: Sendable, Hashable, CustomStringConvertible {
    public enum Security: String, Sendable, Hashable, CaseIterable {
        /// TLS from the first byte ("SSL/TLS" in most mail clients).
        case tls
        /// Plain connection upgraded with STARTTLS.
        case starttls

        /// What mail clients call it.
        public var displayName: String { self == .tls ? "SSL/TLS" : "STARTTLS" }
    }

    public let host: String
    public let port: Int
    public let security: Security

    /// The servers a password's mail client or device is set up with, as the page, the API, the
    /// command line and the device card show them: one for each protocol it can log in with
    /// (``Account/usableServices(with:)``) that has a server in `servers`.
    public static func shown(for account: Account, limits: CredentialLimits, among servers: [MailService: MailServer]) -> [(
        service: MailService, server: MailServer
    )] {
        account.usableServices(with: limits).compactMap { service in servers[service].map { (service, $0) } }
    }

    /// The environment variable that names each protocol's server for mail clients
    /// (`serve --imap-server` and the profiles and cards of the CLI).
    public static let environmentVariables: [MailService: String] = [
        .imap: "CLIENTPASS_IMAP_SERVER", .pop3: "CLIENTPASS_POP3_SERVER", .smtp: "CLIENTPASS_SMTP_SERVER",
    ]

    /// Ports whose security is settled by convention (RFC 8314 and the IANA registry).
    static let conventionalSecurity: [Int: Security] = [993: .tls, 995: .tls, 465: .tls, 143: .starttls, 110: .starttls, 587: .starttls, 25: .starttls]

    public init(host: String, port: Int, security: Security) {
        self.host = host
        self.port = port
        self.security = security
    }

    /// Parses `HOST:PORT`, optionally followed by `tls` or `starttls` (required for ports other
    /// than 993, 995, 465, 143, 110, 587 and 25): `mail.example.com:993`,
    /// `mail.example.com:1143 starttls`, `[2001:db8::5]:993`.
    /// - Throws: ``InputError``.
    public init(parsing text: String) throws {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard (1...2).contains(parts.count) else {
            throw InputError("\(Quoted(text)) is not HOST:PORT [tls|starttls] (e.g. mail.example.com:993)")
        }
        let hostPort = parts[0]
        guard let (host, portText, bracketed) = splitHostAndPort(hostPort) else {
            throw InputError("\(Quoted(text)) is not HOST:PORT [tls|starttls] (e.g. mail.example.com:993)")
        }
        if bracketed {
            guard IPAddress(String(host)) != nil else { throw InputError("\(Quoted(String(host))) is not an IPv6 address") }
        } else {
            guard Self.isHostName(host) || IPAddress(String(host)) != nil else {
                throw InputError("\(Quoted(String(host))) is not a host name (letters, digits, hyphens and dots) or an IP address")
            }
        }
        let port = try parsePort(portText)
        let security: Security
        if parts.count == 2 {
            guard let given = Security(rawValue: parts[1].lowercased()) else {
                throw InputError("\(Quoted(String(parts[1]))) is not a connection security: give tls or starttls")
            }
            security = given
        } else if let conventional = Self.conventionalSecurity[port] {
            security = conventional
        } else {
            throw InputError("port \(port) has no conventional security: add tls or starttls (e.g. \(hostPort) tls)")
        }
        self.init(host: String(host), port: port, security: security)
    }

    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(hostPart):\(port) \(security.rawValue)"
    }

    /// A DNS name: labels of 1 to 63 letters, digits and inner hyphens, 253 characters at most.
    static func isHostName(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
