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
    public let mailboxPasswordHash: String
    public let createdAt: Date
    /// The last login with the mailbox password in a mail client.
    public var mailboxLastUsed: LastUse?

    public init(id: Int64, name: String, departmentID: Int64?, department: String?, status: Status,
                services: Services, mailboxPasswordHash: String, createdAt: Date, mailboxLastUsed: LastUse? = nil) {
        self.mailboxLastUsed = mailboxLastUsed
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
    public let service: Service?

    public init(at: Date, address: String?, service: Service?) {
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
    public var protocols: Set<Service>
    /// Networks the password works from; empty: anywhere the policy allows.
    public var networks: [IPNetwork]
    public var expiresAt: Date?

    public init(protocols: Set<Service> = [], networks: [IPNetwork] = [], expiresAt: Date? = nil) {
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
    public let lastUsedProtocol: Service?
    public let selector: String
    public let hash: String

    public init(accountID: Int64, id: Int, label: String, limits: CredentialLimits, issuedBy: String,
                createdAt: Date, lastUsedAt: Date?, lastUsedAddress: String?, lastUsedProtocol: Service?,
                selector: String, hash: String) {
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

/// The domain policy: one per store.
public struct DomainPolicy: Sendable, Hashable {
    public enum ThirdPartyClients: String, Sendable, Codable {
        case allowed, blocked
    }

    public enum Enforcement: String, Sendable, Codable {
        /// The mailbox password works in third-party clients (where the rest of the policy allows).
        case off
        /// Only app passwords work in third-party clients, for every account but the exceptions.
        case all
        /// Only app passwords work for the selected departments and accounts, but the exceptions.
        case selected
    }

    public var thirdPartyClients: ThirdPartyClients
    public var enforcement: Enforcement
    public var maximumAppPasswords: Int
    public var throttling: ThrottlePolicy

    public init(thirdPartyClients: ThirdPartyClients, enforcement: Enforcement, maximumAppPasswords: Int,
                throttling: ThrottlePolicy = .standard) {
        self.thirdPartyClients = thirdPartyClients
        self.enforcement = enforcement
        self.maximumAppPasswords = maximumAppPasswords
        self.throttling = throttling
    }
}

/// When repeated failures make the decision answer `throttled` before any hashing.
///
/// An attempt is counted when it is admitted to hashing, before its hash (see
/// ``DecisionSnapshot/reservation``), so attempts that arrive together get no more tries than
/// attempts that arrive one after another.
public struct ThrottlePolicy: Sendable, Hashable {
    /// Failures of one account from one address within the window.
    public var accountFailures: Int
    /// Failures from one address, whatever the account, within the window (password spraying).
    public var addressFailures: Int
    /// Failures of one account from all addresses together within the window (guessing spread
    /// over many addresses). Past it, only addresses that one of the account's credentials has
    /// logged in from before are still let through, so the owner's own devices keep working.
    public var accountWideFailures: Int
    public var window: TimeInterval

    public init(accountFailures: Int, addressFailures: Int, accountWideFailures: Int = ThrottlePolicy.standard.accountWideFailures,
                window: TimeInterval) {
        self.accountFailures = accountFailures
        self.addressFailures = addressFailures
        self.accountWideFailures = accountWideFailures
        self.window = window
    }

    /// Whether these failures within the window mean the next attempt is answered `throttled`.
    /// - Parameters:
    ///   - accountWideFailures: the account's failures from every address.
    ///   - isKnownAddress: one of the account's credentials has logged in from this address (or
    ///     its IPv6 /64) before; the account-wide limit does not apply there.
    public func throttles(accountFailures: Int, addressFailures: Int, accountWideFailures: Int = 0, isKnownAddress: Bool = true) -> Bool {
        accountFailures >= self.accountFailures || addressFailures >= self.addressFailures
            || (!isKnownAddress && accountWideFailures >= self.accountWideFailures)
    }

    /// 10 failures of one account from one address, 100 from one address, or 50 of one account
    /// from unknown addresses, in 15 minutes.
    public static let standard = ThrottlePolicy(accountFailures: 10, addressFailures: 100, accountWideFailures: 50, window: 900)
}

/// A secure logon network with its note.
public struct SecureNetwork: Sendable, Hashable {
    public let network: IPNetwork
    public let note: String

    public init(network: IPNetwork, note: String) {
        self.network = network
        self.note = note
    }
}

/// Where secure-password enforcement applies when its scope is `selected`, and who is exempt.
public struct EnforcementScope: Sendable, Hashable {
    public var departmentIDs: Set<Int64>
    public var accountIDs: Set<Int64>
    public var exceptionAccountIDs: Set<Int64>

    public init(departmentIDs: Set<Int64> = [], accountIDs: Set<Int64> = [], exceptionAccountIDs: Set<Int64> = []) {
        self.departmentIDs = departmentIDs
        self.accountIDs = accountIDs
        self.exceptionAccountIDs = exceptionAccountIDs
    }
}
