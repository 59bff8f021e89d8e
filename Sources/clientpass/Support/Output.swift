import ClientPassCore
import ClientPassEdge
import Foundation

/// Writes command results: one JSON document, or text for people.
enum Output {
    /// Prints `value` as one pretty-printed JSON document with sorted keys and RFC 3339 UTC times.
    static func json<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// Prints rows in aligned columns under a header. Every cell goes through
    /// ``Untrusted/escaped(_:limit:)``: a cell may hold what an attacker typed (an old audit
    /// entry's account name), and must not reach the terminal as escape sequences or new lines.
    static func table(_ header: [String], _ rows: [[String]]) {
        let rows = rows.map { $0.map { Untrusted.escaped($0, limit: 512) } }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
    }
}

/// What people read about an app password's limits: "IMAP, SMTP only; from 10.0.3.0/24; expires in 89 days".
func describeLimits(_ limits: CredentialLimits, now: Date) -> String {
    var parts: [String] = []
    if !limits.protocols.isEmpty {
        parts.append(limits.protocols.sorted().map(\.displayName).joined(separator: ", ") + " only")
    }
    if !limits.networks.isEmpty {
        parts.append("from " + limits.networks.map(\.description).joined(separator: ", "))
    }
    if let expiry = limits.expiresAt {
        parts.append((expiry > now ? "expires " : "expired ") + HumanTime.relative(expiry, now: now))
    }
    return parts.isEmpty ? "none" : parts.joined(separator: "; ")
}

/// An app password as JSON: `id`, `label`, `created_at`, `protocols`, `networks`, `expires_at`,
/// plus `password` right after generation, or the `last_used_*` fields in listings.
struct AppPasswordJSON: Encodable {
    let appPassword: AppPassword
    var password: String?
    var includeUsage: Bool
    /// A new password's mail servers (`password generate`), as the API's `servers`.
    var servers: [(service: MailService, server: MailServer)] = []

    enum CodingKeys: String, CodingKey {
        case id, label, password, createdAt = "created_at", protocols, networks, expiresAt = "expires_at"
        case issuedBy = "issued_by", lastUsedAt = "last_used_at", lastUsedIP = "last_used_ip", lastUsedProtocol = "last_used_protocol"
        case servers
    }

    private struct ServerJSON: Encodable {
        let `protocol`: String
        let host: String
        let port: Int
        let security: String
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(appPassword.id, forKey: .id)
        try container.encode(appPassword.label, forKey: .label)
        if let password { try container.encode(password, forKey: .password) }
        try container.encode(appPassword.createdAt, forKey: .createdAt)
        try container.encode(appPassword.limits.protocols.sorted().map(\.rawValue), forKey: .protocols)
        try container.encode(appPassword.limits.networks.map(\.description), forKey: .networks)
        try container.encode(appPassword.limits.expiresAt, forKey: .expiresAt)
        try container.encode(appPassword.issuedBy, forKey: .issuedBy)
        if password != nil && !includeUsage {
            try container.encode(
                servers.map {
                    ServerJSON(
                        protocol: $0.service.rawValue, host: $0.server.host, port: $0.server.port,
                        security: $0.server.security.rawValue)
                }, forKey: .servers)
        }
        if includeUsage {
            try container.encode(appPassword.lastUsedAt, forKey: .lastUsedAt)
            try container.encode(appPassword.lastUsedAddress, forKey: .lastUsedIP)
            try container.encode(appPassword.lastUsedProtocol?.rawValue, forKey: .lastUsedProtocol)
        }
    }
}

/// An account as JSON.
struct AccountJSON: Encodable {
    let account: Account
    let appPasswordCount: Int

    enum CodingKeys: String, CodingKey {
        case name, department, status, services, createdAt = "created_at", appPasswords = "app_passwords", helpDesk = "help_desk"
        case mailboxPasswordScheme = "mailbox_password_scheme", weakMailboxPasswordHash = "weak_mailbox_password_hash", source
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(account.name, forKey: .name)
        try container.encode(account.department, forKey: .department)
        try container.encode(account.status.rawValue, forKey: .status)
        try container.encode(account.services, forKey: .services)
        try container.encode(account.createdAt, forKey: .createdAt)
        try container.encode(appPasswordCount, forKey: .appPasswords)
        try container.encode(account.isHelpDesk, forKey: .helpDesk)
        try container.encode(MailboxPasswordHasher.schemeName(account.mailboxPasswordHash), forKey: .mailboxPasswordScheme)
        try container.encode(MailboxPasswordHasher.isWeak(account.mailboxPasswordHash), forKey: .weakMailboxPasswordHash)
        try container.encode(account.passwordSource.rawValue, forKey: .source)
    }
}

/// `access` as JSON.
struct AccessJSON: Encodable {
    let summary: AccessReport

    enum CodingKeys: String, CodingKey {
        case account, services, thirdPartyClients = "third_party_clients", secureNetworks = "secure_networks"
        case securePasswordRequired = "secure_password_required", exception, status, firstPartyHosts = "first_party_hosts"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(summary.accountName, forKey: .account)
        try container.encode(summary.isDisabled ? Account.Status.disabled.rawValue : Account.Status.active.rawValue, forKey: .status)
        try container.encode(summary.services, forKey: .services)
        try container.encode(summary.thirdPartyClients.rawValue, forKey: .thirdPartyClients)
        try container.encode(summary.secureNetworks.map(\.network.description), forKey: .secureNetworks)
        try container.encode(summary.isSecurePasswordRequired, forKey: .securePasswordRequired)
        try container.encode(summary.isException, forKey: .exception)
        try container.encode(summary.firstPartyHosts.map(NetworkJSON.init), forKey: .firstPartyHosts)
    }
}
