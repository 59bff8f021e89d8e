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

/// What an import added: the accounts, and the departments it had to create for them.
public struct ImportedAccounts: Sendable {
    public let accounts: [Account]
    public let createdDepartments: [String]

    public init(accounts: [Account], createdDepartments: [String]) {
        self.accounts = accounts
        self.createdDepartments = createdDepartments
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

/// Which accounts a batch change selects.
public enum AccountSelection: Sendable, Hashable {
    case accounts([AccountName])
    case department(DepartmentName)
    case all
}

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

/// The store contract: everything clientpass keeps, behind small protocols by concern, so that
/// policy and decision code never talk to a database library directly and a second store
/// (PostgreSQL) implements the same contract. `StoreContractTests` is the contract's test
/// suite, run against every implementation.
///
/// Every method that changes something runs in one transaction together with its audit entry:
/// either both are stored, or neither. Names compare case-insensitively (``AccountName/key``).
public protocol CredentialStore: DecisionStore, AccountStore, AppPasswordStore, PolicyStore, AuditStore, DirectorySettingsStore, SessionStore, SetupLinkStore {}

/// What a login decision reads and writes: one read (or one admitting write) before the
/// hashing, one write after.
public protocol DecisionStore: Sendable {
    /// What a login decision needs, read in one transaction (for `explain`: nothing is counted).
    func decisionSnapshot(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot
    /// Admits an attempt that is about to be hashed: in one write transaction, reads what the
    /// decision needs and, unless the attempt is throttled, counts it as a failure at once
    /// (``DecisionSnapshot/reservation``), so that attempts that run at the same time, in this
    /// process or another, see each other. Its ``DecisionRecord`` settles the reservation.
    func beginDecision(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot
    /// Gives back a reservation whose attempt ended in a temporary failure (not a guess).
    func releaseReservation(_ reservation: Int64) throws
    /// Writes what a login decision leaves behind, in one transaction.
    func record(_ decision: DecisionRecord) throws
    /// The generation and the throttling counters since `since`, read in one transaction: all
    /// the warm path reads.
    func warmState(accountKey: String, address: IPAddress, since: Date) throws -> WarmState
    /// Addresses (IPv4, or IPv6 /64) whose logins are answered `throttled` right now: over the
    /// per-address threshold, or over the per-account one for some account.
    func throttledAddressCount(at date: Date) throws -> Int
    /// Whether one of the account's credentials has logged in from exactly this address: a
    /// read, asked only when the hashing lane of other logins is full (see ``HashingAdmission``).
    func hasLoggedIn(accountKey: String, from address: IPAddress) throws -> Bool

    /// Runs `call` (calls of this store) for a task. A store whose calls wait on a network
    /// (PostgreSQL) runs it on threads of its own, so that the wait holds none of the few
    /// threads every task runs on; a local store runs it in place.
    func performing<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T
    /// Threads where a task may call this store and wait for it without holding a thread of
    /// the cooperative pool (``performing(_:)`` runs there); `nil` for a local store.
    var blockingCallExecutor: (any TaskExecutor)? { get }
    /// ``warmState(accountKey:address:since:)`` for a task: what the warm path reads before each
    /// warm answer, without holding a thread while the store answers.
    func loadWarmState(accountKey: String, address: IPAddress, since: Date) async throws -> WarmState
}

extension DecisionStore {
    public func performing<T: Sendable>(_ call: @escaping @Sendable () throws -> T) async throws -> T {
        try call()
    }

    public var blockingCallExecutor: (any TaskExecutor)? { nil }

    public func loadWarmState(accountKey: String, address: IPAddress, since: Date) async throws -> WarmState {
        try await performing { try warmState(accountKey: accountKey, address: address, since: since) }
    }
}

/// Accounts and departments.
public protocol AccountStore: Sendable {
    /// The account with this name (case-insensitive), or `nil`.
    func account(named name: AccountName) throws -> Account?
    /// Every account, by name, optionally only one department's.
    func accounts(inDepartment department: DepartmentName?) throws -> [Account]
    /// Every department, by name, with its number of accounts.
    func departments() throws -> [Department]
    func addDepartment(_ name: DepartmentName, by actor: AuditActor, at date: Date) throws -> Department
    /// - Throws: ``AccountError`` (`departmentInUse`) while accounts belong to it.
    func removeDepartment(_ name: DepartmentName, by actor: AuditActor, at date: Date) throws
    func addAccount(_ account: NewAccount, by actor: AuditActor, at date: Date) throws -> Account
    /// Adds accounts whose mailbox password hashes come from elsewhere (an import), creating
    /// the departments they name that do not exist yet: all of them, or none (an account that
    /// exists already, or a name given twice, stops the whole import).
    func importAccounts(_ accounts: [NewAccount], by actor: AuditActor, at date: Date) throws -> ImportedAccounts
    /// Removes the account and its app passwords. - Returns: how many app passwords went with it.
    func removeAccount(_ name: AccountName, by actor: AuditActor, at date: Date) throws -> Int
    /// Turns services on or off for the selected accounts in one transaction.
    /// - Returns: the names of the accounts that changed.
    func setServices(_ changes: [MailService: Bool], for selection: AccountSelection, by actor: AuditActor, at date: Date) throws -> [String]
    /// - Returns: whether the status changed.
    func setStatus(_ status: Account.Status, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool
    func setMailboxPasswordHash(_ hash: String, of name: AccountName, by actor: AuditActor, at date: Date) throws
    /// Moves the account to a department, or out of any (`nil`).
    /// - Returns: whether it changed.
    func setDepartment(_ department: DepartmentName?, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool
    /// Makes the account a member of the help desk, or not. - Returns: whether it changed.
    func setHelpDesk(_ isMember: Bool, of name: AccountName, by actor: AuditActor, at date: Date) throws -> Bool
}

/// App passwords: only their selectors and hashes, never the secrets.
public protocol AppPasswordStore: Sendable {
    /// The key that derives app-password selectors.
    func selectorKey() throws -> SelectorKey
    /// The account's app passwords, by id.
    func appPasswords(ofAccount accountID: Int64) throws -> [AppPassword]
    /// How many app passwords each account has, by account id (accounts with none are absent).
    func appPasswordCounts() throws -> [Int64: Int]
    /// Stores a new app password with the next id of the account (ids are never reused), unless
    /// the account already has `policy().maximumAppPasswords`.
    /// - Throws: ``CredentialError`` (`limitReached`).
    func addAppPassword(_ password: NewAppPassword, toAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> AppPassword
    /// Issues a device password for an account on behalf of a help-desk member, after checking,
    /// in the same transaction, that the member is an active member of the help desk.
    /// - Throws: ``CredentialError`` (`notHelpDesk`, `limitReached`).
    func addDevicePassword(_ password: NewAppPassword, toAccount accountID: Int64, byHelpDeskMember memberID: Int64, at date: Date) throws -> AppPassword
    func relabelAppPassword(_ id: Int, ofAccount accountID: Int64, to label: Label, by actor: AuditActor, at date: Date) throws -> AppPassword
    func revokeAppPassword(_ id: Int, ofAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> AppPassword
    /// - Returns: the revoked passwords (possibly none).
    func revokeAllAppPasswords(ofAccount accountID: Int64, by actor: AuditActor, at date: Date) throws -> [AppPassword]
    /// Revokes every app password, issues `replacement` and optionally sets a new mailbox
    /// password, in one transaction.
    func reset(_ name: AccountName, replacement: NewAppPassword, mailboxPasswordHash: String?, by actor: AuditActor, at date: Date) throws -> (revoked: [AppPassword], issued: AppPassword)
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

/// Directory mode: the LDAP settings, and syncs that bring accounts in line with the directory.
public protocol DirectorySettingsStore: Sendable {
    /// `nil` when directory mode is off.
    func directorySettings() throws -> DirectorySettings?
    /// Sets the settings (`nil` turns directory mode off), audited.
    func setDirectorySettings(_ settings: DirectorySettings?, by actor: AuditActor, at date: Date) throws
    /// Brings the accounts in line with the directory's users in one transaction: the plan is
    /// made inside it from the accounts as they are then, and every change is audited.
    /// - Throws: ``DirectorySyncRefused`` (nothing changed) when the plan disables more than
    ///   the settings allow and `allowingMassDisable` is false.
    func syncDirectory(users: [DirectoryUser], settings: DirectorySettings, allowingMassDisable: Bool,
                       by actor: AuditActor, at date: Date) throws -> DirectorySyncPlan
    /// Adds the account of one directory user, as a sync would add it (its department, its entry,
    /// the directory checking its mailbox password), audited with `note`. `nil`, and nothing
    /// changed, when an account of that name exists by now or the entry would be skipped or
    /// not added by a sync (disabled, a name or department that is not valid).
    func addDirectoryAccount(_ user: DirectoryUser, settings: DirectorySettings, note: String, by actor: AuditActor, at date: Date) throws -> Account?
}

/// A signed-in session of the self-service page, as the store keeps it: under the digest of its
/// token (``RandomToken/storedDigest(of:)``), never the token itself, so that every node sees it
/// and a sign-out on one ends it on all.
public struct StoredSession: Sendable, Hashable {
    /// A browser's session of the page, or a token of the self-service API (the command line):
    /// each works only where it was made.
    public enum Kind: String, Sendable, Hashable {
        case page
        case api
    }

    public let kind: Kind
    public let accountID: Int64
    public let accountName: String
    /// A digest of the mailbox-password hash at sign-in: a new mailbox password ends the session.
    public let mailboxPasswordDigest: String
    /// Sent back in every form; a POST without it changes nothing.
    public let csrfToken: String
    public let createdAt: Date
    /// When the mailbox password was last given (sign-in, or a confirmation before creating).
    public var authenticatedAt: Date
    public var lastSeenAt: Date
    /// A one-time message for the next page ("Revoked …").
    public var notice: String?

    public init(kind: Kind = .page, accountID: Int64, accountName: String, mailboxPasswordDigest: String, csrfToken: String, createdAt: Date,
                authenticatedAt: Date, lastSeenAt: Date, notice: String? = nil) {
        self.kind = kind
        self.accountID = accountID
        self.accountName = accountName
        self.mailboxPasswordDigest = mailboxPasswordDigest
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.authenticatedAt = authenticatedAt
        self.lastSeenAt = lastSeenAt
        self.notice = notice
    }

    /// A digest of a mailbox-password hash, which a session keeps to notice a new password.
    public static func digest(ofMailboxHash hash: String) -> String {
        RandomToken.storedDigest(of: hash)
    }
}

/// When a session is live: seen within the idle timeout, made within the maximum age.
public struct SessionLifetime: Sendable, Hashable {
    public let idleTimeout: TimeInterval
    public let maximumAge: TimeInterval

    public init(idleTimeout: TimeInterval, maximumAge: TimeInterval) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
    }
}

/// The page's sessions. Removing an account ends its sessions.
public protocol SessionStore: Sendable {
    /// Keeps a new session. Its account keeps at most `perAccount` sessions (of both kinds): its
    /// least recently seen make room, so that one account's sign-ins never end anyone else's.
    /// Past `maximum` live ones in all, ended sessions are dropped and then the least recently
    /// seen.
    func createSession(_ session: StoredSession, digest: String, maximum: Int, perAccount: Int, lifetime: SessionLifetime, at date: Date) throws
    /// The live session of this kind with this digest, marked seen at `date`; an ended one is
    /// removed.
    func session(digest: String, kind: StoredSession.Kind, lifetime: SessionLifetime, at date: Date) throws -> StoredSession?
    /// Changes a live session in one transaction; nothing happens when it has ended.
    func updateSession(digest: String, _ change: (inout StoredSession) -> Void) throws
    /// Takes the one-time notice of a session.
    func takeSessionNotice(digest: String) throws -> String?
    func endSession(digest: String) throws
    /// The live sessions at `date`; ended ones are dropped on the way.
    func liveSessionCount(lifetime: SessionLifetime, at date: Date) throws -> Int
    /// The account's successful sign-ins to the page and the API since `date` (as audited).
    func signInCount(account: String, since date: Date) throws -> Int
    /// The key that ties the sign-in form's token to its cookie: 32 random bytes, made on first
    /// use and the same for every process on the store, so that a form one node served signs in
    /// through another.
    func signInFormKey() throws -> [UInt8]
}

/// A set-up link of a new app password (the page's QR code), as the store keeps it: under the
/// digest of its token, with the Mail profile sealed under a key only the token gives
/// (``RandomToken/seal(_:under:)``), so that any node can serve it once and a copy of the store
/// reads no password.
public struct StoredSetupLink: Sendable, Hashable {
    public let accountID: Int64
    public let accountName: String
    public let appPasswordID: Int
    /// Tells the password from a later one with the same id after a restore.
    public let appPasswordCreatedAt: Date
    public let sealedProfile: Data
    public let expiresAt: Date

    public init(accountID: Int64, accountName: String, appPasswordID: Int, appPasswordCreatedAt: Date, sealedProfile: Data, expiresAt: Date) {
        self.accountID = accountID
        self.accountName = accountName
        self.appPasswordID = appPasswordID
        self.appPasswordCreatedAt = appPasswordCreatedAt
        self.sealedProfile = sealedProfile
        self.expiresAt = expiresAt
    }
}

/// The page's set-up links, shared by every process on the store. Removing an account removes
/// its links.
public protocol SetupLinkStore: Sendable {
    /// Keeps a link under its token's digest. Expired links are dropped on the way, and the
    /// account keeps only its `perAccount` newest.
    func addSetupLink(_ link: StoredSetupLink, digest: String, perAccount: Int, at date: Date) throws
    /// The link, once across every process: it is removed in the transaction that reads it.
    /// `nil` when it is unknown, already taken or expired at `date`.
    func takeSetupLink(digest: String, at date: Date) throws -> StoredSetupLink?
}

/// The audit trail.
public protocol AuditStore: Sendable {
    /// Audit entries, newest first, optionally only one account's and only since a date.
    func auditEvents(account: String?, since: Date?, limit: Int) throws -> [AuditEvent]
    /// Records an event that changes nothing else.
    func record(_ event: AuditEvent) throws
}
