import Foundation

/// What an account may do with third-party mail clients, as the policy stands now: the policy's
/// rules asked without a secret, for the self-service page and `clientpass access`.
public struct AccessSummary: Sendable {
    public let account: Account
    public let thirdPartyClients: DomainPolicy.ThirdPartyClients
    public let secureNetworks: [SecureNetwork]
    /// Webmail and the company's app gateway: the mailbox password always works there.
    public let firstPartyHosts: [FirstPartyHost]
    /// Whether the account's mailbox password is refused in third-party clients (only app
    /// passwords work): enforcement is on, covers the account, and it is no exception.
    public let isSecurePasswordRequired: Bool
    /// Whether the account is on the exception list (keeps its mailbox password).
    public let isException: Bool
    private let rules: [Rule]
    private let policy: DomainPolicy
    private let scope: EnforcementScope
    private let date: Date

    public init(
        account: Account, policy: DomainPolicy, secureNetworks: [SecureNetwork], scope: EnforcementScope,
        firstPartyHosts: [FirstPartyHost] = [], rules: [Rule] = Rule.standard, at date: Date = Date()
    ) {
        self.account = account
        self.firstPartyHosts = firstPartyHosts
        self.thirdPartyClients = policy.thirdPartyClients
        self.secureNetworks = secureNetworks
        self.rules = rules
        self.policy = policy
        self.scope = scope
        self.date = date
        // Enforcement depends on the account alone, not on the address or protocol.
        let facts = Self.facts(
            account: account, policy: policy, secureNetworks: secureNetworks, scope: scope,
            service: .imap, address: .unspecified, at: date)
        isException = facts.isException
        isSecurePasswordRequired = facts.isSecurePasswordRequired
    }

    private static func facts(
        account: Account, policy: DomainPolicy, secureNetworks: [SecureNetwork], scope: EnforcementScope,
        service: MailService, address: IPAddress, at date: Date
    ) -> RuleFacts {
        RuleFacts(
            policy: policy, secureNetworks: secureNetworks, scope: scope, account: account, requestedName: account.name,
            service: service, address: address, date: date, failures: nil)
    }

    /// Whether a mail client of this account could connect from `address`, protocol by protocol:
    /// the first request rule that refuses each protocol (status, service, network), `nil` where
    /// none does. Credentials are not considered (the app password decides those).
    public func connection(from address: IPAddress) -> Connection {
        let address = address.canonical
        var refusals: [MailService: DenialReason] = [:]
        for service in MailService.allCases {
            let facts = Self.facts(
                account: account, policy: policy, secureNetworks: secureNetworks, scope: scope,
                service: service, address: address, at: date)
            if let denial = rules.firstDenial(facts, credential: .unmatched(nil), where: { !$0.judgesCredentials }) {
                refusals[service] = denial.reason
            }
        }
        return Connection(
            address: address, refusals: refusals,
            secureNetwork: secureNetworks.first { $0.network.contains(address) })
    }

    /// See ``connection(from:)``.
    public struct Connection: Sendable, Hashable {
        public let address: IPAddress
        /// The reason each refused protocol is refused.
        public let refusals: [MailService: DenialReason]
        /// The secure network the address is in, if any.
        public let secureNetwork: SecureNetwork?

        /// The protocols a client may use from the address.
        public var open: [MailService] { MailService.allCases.filter { refusals[$0] == nil } }
    }
}
