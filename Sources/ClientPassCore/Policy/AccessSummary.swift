/// What an account may do with third-party mail clients, as the policy stands now.
public struct AccessSummary: Sendable, Hashable {
    public let account: Account
    public let thirdPartyClients: DomainPolicy.ThirdPartyClients
    public let secureNetworks: [SecureNetwork]
    /// Whether the account's mailbox password is refused in third-party clients (only app
    /// passwords work): enforcement is on, covers the account, and it is no exception.
    public let isSecurePasswordRequired: Bool
    /// Whether the account is on the exception list (keeps its mailbox password).
    public let isException: Bool

    public init(account: Account, policy: DomainPolicy, secureNetworks: [SecureNetwork], scope: EnforcementScope) {
        self.account = account
        self.thirdPartyClients = policy.thirdPartyClients
        self.secureNetworks = secureNetworks
        self.isException = scope.exceptionAccountIDs.contains(account.id)
        self.isSecurePasswordRequired = Self.isEnforced(on: account, policy: policy, scope: scope) && !isException
    }

    /// Whether the enforcement scope covers `account`, exceptions aside.
    public static func isEnforced(on account: Account, policy: DomainPolicy, scope: EnforcementScope) -> Bool {
        switch policy.enforcement {
        case .off: return false
        case .all: return true
        case .selected:
            if scope.accountIDs.contains(account.id) { return true }
            if let department = account.departmentID, scope.departmentIDs.contains(department) { return true }
            return false
        }
    }
}
