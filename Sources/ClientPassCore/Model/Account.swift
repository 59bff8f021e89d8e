import Foundation

/// An account as the store holds it.
public struct Account: Sendable, Hashable {
    public enum Status: String, Sendable, Codable, Hashable {
        case active, disabled
    }

    /// The store's row id: stable, never shown as the account's name.
    public let id: Int64
    /// The canonical name (as created).
    public let name: String
    public let departmentID: Int64?
    public let department: String?
    public let status: Status
    public let services: Services
    public internal(set) var mailboxPasswordHash: String
    public let createdAt: Date
    /// The last login with the mailbox password in a mail client.
    public var mailboxLastUsed: LastUse?
    /// A member of the help desk: on the page, it may issue device passwords for any account.
    public let isHelpDesk: Bool
    /// The directory entry a sync found this account in (directory mode), else `nil`.
    public let directoryDN: String?
    /// Disabled by a sync (disabled or gone in the directory): a sync enables it again when the
    /// directory does. An account an administrator disabled stays disabled.
    public let isDisabledByDirectory: Bool

    /// Whether the directory checks this account's mailbox password (a bind as the user).
    public var usesDirectoryPassword: Bool { mailboxPasswordHash == DirectorySettings.passwordMarker }

    /// Where the account's mailbox password is checked.
    public enum PasswordSource: String, Sendable {
        /// clientpass's own Argon2id hash.
        case local
        /// The directory, by a bind as the user (directory mode).
        case directory
        /// A hash brought by `admin account import`, checked in its scheme until the first
        /// login rehashes it.
        case imported
    }

    /// The protocols an app password with these limits can log in with: its own (every one
    /// when it names none), among those on for this account. The page, the API, the command
    /// line and the device card list servers for these, and for no others.
    public func usableServices(with limits: CredentialLimits) -> [MailService] {
        MailService.allCases.filter { services[$0] && (limits.protocols.isEmpty || limits.protocols.contains($0)) }
    }

    public var passwordSource: PasswordSource {
        if usesDirectoryPassword { return .directory }
        return mailboxPasswordHash.hasPrefix("{") ? .imported : .local
    }

    public init(
        id: Int64, name: String, departmentID: Int64?, department: String?, status: Status,
        services: Services, mailboxPasswordHash: String, createdAt: Date, mailboxLastUsed: LastUse? = nil, isHelpDesk: Bool = false,
        directoryDN: String? = nil, isDisabledByDirectory: Bool = false
    ) {
        self.mailboxLastUsed = mailboxLastUsed
        self.isHelpDesk = isHelpDesk
        self.directoryDN = directoryDN
        self.isDisabledByDirectory = isDisabledByDirectory
        self.id = id
        self.name = name
        self.departmentID = departmentID
        self.department = department
        self.status = status
        self.services = services
        self.mailboxPasswordHash = mailboxPasswordHash
        self.createdAt = createdAt
    }
}

/// When, from where and over which protocol a credential last logged in.
public struct LastUse: Sendable, Hashable {
    public let at: Date
    public let address: String?
    public let service: MailService?

    public init(at: Date, address: String?, service: MailService?) {
        self.at = at
        self.address = address
        self.service = service
    }
}

/// A department with its number of accounts.
public struct Department: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let accountCount: Int
    public let createdAt: Date

    public init(id: Int64, name: String, accountCount: Int, createdAt: Date) {
        self.id = id
        self.name = name
        self.accountCount = accountCount
        self.createdAt = createdAt
    }
}

/// What narrows an app password below what its account may do. Empty means no limit.
public struct CredentialLimits: Sendable, Hashable {
    /// Protocols the password works for; empty: every service the account has.
    public var protocols: Set<MailService>
    /// Networks the password works from; empty: anywhere the policy allows.
    public var networks: [IPNetwork]
    public var expiresAt: Date?

    public init(protocols: Set<MailService> = [], networks: [IPNetwork] = [], expiresAt: Date? = nil) {
        self.protocols = protocols
        self.networks = networks
        self.expiresAt = expiresAt
    }

    public static let none = CredentialLimits()
}

/// An app password's metadata. The secret itself is never stored; ``hash`` and ``selector`` are.
public struct AppPassword: Sendable, Hashable {
    public let accountID: Int64
    /// Small and stable within the account; never reused after revocation.
    public let id: Int
    public let label: String
    public let limits: CredentialLimits
    /// Who made it: the account itself, or an administrator (a device password).
    public let issuedBy: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let lastUsedAddress: String?
    public let lastUsedProtocol: MailService?
    public let selector: String
    public let hash: String

    public init(
        accountID: Int64, id: Int, label: String, limits: CredentialLimits, issuedBy: String,
        createdAt: Date, lastUsedAt: Date?, lastUsedAddress: String?, lastUsedProtocol: MailService?,
        selector: String, hash: String
    ) {
        self.accountID = accountID
        self.id = id
        self.label = label
        self.limits = limits
        self.issuedBy = issuedBy
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.lastUsedAddress = lastUsedAddress
        self.lastUsedProtocol = lastUsedProtocol
        self.selector = selector
        self.hash = hash
    }
}
