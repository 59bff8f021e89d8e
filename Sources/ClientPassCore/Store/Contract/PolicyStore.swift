import Foundation

/// Secure-password enforcement as an administrator sets it.
public enum EnforcementSetting: Sendable, Hashable {
    case off
    case all
    case selected(departments: [DepartmentName], accounts: [AccountName])
    /// `selected`, with these added to the current selection (an empty one unless the scope is
    /// `selected` already), in the same transaction as the read.
    case adding(departments: [DepartmentName], accounts: [AccountName])
    /// `selected`, with these taken out of the current selection, in the same transaction.
    case removing(departments: [DepartmentName], accounts: [AccountName])
}

/// The domain policy, secure networks, enforcement and its exceptions.
public protocol PolicyStore: Sendable {
    func policy() throws -> DomainPolicy
    func secureNetworks() throws -> [SecureNetwork]
    func enforcementScope() throws -> EnforcementScope
    /// The selected departments and accounts, by name.
    func enforcementSelection() throws -> (departments: [String], accounts: [String])
    func exceptions() throws -> [(account: String, note: String)]
    /// - Returns: whether the setting changed.
    func setThirdPartyClients(_ value: DomainPolicy.ThirdPartyClients, by actor: AuditActor, at date: Date) throws -> Bool
    func setThrottling(_ throttling: ThrottlePolicy, by actor: AuditActor, at date: Date) throws
    /// The Argon2id parameters every process hashes with (``DomainPolicy/hashing``); an audited
    /// `policy.changed`. Returns whether they changed.
    func setHashing(_ hashing: HashingConfiguration, by actor: AuditActor, at date: Date) throws -> Bool
    /// A configuration file's parameters, taken once into a store that still has the defaults
    /// and whose parameters no administrator has set (``SQLStore/adoptHashing(_:from:at:)``).
    func adoptHashing(_ hashing: HashingConfiguration, from source: String, at date: Date) throws -> Bool
    func addSecureNetwork(_ network: IPNetwork, note: String, by actor: AuditActor, at date: Date) throws
    func removeSecureNetwork(_ network: IPNetwork, by actor: AuditActor, at date: Date) throws
    /// Webmail and the company's app gateway, whose logins are first-party.
    func firstPartyHosts() throws -> [FirstPartyHost]
    func addFirstPartyHost(_ network: IPNetwork, note: String, by actor: AuditActor, at date: Date) throws
    func removeFirstPartyHost(_ network: IPNetwork, by actor: AuditActor, at date: Date) throws
    func setEnforcement(_ setting: EnforcementSetting, by actor: AuditActor, at date: Date) throws
    func addException(_ name: AccountName, note: String, by actor: AuditActor, at date: Date) throws
    func removeException(_ name: AccountName, by actor: AuditActor, at date: Date) throws
}
