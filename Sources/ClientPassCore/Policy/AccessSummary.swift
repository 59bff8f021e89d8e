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
        self.isSecurePasswordRequired = Self.isSecurePasswordRequired(accountID: account.id, departmentID: account.departmentID,
                                                                      policy: policy, scope: scope)
    }

    /// Whether the enforcement scope covers an account (by name, by department, or all
    /// members), exceptions aside. An unknown account (`nil`) is covered only by `all`.
    public static func isEnforced(accountID: Int64?, departmentID: Int64?, policy: DomainPolicy, scope: EnforcementScope) -> Bool {
        switch policy.enforcement {
        case .off: return false
        case .all: return true
        case .selected:
            guard let accountID else { return false }
            return scope.accountIDs.contains(accountID) || departmentID.map(scope.departmentIDs.contains) == true
        }
    }

    /// Whether only app passwords work in mail clients for an account: enforcement covers it and
    /// it is no exception.
    public static func isSecurePasswordRequired(accountID: Int64?, departmentID: Int64?, policy: DomainPolicy, scope: EnforcementScope) -> Bool {
        isEnforced(accountID: accountID, departmentID: departmentID, policy: policy, scope: scope)
            && !(accountID.map(scope.exceptionAccountIDs.contains) ?? false)
    }
}
