import Foundation

/// Everything one login decision reads, taken from the store in one read transaction, so the
/// decision sees one consistent state: every change committed before it began, and none half.
public struct DecisionSnapshot: Sendable {
    public let policy: DomainPolicy
    public let secureNetworks: [SecureNetwork]
    /// Webmail and the company's app gateway.
    public let firstPartyHosts: [FirstPartyHost]
    public let scope: EnforcementScope
    public let selectorKey: SelectorKey
    /// `nil` when no account has this name.
    public let account: Account?
    public let appPasswords: [AppPassword]
    /// Failures of this account from this address within the throttling window.
    public let accountFailures: Int
    /// Failures from this address, any account, within the window.
    public let addressFailures: Int
    /// Failures of this account from every address within the window.
    public let accountWideFailures: Int
    /// Past the account-wide limit: whether one of the account's credentials has logged in
    /// from this address (or its IPv6 /64), where that limit does not apply. Always `true`
    /// below the limit, where it does not matter.
    public let isKnownAddress: Bool
    /// Credentials (0: the mailbox password) that have logged in from this address before.
    public let credentialsSeenFromAddress: Set<Int>
    /// Whether a throttled denial from this address was audited in the last minute (a flood
    /// leaves one entry a minute, not one per attempt).
    public let throttleAuditedRecently: Bool
    /// The store's generation when this was read (see ``WarmState``).
    public let generation: Int64
    /// The failure this attempt was counted as when it was admitted (``CredentialStore/beginDecision(accountKey:address:at:)``),
    /// before any hashing; its ``DecisionRecord`` settles it. `nil` when read without admitting
    /// (`explain`) or when the attempt is throttled.
    public private(set) var reservation: Int64?

    public init(
        policy: DomainPolicy, secureNetworks: [SecureNetwork], scope: EnforcementScope, selectorKey: SelectorKey,
        account: Account?, appPasswords: [AppPassword], accountFailures: Int, addressFailures: Int,
        accountWideFailures: Int = 0, isKnownAddress: Bool = true,
        credentialsSeenFromAddress: Set<Int>, throttleAuditedRecently: Bool, generation: Int64 = 0,
        firstPartyHosts: [FirstPartyHost] = []
    ) {
        self.firstPartyHosts = firstPartyHosts
        self.accountWideFailures = accountWideFailures
        self.isKnownAddress = isKnownAddress
        self.throttleAuditedRecently = throttleAuditedRecently
        self.generation = generation
        self.policy = policy
        self.secureNetworks = secureNetworks
        self.scope = scope
        self.selectorKey = selectorKey
        self.account = account
        self.appPasswords = appPasswords
        self.accountFailures = accountFailures
        self.addressFailures = addressFailures
        self.credentialsSeenFromAddress = credentialsSeenFromAddress
    }
}

extension DecisionSnapshot {
    /// Whether the failures this snapshot counted throttle the attempt.
    var isThrottled: Bool {
        policy.throttling.throttles(
            accountFailures: accountFailures, addressFailures: addressFailures,
            accountWideFailures: accountWideFailures, isKnownAddress: isKnownAddress)
    }

    /// The throttling counters of one attempt, within the window.
    public struct FailureCounts: Sendable, Equatable {
        /// This account from this address.
        public let account: Int
        /// This address, any account.
        public let address: Int
        /// This account from every address.
        public let accountWide: Int
        /// See ``DecisionSnapshot/isKnownAddress`` (always `true` below the account-wide limit,
        /// where it does not matter).
        public let isKnownAddress: Bool

        public init(account: Int, address: Int, accountWide: Int, isKnownAddress: Bool) {
            self.account = account
            self.address = address
            self.accountWide = accountWide
            self.isKnownAddress = isKnownAddress
        }
    }

    /// What throttling counts this attempt's failures under: the account's key when the name
    /// names an account, else a keyed digest of what was typed (never the text itself).
    func failureKey(for accountKey: String) -> String {
        Self.failureKey(for: accountKey, account: account, selectorKey: selectorKey)
    }

    static func failureKey(for accountKey: String, account: Account?, selectorKey: SelectorKey) -> String {
        account == nil ? selectorKey.unknownAccountKey(for: accountKey) : accountKey
    }

    /// This snapshot with counters read again (under the write lock that admits the attempt).
    func counting(_ counts: FailureCounts) -> DecisionSnapshot {
        DecisionSnapshot(
            policy: policy, secureNetworks: secureNetworks, scope: scope, selectorKey: selectorKey, account: account,
            appPasswords: appPasswords, accountFailures: counts.account, addressFailures: counts.address,
            accountWideFailures: counts.accountWide, isKnownAddress: counts.isKnownAddress,
            credentialsSeenFromAddress: credentialsSeenFromAddress, throttleAuditedRecently: throttleAuditedRecently,
            generation: generation, firstPartyHosts: firstPartyHosts)
    }

    /// This snapshot, admitted under `reservation`.
    func reserving(_ reservation: Int64) -> DecisionSnapshot {
        var copy = self
        copy.reservation = reservation
        return copy
    }

    /// When the credential was last used, as this snapshot saw it.
    func lastUse(of credential: MatchedCredential, account: Account) -> Date? {
        switch credential {
        case .mailboxPassword: account.mailboxLastUsed?.at
        case .appPassword(let id, _): appPasswords.first { $0.id == id }?.lastUsedAt
        }
    }
}

/// What the warm path reads for a login it has verified before: whether anything that could
/// change the answer has changed since (the generation), and the throttling counters.
public struct WarmState: Sendable, Equatable {
    /// Bumped, in the same transaction, by every change to the store that could change a login's
    /// answer (accounts, app passwords, policy, networks, enforcement), by any process.
    public let generation: Int64
    public let accountFailures: Int
    public let addressFailures: Int

    public init(generation: Int64, accountFailures: Int, addressFailures: Int) {
        self.generation = generation
        self.accountFailures = accountFailures
        self.addressFailures = addressFailures
    }
}

/// What a decision writes back, in one transaction: the failure or the success, last use,
/// a rehash, and its audit entries.
public struct DecisionRecord: Sendable {
    public enum Outcome: Sendable {
        /// A refusal; `countsAsFailure` adds to the throttling counters.
        case denied(countsAsFailure: Bool)
        /// A login: `clearFailures` clears this account's failures from the address (there are
        /// some); `updateLastUsed` writes last use and the address it came from (at most once a
        /// minute per credential, and at once from a new address); `rehash` replaces a weak hash.
        case allowed(accountID: Int64, credential: MatchedCredential, clearFailures: Bool, updateLastUsed: Bool, rehash: Rehash?)
        /// A sign-in to the self-service page with the mailbox password: `clearFailures` as for
        /// a login; `rehash` replaces a weak mailbox-password hash. Last use is about mail
        /// clients, so it stays.
        case signedIn(accountID: Int64, clearFailures: Bool, rehash: Rehash?)
    }

    /// A weak hash replaced by a new one of the same secret. The store writes it only while the
    /// old one stands (a password changed meanwhile is never undone), and the self-service
    /// sessions made with the old mailbox-password hash carry over: a rehash is no new password.
    public struct Rehash: Sendable, Hashable {
        public let replacing: String
        public let hash: String

        public init(replacing: String, with hash: String) {
            self.replacing = replacing
            self.hash = hash
        }
    }

    public let at: Date
    /// The lowercased name the request gave (the throttling key), even for unknown accounts.
    public let accountKey: String
    public let address: IPAddress
    /// `nil` for a sign-in to the self-service page.
    public let service: MailService?
    public let outcome: Outcome
    public let audit: [AuditEvent]
    /// The failure counted when the attempt was admitted: kept for a failure, removed otherwise.
    public let reservation: Int64?

    /// Nothing to write: a refusal that counts for nothing and goes unaudited, or an allow with
    /// no failures to clear, no last use due and no rehash.
    /// A login repeated within the minute, or a flood of throttled attempts after the first of
    /// the minute: no write transaction at all.
    public var isEmpty: Bool {
        guard audit.isEmpty, reservation == nil else { return false }
        switch outcome {
        case .denied(let countsAsFailure): return !countsAsFailure
        case .allowed(_, _, let clearFailures, let updateLastUsed, let rehash): return !clearFailures && !updateLastUsed && rehash == nil
        case .signedIn(_, let clearFailures, let rehash): return !clearFailures && rehash == nil
        }
    }

    public init(
        at: Date, accountKey: String, address: IPAddress, service: MailService?, outcome: Outcome, audit: [AuditEvent],
        reservation: Int64? = nil
    ) {
        self.reservation = reservation
        self.at = at
        self.accountKey = accountKey
        self.address = address
        self.service = service
        self.outcome = outcome
        self.audit = audit
    }
}
