import Foundation

/// The domain policy as an administrator sees it, read in one place.
public struct PolicySettings: Sendable {
    public let policy: DomainPolicy
    public let secureNetworks: [SecureNetwork]
    /// Webmail and the company's app gateway.
    public let firstPartyHosts: [FirstPartyHost]
    /// The selected departments and accounts (for enforcement `selected`), by name.
    public let selection: (departments: [String], accounts: [String])
    public let exceptions: [(account: String, note: String)]
}

/// The operations on the domain policy that the CLI shares: each change audited by the store,
/// and its consequences for open mail sessions worked out here, with the rules' own facts.
public struct PolicyManager: Sendable {
    public let store: any CredentialStore
    private let now: @Sendable () -> Date

    public init(store: any CredentialStore, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.now = now
    }

    public func settings() throws -> PolicySettings {
        PolicySettings(
            policy: try store.policy(), secureNetworks: try store.secureNetworks(), firstPartyHosts: try store.firstPartyHosts(),
            selection: try store.enforcementSelection(), exceptions: try store.exceptions())
    }

    public func secureNetworks() throws -> [SecureNetwork] { try store.secureNetworks() }

    /// The networks of one list: secure networks or first-party hosts.
    public func networks(_ list: NetworkList) throws -> [SecureNetwork] {
        switch list {
        case .secureNetworks: try store.secureNetworks()
        case .firstPartyHosts: try store.firstPartyHosts()
        }
    }

    /// Adds to a list. A new first-party host refuses app passwords from it: the accounts that
    /// have app passwords lose what a session there may have used.
    public func addNetwork(_ network: IPNetwork, note: String, to list: NetworkList, by actor: AuditActor) throws -> Consequences {
        switch list {
        case .secureNetworks:
            try store.addSecureNetwork(network, note: note, by: actor, at: now())
            return .none
        case .firstPartyHosts:
            try store.addFirstPartyHost(network, note: note, by: actor, at: now())
            let counts = try store.appPasswordCounts()
            return Consequences(accountsLosingAccess: try store.accounts(inDepartment: nil).filter { counts[$0.id, default: 0] > 0 }.map(\.name))
        }
    }

    /// Removes from a list. A secure network removed while clients are blocked, or a
    /// first-party host removed (its logins now face the third-party rules): every account.
    public func removeNetwork(_ network: IPNetwork, from list: NetworkList, by actor: AuditActor) throws -> Consequences {
        switch list {
        case .secureNetworks: return try removeSecureNetwork(network, by: actor)
        case .firstPartyHosts:
            try store.removeFirstPartyHost(network, by: actor, at: now())
            return Consequences(accountsLosingAccess: try store.accounts(inDepartment: nil).map(\.name))
        }
    }

    public func exceptions() throws -> [(account: String, note: String)] { try store.exceptions() }

    /// - Returns: whether it changed; blocking ends every account's sessions (a session from
    ///   outside the secure networks is no longer allowed).
    public func setThirdPartyClients(_ value: DomainPolicy.ThirdPartyClients, by actor: AuditActor) throws -> (changed: Bool, consequences: Consequences) {
        let changed = try store.setThirdPartyClients(value, by: actor, at: now())
        guard changed && value == .blocked else { return (changed, .none) }
        return (changed, Consequences(accountsLosingAccess: try store.accounts(inDepartment: nil).map(\.name)))
    }

    /// Changes the throttling limits (`change` edits the current ones).
    /// - Returns: the limits now in force.
    public func changeThrottling(by actor: AuditActor, _ change: (inout ThrottlePolicy) throws -> Void) throws -> ThrottlePolicy {
        var throttling = try store.policy().throttling
        try change(&throttling)
        try store.setThrottling(throttling, by: actor, at: now())
        return throttling
    }

    /// Changes the Argon2id parameters every process hashes with; below the floors is refused.
    /// - Returns: the parameters now, and whether they changed.
    public func changeHashing(by actor: AuditActor, _ change: (inout HashingConfiguration) throws -> Void) throws -> (HashingConfiguration, changed: Bool) {
        var hashing = try store.policy().hashing
        try change(&hashing)
        guard hashing.appPassword.isAtLeast(.appPasswordFloor), hashing.mailboxPassword.isAtLeast(.mailboxPasswordFloor) else {
            throw InputError(
                "Argon2id parameters below the floors (app passwords \(Argon2idParameters.appPasswordFloor), mailbox passwords \(Argon2idParameters.mailboxPasswordFloor)) are refused; nothing was changed"
            )
        }
        let changed = try store.setHashing(hashing, by: actor, at: now())
        return (hashing, changed)
    }

    public func addSecureNetwork(_ network: IPNetwork, note: String, by actor: AuditActor) throws {
        try store.addSecureNetwork(network, note: note, by: actor, at: now())
    }

    /// - Returns: while third-party clients are blocked, every account (a session from that
    ///   network is no longer allowed).
    public func removeSecureNetwork(_ network: IPNetwork, by actor: AuditActor) throws -> Consequences {
        try store.removeSecureNetwork(network, by: actor, at: now())
        guard try store.policy().thirdPartyClients == .blocked else { return .none }
        return Consequences(accountsLosingAccess: try store.accounts(inDepartment: nil).map(\.name))
    }

    /// - Returns: the accounts whose mailbox password stopped working in mail clients.
    public func setEnforcement(_ setting: EnforcementSetting, by actor: AuditActor) throws -> Consequences {
        let before = try requiringAppPasswords()
        try store.setEnforcement(setting, by: actor, at: now())
        return Consequences(accountsLosingAccess: try requiringAppPasswords().filter { !before.contains($0) })
    }

    /// How a change of the `selected` scope treats the current selection.
    public enum SelectionChange: Sendable {
        case replace, add, remove
    }

    /// Sets enforcement to `selected` with these departments and accounts: the selection
    /// replaced, or these added to it or taken out of it, in one transaction with the read of
    /// the current selection (two administrators changing it at once lose nothing).
    /// - Returns: the accounts whose mailbox password stopped working in mail clients.
    public func changeSelection(
        _ change: SelectionChange, departments: [DepartmentName], accounts: [AccountName],
        by actor: AuditActor
    ) throws -> Consequences {
        switch change {
        case .replace: try setEnforcement(.selected(departments: departments, accounts: accounts), by: actor)
        case .add: try setEnforcement(.adding(departments: departments, accounts: accounts), by: actor)
        case .remove: try setEnforcement(.removing(departments: departments, accounts: accounts), by: actor)
        }
    }

    public func addException(_ name: AccountName, note: String, by actor: AuditActor) throws {
        try store.addException(name, note: note, by: actor, at: now())
    }

    /// - Returns: the account, when enforcement now covers it.
    public func removeException(_ name: AccountName, by actor: AuditActor) throws -> Consequences {
        try store.removeException(name, by: actor, at: now())
        return Consequences(accountsLosingAccess: try requiringAppPasswords().filter { (try? AccountName(validating: $0))?.key == name.key })
    }

    /// The accounts whose mailbox password does not work in mail clients, as the rules see them.
    private func requiringAppPasswords() throws -> [String] {
        let policy = try store.policy()
        let networks = try store.secureNetworks()
        let scope = try store.enforcementScope()
        return try store.accounts(inDepartment: nil).filter { account in
            AccessSummary(account: account, policy: policy, secureNetworks: networks, scope: scope, at: now()).isSecurePasswordRequired
        }.map(\.name)
    }
}
