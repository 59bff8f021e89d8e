import Foundation

/// The new account a store is asked to create; its mailbox password is already hashed.
public struct NewAccount: Sendable {
    public let name: AccountName
    public let department: DepartmentName?
    public let mailboxPasswordHash: String
    public let services: Services

    public init(name: AccountName, department: DepartmentName?, mailboxPasswordHash: String, services: Services = Services()) {
        self.name = name
        self.department = department
        self.mailboxPasswordHash = mailboxPasswordHash
        self.services = services
    }
}

/// The new app password a store is asked to keep: never the secret, only its selector and hash.
public struct NewAppPassword: Sendable {
    public let label: Label
    public let limits: CredentialLimits
    public let selector: String
    public let hash: String

    public init(label: Label, limits: CredentialLimits, selector: String, hash: String) {
        self.label = label
        self.limits = limits
        self.selector = selector
        self.hash = hash
    }
}

/// Everything clientpass keeps, behind one protocol so that policy and decision code never talk
/// to a database library directly (a PostgreSQL store can stand beside the SQLite one).
///
/// Every method that changes something runs in one transaction together with its audit entry:
/// either both are stored, or neither.
public protocol CredentialStore: Sendable {
    // MARK: Reading

    /// The account with this name (case-insensitive), or `nil`.
    func account(named name: AccountName) throws -> Account?
    /// Every account, by name, optionally only one department's.
    func accounts(inDepartment department: DepartmentName?) throws -> [Account]
    /// Every department, by name, with its number of accounts.
    func departments() throws -> [Department]
    /// The account's app passwords, by id.
    func appPasswords(ofAccount accountID: Int64) throws -> [AppPassword]
    /// How many app passwords each account has, by account id (accounts with none are absent).
    func appPasswordCounts() throws -> [Int64: Int]
    func policy() throws -> DomainPolicy
    func secureNetworks() throws -> [SecureNetwork]
    func enforcementScope() throws -> EnforcementScope
    /// The key that derives app-password selectors.
    func selectorKey() throws -> SelectorKey
    /// Audit entries, newest first.
    func auditEvents(account: String?, since: Date?, limit: Int) throws -> [AuditEvent]
    /// What a login decision needs, read in one transaction (for `explain`: nothing is counted).
    func decisionSnapshot(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot
    /// Admits an attempt that is about to be hashed: in one write transaction, reads what the
    /// decision needs and, unless the attempt is throttled, counts it as a failure at once
    /// (``DecisionSnapshot/reservation``), so that attempts that run at the same time, in this
    /// process or another, see each other. Its ``DecisionRecord`` settles the reservation.
    func beginDecision(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot
    /// Gives back a reservation whose attempt ended in a temporary failure (not a guess).
    func releaseReservation(_ reservation: Int64) throws
    /// The generation and the throttling counters since `since`, read in one transaction: all
    /// the warm path reads.
    func warmState(accountKey: String, address: IPAddress, since: Date) throws -> WarmState
    /// Addresses (IPv4, or IPv6 /64) whose logins are answered `throttled` right now: over the
    /// per-address threshold, or over the per-account one for some account.
    func throttledAddressCount(at date: Date) throws -> Int

    // MARK: Changing

    func addDepartment(_ name: DepartmentName, by actor: Actor, at date: Date) throws -> Department
    func removeDepartment(_ name: DepartmentName, by actor: Actor, at date: Date) throws
    func addAccount(_ account: NewAccount, by actor: Actor, at date: Date) throws -> Account
    /// Removes the account and its app passwords. - Returns: how many app passwords went with it.
    func removeAccount(_ name: AccountName, by actor: Actor, at date: Date) throws -> Int
    /// Stores a new app password with the next id of the account, unless the account already has
    /// `policy().maximumAppPasswords`. - Throws: ``CredentialError`` (`limitReached`).
    func addAppPassword(_ password: NewAppPassword, toAccount accountID: Int64, by actor: Actor, at date: Date) throws -> AppPassword
    func relabelAppPassword(_ id: Int, ofAccount accountID: Int64, to label: Label, by actor: Actor, at date: Date) throws -> AppPassword
    func revokeAppPassword(_ id: Int, ofAccount accountID: Int64, by actor: Actor, at date: Date) throws -> AppPassword
    /// - Returns: the revoked passwords (possibly none).
    func revokeAllAppPasswords(ofAccount accountID: Int64, by actor: Actor, at date: Date) throws -> [AppPassword]
    /// Records an event that changes nothing else (a failed sign-in, for example).
    func record(_ event: AuditEvent) throws
    /// Writes what a login decision leaves behind, in one transaction.
    func record(_ decision: DecisionRecord) throws

    // MARK: Policy and help desk

    /// - Returns: whether the setting changed.
    func setThirdPartyClients(_ value: DomainPolicy.ThirdPartyClients, by actor: Actor, at date: Date) throws -> Bool
    func setThrottling(_ throttling: ThrottlePolicy, by actor: Actor, at date: Date) throws
    func addSecureNetwork(_ network: IPNetwork, note: String, by actor: Actor, at date: Date) throws
    func removeSecureNetwork(_ network: IPNetwork, by actor: Actor, at date: Date) throws
    func setEnforcement(_ setting: EnforcementSetting, by actor: Actor, at date: Date) throws
    func enforcementSelection() throws -> (departments: [String], accounts: [String])
    func addException(_ name: AccountName, note: String, by actor: Actor, at date: Date) throws
    func removeException(_ name: AccountName, by actor: Actor, at date: Date) throws
    func exceptions() throws -> [(account: String, note: String)]
    /// Turns services on or off for the selected accounts in one transaction.
    /// - Returns: the names of the accounts that changed.
    func setServices(_ changes: [Service: Bool], for selection: AccountSelection, by actor: Actor, at date: Date) throws -> [String]
    /// - Returns: whether the status changed.
    func setStatus(_ status: Account.Status, of name: AccountName, by actor: Actor, at date: Date) throws -> Bool
    func setMailboxPasswordHash(_ hash: String, of name: AccountName, by actor: Actor, at date: Date) throws
    /// Revokes every app password, issues `replacement` and optionally sets a new mailbox
    /// password, in one transaction.
    func reset(_ name: AccountName, replacement: NewAppPassword, mailboxPasswordHash: String?, by actor: Actor, at date: Date) throws -> (revoked: [AppPassword], issued: AppPassword)
}
