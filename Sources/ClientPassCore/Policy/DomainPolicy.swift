import Foundation

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
    /// The Argon2id parameters of new hashes, and of the hashes a login brings up to date: one
    /// setting of the store, so that every process (serve, checkpassword, each command) hashes
    /// alike and none rehashes what another has just rehashed.
    public var hashing: HashingConfiguration

    public init(
        thirdPartyClients: ThirdPartyClients, enforcement: Enforcement, maximumAppPasswords: Int,
        throttling: ThrottlePolicy = .standard, hashing: HashingConfiguration = .standard
    ) {
        self.thirdPartyClients = thirdPartyClients
        self.enforcement = enforcement
        self.maximumAppPasswords = maximumAppPasswords
        self.throttling = throttling
        self.hashing = hashing
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

    public init(
        accountFailures: Int, addressFailures: Int, accountWideFailures: Int = ThrottlePolicy.standard.accountWideFailures,
        window: TimeInterval
    ) {
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

/// A network with its note: a secure logon network, or a first-party host (webmail, the
/// company's app gateway).
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

/// A host (or network) whose logins are first-party: the company's webmail or app gateway,
/// connecting to the mail server on an employee's behalf with the mailbox password.
public typealias FirstPartyHost = SecureNetwork

/// The two lists of networks the policy keeps, which the store treats alike.
public enum NetworkList: String, Sendable, CaseIterable {
    /// Third-party clients may log in from these while they are blocked elsewhere.
    case secureNetworks = "secure_network"
    /// Logins whose connection comes from these are first-party (webmail, the company's app).
    case firstPartyHosts = "first_party_host"

    /// "secure network", "first-party host".
    public var itemName: String {
        switch self {
        case .secureNetworks: "secure network"
        case .firstPartyHosts: "first-party host"
        }
    }
}
