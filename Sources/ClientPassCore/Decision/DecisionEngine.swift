import CSodium
import Foundation
import Synchronization

/// The login decision: (account, secret, protocol, address) → allow or deny with one reason,
/// by the rules of DESIGN.md, on the store's current state.
///
/// Rules, in order: throttling (before any hashing), account exists, account active, service on,
/// third-party clients allowed or a secure network, then the credentials: an app password
/// (picked by its selector: one Argon2id evaluation however many the account has) within its
/// own protocol, network and expiry limits; else the mailbox password, unless secure-password
/// enforcement covers the account and it is no exception.
///
/// Cost: an unknown, disabled or service-off account spends the same Argon2id work as a wrong
/// password, so timing does not tell which accounts exist; only refusals that apply to every
/// account alike (throttling, a blocked network) skip hashing.
public struct DecisionEngine: Sendable {
    public let store: any CredentialStore
    private let appPasswordHasher: any PasswordHasher
    let mailboxHasher: any PasswordHasher
    private let pool: HashingPool
    private let now: @Sendable () -> Date
    private let dummies: DummyHashes
    /// Allows re-used without Argon2id (`serve` only); `nil`: every login is decided cold.
    public let warmCache: WarmCache?

    /// Argon2id jobs waiting for a hashing thread.
    public var hashingQueueDepth: Int { pool.queueDepth }

    /// The engine's clock.
    public var currentDate: Date { now() }

    /// Last use is written at most this often per credential.
    public static let lastUseInterval: TimeInterval = 60

    /// - Parameters:
    ///   - store: the store every decision reads afresh.
    ///   - hashing: the configured Argon2id parameters; weaker stored hashes are rehashed on success.
    ///   - appPasswordHasher, mailboxHasher: override the Argon2id hashers (tests count evaluations).
    ///   - pool: where Argon2id runs.
    ///   - now: the clock for expiry, throttling and last use.
    ///   - warmCache: re-use recent allows (see ``WarmCache``).
    public init(store: any CredentialStore, hashing: HashingConfiguration = .standard,
                appPasswordHasher: (any PasswordHasher)? = nil, mailboxHasher: (any PasswordHasher)? = nil,
                pool: HashingPool = .shared, now: @escaping @Sendable () -> Date = { Date() }, warmCache: WarmCache? = nil) {
        self.store = store
        self.warmCache = warmCache
        self.appPasswordHasher = appPasswordHasher ?? Argon2idHasher(parameters: hashing.appPassword)
        self.mailboxHasher = mailboxHasher ?? Argon2idHasher(parameters: hashing.mailboxPassword)
        self.pool = pool
        self.now = now
        dummies = DummyHashes(hashing)
    }

    /// Decides one login and records its traces (failure counters, last use, audit).
    /// - Throws: ``StoreError`` when the store cannot be read or written, ``HashingError`` when a
    ///   hash could not be checked (out of memory): a temporary failure, never an allow, and not
    ///   counted as a failed login.
    public func decide(_ request: LoginRequest) async throws -> Decision {
        try await decideLogin(request).decision
    }

    /// A decision and how it was reached.
    public struct Outcome: Sendable {
        public let decision: Decision
        /// Re-used from the warm cache, without Argon2id.
        public let warm: Bool
    }

    /// Like ``decide(_:)``, and tells whether the answer came from the warm cache.
    public func decideLogin(_ request: LoginRequest) async throws -> Outcome {
        let request = LoginRequest(user: request.user, secret: request.secret, service: request.service, address: request.address.canonical)
        let date = now()
        let name = try? AccountName(validating: request.user)
        let accountKey = name?.key ?? request.user.lowercased()
        var cacheKey: WarmCache.Key?
        if let warmCache, name != nil {
            let key = warmCache.key(accountKey: accountKey, service: request.service, address: request.address, secret: request.secret)
            if let decision = try warmDecision(warmCache, key: key, request: request, accountKey: accountKey, at: date) {
                return Outcome(decision: decision, warm: true)
            }
            cacheKey = key
        }
        let snapshot = try store.decisionSnapshot(accountKey: accountKey, address: request.address, at: date)
        let evaluation = try await evaluate(request, name: name, snapshot: snapshot, at: date)
        let record = evaluation.record(for: request, accountKey: accountKey, snapshot: snapshot, at: date)
        if !record.isEmpty { try store.record(record) }
        if let warmCache, let cacheKey, let account = evaluation.matchedAccount,
           case .allowed(let accountID, let credential, _, let updateLastUsed, _) = record.outcome {
            let expiry = credential.appPasswordID.flatMap { id in snapshot.appPasswords.first { $0.id == id }?.limits.expiresAt }
            warmCache.insert(WarmCache.Entry(decision: evaluation.decision, accountID: accountID, credential: credential,
                                             generation: snapshot.generation, throttling: snapshot.policy.throttling, decidedAt: date,
                                             credentialExpiresAt: expiry,
                                             lastUseWritten: updateLastUsed ? date : snapshot.lastUse(of: credential, account: account)),
                             for: cacheKey)
        }
        return Outcome(decision: evaluation.decision, warm: false)
    }

    /// A login allowed a moment ago with the same secret, protocol and address, when nothing
    /// that could change the answer has changed since and throttling does not apply: the same
    /// allow, without Argon2id. `nil`: decide cold.
    private func warmDecision(_ cache: WarmCache, key: WarmCache.Key, request: LoginRequest, accountKey: String, at date: Date) throws -> Decision? {
        guard let entry = cache.entry(for: key, at: date) else { return nil }
        let state = try store.warmState(accountKey: accountKey, address: request.address,
                                        since: date.addingTimeInterval(-entry.throttling.window))
        cache.observe(generation: state.generation)
        guard state.generation == entry.generation,
              !entry.throttling.throttles(accountFailures: state.accountFailures, addressFailures: state.addressFailures) else { return nil }
        // What a cold allow writes, when there is something to write: failures to clear, or
        // last use (at most once a minute).
        let lastUseDue = entry.lastUseWritten.map { date.timeIntervalSince($0) >= Self.lastUseInterval } ?? true
        if lastUseDue || state.accountFailures > 0 {
            try store.record(DecisionRecord(at: date, accountKey: accountKey, address: request.address, service: request.service,
                                            outcome: .allowed(accountID: entry.accountID, credential: entry.credential,
                                                              clearFailures: state.accountFailures > 0, updateLastUsed: lastUseDue, rehash: nil),
                                            audit: []))
        }
        cache.recordHit(key, lastUseWritten: lastUseDue ? date : nil)
        return entry.decision
    }

    /// The outcome before anything is written.
    struct Evaluation {
        var decision: Decision
        var matchedAccount: Account?
        var rehash: String?

        func record(for request: LoginRequest, accountKey: String, snapshot: DecisionSnapshot, at date: Date) -> DecisionRecord {
            let accountName = matchedAccount?.name ?? snapshot.account?.name ?? request.user
            switch decision {
            case .deny(let reason, let explanation):
                let event = AuditEvent(at: date, actor: Actor.system.description, account: accountName, action: .loginDenied,
                                       detail: "\(request.service.displayName) login from \(request.address) denied: \(explanation)",
                                       address: request.address.description, service: request.service, reason: reason.rawValue)
                let quiet = reason == .throttled && snapshot.throttleAuditedRecently
                return DecisionRecord(at: date, accountKey: accountKey, address: request.address, service: request.service,
                                      outcome: .denied(countsAsFailure: reason.countsAsFailure), audit: quiet ? [] : [event])
            case .allow(_, let credential):
                let account = matchedAccount!
                let lastUse = snapshot.lastUse(of: credential, account: account)
                let isNewAddress = !snapshot.credentialsSeenFromAddress.contains(credential.storeID)
                let updateLastUsed = isNewAddress || lastUse.map { date.timeIntervalSince($0) >= DecisionEngine.lastUseInterval } ?? true
                var audit: [AuditEvent] = []
                if isNewAddress {
                    audit.append(AuditEvent(at: date, actor: Actor.system.description, account: account.name, action: .loginFromNewAddress,
                                            detail: "\(credential.description) used over \(request.service.displayName) from \(request.address) for the first time",
                                            address: request.address.description, service: request.service))
                }
                if rehash != nil {
                    audit.append(AuditEvent(at: date, actor: Actor.system.description, account: account.name, action: .credentialRehashed,
                                            detail: "\(credential.description) rehashed with the configured Argon2id parameters"))
                }
                return DecisionRecord(at: date, accountKey: accountKey, address: request.address, service: request.service,
                                      outcome: .allowed(accountID: account.id, credential: credential, clearFailures: snapshot.accountFailures > 0,
                                                        updateLastUsed: updateLastUsed, rehash: rehash),
                                      audit: audit)
            }
        }
    }

    func evaluate(_ request: LoginRequest, name: AccountName?, snapshot: DecisionSnapshot, at date: Date) async throws -> Evaluation {
        let policy = snapshot.policy
        let address = request.address
        let service = request.service

        // 1. Throttling, before any hashing.
        if snapshot.isThrottled {
            let minutes = Int((policy.throttling.window / 60).rounded())
            let which = snapshot.accountFailures >= policy.throttling.accountFailures
                ? "\(snapshot.accountFailures) failed logins of this account from \(address)"
                : "\(snapshot.addressFailures) failed logins from \(address)"
            return deny(.throttled, "\(which) in the last \(minutes) minutes")
        }

        let inSecureNetwork = snapshot.secureNetworks.first { $0.network.contains(address) }
        let blockedHere = policy.thirdPartyClients == .blocked && inSecureNetwork == nil
        let typed = AppPasswordGenerator.normalize(request.secret)

        // 2–4. Account-specific refusals cost what a wrong password costs.
        guard let account = snapshot.account, name != nil else {
            if !blockedHere {
                try await spendWrongPasswordCost(typed: typed, secret: request.secret,
                                             mailboxEligible: !Self.isSecurePasswordRequired(departmentID: nil, accountID: nil, snapshot: snapshot))
            }
            return deny(.unknownAccount, "no account named \(Quoted(request.user))")
        }
        let required = Self.isSecurePasswordRequired(departmentID: account.departmentID, accountID: account.id, snapshot: snapshot)
        guard account.status == .active else {
            if !blockedHere { try await spendWrongPasswordCost(typed: typed, secret: request.secret, mailboxEligible: !required) }
            return deny(.accountDisabled, "the account \(account.name) is disabled")
        }
        guard account.services[service] else {
            if !blockedHere { try await spendWrongPasswordCost(typed: typed, secret: request.secret, mailboxEligible: !required) }
            return deny(.serviceDisabled, "\(service.displayName) is turned off for \(account.name)")
        }

        // 5. Third-party clients: allowed, or blocked with a secure-network exception.
        if blockedHere {
            return deny(.thirdPartyBlocked, "third-party clients are blocked and \(address) is in no secure network")
        }

        // 6. An app password: the one stored hash its selector picks, or a dummy of equal cost.
        if let typed {
            let selector = snapshot.selectorKey.selector(for: typed)
            let candidate = snapshot.appPasswords.first { $0.selector == selector }
            let storedHash = candidate?.hash ?? dummies.appPassword
            let hasher = appPasswordHasher
            let matches = try await pool.run { Result { try hasher.verify(typed, against: storedHash) } }.get()
            if matches, let candidate {
                if !candidate.limits.protocols.isEmpty && !candidate.limits.protocols.contains(service) {
                    return deny(.credentialScope, "app password \(candidate.id) \(Quoted(candidate.label)) is limited to \(candidate.limits.protocols.sorted().map(\.displayName).joined(separator: ", ")), not \(service.displayName)")
                }
                if !candidate.limits.networks.isEmpty && !candidate.limits.networks.contains(where: { $0.contains(address) }) {
                    return deny(.credentialScope, "app password \(candidate.id) \(Quoted(candidate.label)) is limited to \(candidate.limits.networks.map(\.description).joined(separator: ", ")), and \(address) is outside")
                }
                if let expiry = candidate.limits.expiresAt, expiry <= date {
                    return deny(.credentialExpired, "app password \(candidate.id) \(Quoted(candidate.label)) expired at \(RFC3339.string(from: expiry))")
                }
                let rehash = await rehashIfWeak(typed, storedHash: candidate.hash, hasher: hasher)
                return Evaluation(decision: .allow(account: account.name, credential: .appPassword(id: candidate.id, label: candidate.label)),
                                  matchedAccount: account, rehash: rehash)
            }
            // An app-shaped secret where only app passwords count: no second evaluation.
            if required {
                return deny(.badCredential, "the password matches no app password of \(account.name)")
            }
        }

        // 7. The mailbox password.
        if try await verifyMailboxPassword(request.secret, of: account) {
            if required {
                return deny(.securePasswordRequired, "the mailbox password of \(account.name) does not work in mail clients: secure-password enforcement applies, so only app passwords do")
            }
            let rehash = await rehashIfWeak(request.secret, storedHash: account.mailboxPasswordHash, hasher: mailboxHasher)
            return Evaluation(decision: .allow(account: account.name, credential: .mailboxPassword), matchedAccount: account, rehash: rehash)
        }
        return deny(.badCredential, typed == nil
                    ? "the password is not the mailbox password of \(account.name)"
                    : "the password matches no app password and is not the mailbox password of \(account.name)")
    }

    static func isSecurePasswordRequired(departmentID: Int64?, accountID: Int64?, snapshot: DecisionSnapshot) -> Bool {
        AccessSummary.isSecurePasswordRequired(accountID: accountID, departmentID: departmentID, policy: snapshot.policy, scope: snapshot.scope)
    }

    private func deny(_ reason: DenialReason, _ explanation: String) -> Evaluation {
        Evaluation(decision: .deny(reason, explanation: explanation), matchedAccount: nil, rehash: nil)
    }

    /// Whether `secret` is the account's mailbox password (one Argon2id evaluation on the pool;
    /// an over-long secret is refused unhashed).
    func verifyMailboxPassword(_ secret: Secret, of account: Account) async throws -> Bool {
        let hasher = mailboxHasher
        let storedHash = account.mailboxPasswordHash
        return try await pool.run {
            Result { secret.count <= CredentialManager.maximumPasswordBytes ? try hasher.verify(secret, against: storedHash) : false }
        }.get()
    }

    /// The Argon2id work a wrong password would have cost, against dummy hashes.
    func spendWrongPasswordCost(typed: Secret?, secret: Secret, mailboxEligible: Bool) async throws {
        let appHasher = appPasswordHasher
        let mailboxHasher = mailboxHasher
        let (appDummy, mailboxDummy) = (dummies.appPassword, dummies.mailbox)
        if let typed {
            _ = try await pool.run { Result { try appHasher.verify(typed, against: appDummy) } }.get()
            if !mailboxEligible { return }
        }
        _ = try await pool.run { Result { try mailboxHasher.verify(secret, against: mailboxDummy) } }.get()
    }

    func rehashIfWeak(_ secret: Secret, storedHash: String, hasher: any PasswordHasher) async -> String? {
        guard hasher.needsRehash(storedHash) else { return nil }
        return await pool.run { try? hasher.hash(secret) }
    }

    /// A well-formed Argon2id string with these parameters and a random salt and digest: checking
    /// any secret against it costs a full evaluation and never matches.
    static func makeDummyHash(_ parameters: Argon2idParameters) -> String {
        func base64(_ bytes: [UInt8]) -> String {
            Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
        }
        return "$argon2id$v=19$m=\(parameters.memoryKiB),t=\(parameters.iterations),p=1$\(base64(Sodium.randomBytes(16)))$\(base64(Sodium.randomBytes(32)))"
    }
}

/// The dummy hashes a refusal checks against, made on first use: most processes (a one-shot
/// checkpassword that allows) never need them.
private final class DummyHashes: Sendable {
    private let hashing: HashingConfiguration
    private let made = Mutex<(appPassword: String, mailbox: String)?>(nil)

    init(_ hashing: HashingConfiguration) { self.hashing = hashing }

    private var both: (appPassword: String, mailbox: String) {
        made.withLock { made in
            if let made { return made }
            let new = (DecisionEngine.makeDummyHash(hashing.appPassword), DecisionEngine.makeDummyHash(hashing.mailboxPassword))
            made = new
            return new
        }
    }

    var appPassword: String { both.appPassword }
    var mailbox: String { both.mailbox }
}
