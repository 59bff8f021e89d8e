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
/// Counting: an attempt is admitted before its hash — bounded in flight (``HashingAdmission``)
/// and counted as a failure in the store at once (``CredentialStore/beginDecision(accountKey:address:at:)``)
/// — and settled after it: a secret that matched no credential stays a failure, whatever the
/// reason given, so every account state, and unknown accounts, throttle alike.
///
/// Cost: every refusal spends the same Argon2id work for a secret of the same shape, whatever
/// the account's existence, state, department or the policy: an app-password-shaped secret one
/// app-password evaluation and one mailbox-password evaluation, any other secret one
/// mailbox-password evaluation, an over-long secret none. Only a throttled attempt, refused
/// before anything else, skips hashing.
public struct DecisionEngine: Sendable {
    public let store: any CredentialStore
    /// Hashers tests put in place of Argon2id's (they count evaluations), whatever the store's
    /// parameters; `nil`: the store's parameters decide (``hashers(_:)``).
    private let appPasswordOverride: (any PasswordHasher)?
    private let mailboxOverride: (any PasswordHasher)?
    /// The hashers and dummies of each set of parameters the store has asked for, made on first
    /// use: one set, unless an administrator changes them while this process runs.
    private let hasherSets = HasherSets()
    /// Checks the mailbox passwords of directory accounts (a bind as the user); `nil` in a
    /// process with no directory client, where such a check is a temporary failure.
    public let directory: (any DirectoryConnector)?
    private let pool: HashingPool
    private let now: @Sendable () -> Date
    /// Allows re-used without Argon2id (`serve` only); `nil`: every login is decided cold.
    public let warmCache: WarmCache?
    /// Bounds the Argon2id work in flight in this process.
    public let admission: HashingAdmission
    /// The policy's rules, in order (``Rule/standard``), walked by the decision and `explain` alike.
    public let rules: [Rule]

    /// Argon2id jobs waiting for a hashing thread.
    public var hashingQueueDepth: Int { pool.queueDepth }

    /// The engine's clock.
    public var currentDate: Date { now() }

    /// Last use is written at most this often per credential.
    public static let lastUseInterval: TimeInterval = 60

    /// - Parameters:
    ///   - store: the store every decision reads afresh.
    ///   - appPasswordHasher, mailboxHasher: override the Argon2id hashers (tests count
    ///     evaluations); otherwise each decision hashes with the store's parameters
    ///   (``DomainPolicy/hashing``), and a stored hash made with others is brought up to date.
    ///   - pool: where Argon2id runs.
    ///   - now: the clock for expiry, throttling and last use.
    ///   - warmCache: re-use recent allows (see ``WarmCache``).
    ///   - admission: the bounds on Argon2id work in flight; by default
    ///     ``HashingAdmission/Limits/standard(poolSize:)`` for `pool`.
    ///   - rules: the policy's rules (tests add their own).
    ///   - directory: the directory client, for accounts whose mailbox password the directory checks.
    public init(
        store: any CredentialStore,
        appPasswordHasher: (any PasswordHasher)? = nil, mailboxHasher: (any PasswordHasher)? = nil,
        pool: HashingPool = .shared, now: @escaping @Sendable () -> Date = { Date() }, warmCache: WarmCache? = nil,
        admission: HashingAdmission? = nil, rules: [Rule] = Rule.standard, directory: (any DirectoryConnector)? = nil
    ) {
        self.directory = directory
        self.store = store
        self.rules = rules
        self.admission = admission ?? HashingAdmission(limits: .standard(poolSize: pool.size))
        self.warmCache = warmCache
        appPasswordOverride = appPasswordHasher
        mailboxOverride = mailboxHasher
        self.pool = pool
        self.now = now
    }

    /// The hashers and dummy hashes of the store's Argon2id parameters.
    func hashers(_ hashing: HashingConfiguration) -> Hashers {
        hasherSets.made.withLock { sets in
            if let made = sets[hashing] { return made }
            let made = Hashers(
                appPassword: appPasswordOverride ?? Argon2idHasher(parameters: hashing.appPassword),
                mailbox: mailboxOverride ?? MailboxPasswordHasher(parameters: hashing.mailboxPassword),
                dummies: DummyHashes(hashing))
            sets[hashing] = made
            return made
        }
    }

    /// Decides one login and records its traces (failure counters, last use, audit).
    /// - Throws: ``StoreError`` when the store cannot be read or written, ``HashingError`` when a
    ///   hash could not be checked (out of memory), ``DecisionError/busy(retryAfter:)`` when too
    ///   much work is in flight: a temporary failure, never an allow, and not counted as a
    ///   failed login.
    public func decide(_ request: LoginRequest) async throws -> Decision {
        try await decideLogin(request).decision
    }

    /// A decision and how it was reached.
    public struct Outcome: Sendable {
        public let decision: Decision
        /// Re-used from the warm cache, without Argon2id.
        public let warm: Bool
        /// The canonical name of the account the request named, when one exists: what a log
        /// may show. A name that names no account is never kept (it may be a mistyped password).
        public let account: String?
        /// The rule that refused, for a denial (`network`, `credentials`).
        public let deniedBy: String?

        public init(decision: Decision, warm: Bool, account: String?, deniedBy: String? = nil) {
            self.decision = decision
            self.warm = warm
            self.account = account
            self.deniedBy = deniedBy
        }
    }

    /// Like ``decide(_:)``, and tells whether the answer came from the warm cache.
    /// - Parameter recording: `false` decides without writing anything (`check --dry-run`): no
    ///   failure counted, no last use, no audit entry, no warm answer remembered.
    public func decideLogin(_ request: LoginRequest, recording: Bool = true) async throws -> Outcome {
        let request = LoginRequest(
            user: request.user, secret: request.secret, service: request.service, address: request.address.canonical,
            connectingAddress: request.connectingAddress?.canonical, origin: request.origin)
        guard recording else { return try await decideWithoutRecording(request) }
        let date = now()
        let name = try? AccountName(validating: request.user)
        let accountKey = name?.key ?? request.user.lowercased()
        var cacheKey: WarmCache.Key?
        if let warmCache, name != nil {
            let key = warmCache.key(
                accountKey: accountKey, service: request.service, address: request.address,
                connectingAddress: request.connectingAddress, secret: request.secret)
            if let decision = try await warmDecision(warmCache, key: key, request: request, accountKey: accountKey, at: date) {
                let account: String? = if case .allow(let account, _) = decision { account } else { nil }
                return Outcome(decision: decision, warm: true, account: account)
            }
            cacheKey = key
        }
        // When the lane of other logins is full (a flood), the account's own devices still get in.
        guard
            let permit = try await admission.admit(
                accountKey: accountKey, address: request.address,
                isKnown: {
                    try await store.performing { [store] in try store.hasLoggedIn(accountKey: accountKey, from: request.address) }
                })
        else {
            throw DecisionError.busy(retryAfter: HashingAdmission.retryAfter)
        }
        defer { admission.release(permit) }
        let snapshot = try await store.performing { [store] in try store.beginDecision(accountKey: accountKey, address: request.address, at: date) }
        let evaluation = try await givingBackOnFailure(snapshot) { try await evaluate(request, name: name, snapshot: snapshot, at: date) }
        let record = evaluation.record(for: request, accountKey: accountKey, snapshot: snapshot, at: date)
        if !record.isEmpty { try await store.performing { [store] in try store.record(record) } }
        if let warmCache, let cacheKey, let account = evaluation.matchedAccount,
            case .allowed(let accountID, let credential, _, let updateLastUsed, _) = record.outcome
        {
            let expiry = credential.appPasswordID.flatMap { id in snapshot.appPasswords.first { $0.id == id }?.limits.expiresAt }
            warmCache.insert(
                WarmCache.Entry(
                    decision: evaluation.decision, accountID: accountID, credential: credential,
                    generation: snapshot.generation, throttling: snapshot.policy.throttling, decidedAt: date,
                    credentialExpiresAt: expiry,
                    lastUseWritten: updateLastUsed ? date : snapshot.lastUse(of: credential, account: account)),
                for: cacheKey)
        }
        return Outcome(
            decision: evaluation.decision, warm: false, account: name == nil ? nil : snapshot.account?.name,
            deniedBy: evaluation.deniedBy)
    }

    /// The decision on the store's state as it is, with nothing written: the same rules and
    /// hashing, from a plain read.
    private func decideWithoutRecording(_ request: LoginRequest) async throws -> Outcome {
        let date = now()
        let name = try? AccountName(validating: request.user)
        let accountKey = name?.key ?? request.user.lowercased()
        let snapshot = try await store.performing { [store] in try store.decisionSnapshot(accountKey: accountKey, address: request.address, at: date) }
        let evaluation = try await evaluate(request, name: name, snapshot: snapshot, at: date, admittingNewcomers: false)
        return Outcome(
            decision: evaluation.decision, warm: false, account: name == nil ? nil : snapshot.account?.name,
            deniedBy: evaluation.deniedBy)
    }

    /// A login allowed a moment ago with the same secret, protocol and address, when nothing
    /// that could change the answer has changed since and throttling does not apply: the same
    /// allow, without Argon2id. `nil`: decide cold.
    private func warmDecision(_ cache: WarmCache, key: WarmCache.Key, request: LoginRequest, accountKey: String, at date: Date) async throws -> Decision? {
        guard let entry = cache.entry(for: key, at: date) else { return nil }
        let state = try await store.loadWarmState(
            accountKey: accountKey, address: request.address,
            since: date.addingTimeInterval(-entry.throttling.window))
        cache.observe(generation: state.generation)
        guard state.generation == entry.generation,
            !entry.throttling.throttles(accountFailures: state.accountFailures, addressFailures: state.addressFailures)
        else { return nil }
        // What a cold allow writes, when there is something to write: failures to clear, or
        // last use (at most once a minute).
        let lastUseDue = entry.lastUseWritten.map { date.timeIntervalSince($0) >= Self.lastUseInterval } ?? true
        if lastUseDue || state.accountFailures > 0 {
            let record = DecisionRecord(
                at: date, accountKey: accountKey, address: request.address, service: request.service,
                outcome: .allowed(
                    accountID: entry.accountID, credential: entry.credential,
                    clearFailures: state.accountFailures > 0, updateLastUsed: lastUseDue, rehash: nil),
                audit: [])
            try await store.performing { [store] in try store.record(record) }
        }
        cache.recordHit(key, lastUseWritten: lastUseDue ? date : nil)
        return entry.decision
    }

    /// The outcome before anything is written.
    struct Evaluation {
        var decision: Decision
        var matchedAccount: Account?
        var rehash: DecisionRecord.Rehash?
        /// The secret matched no credential: the attempt stays counted as a failure, whatever
        /// the reason given (policy refusals of a right secret do not count, so fixing the
        /// policy lets the user in at once).
        var countsAsFailure = false
        /// The rule that refused, for a denial.
        var deniedBy: String?

        func record(for request: LoginRequest, accountKey: String, snapshot: DecisionSnapshot, at date: Date) -> DecisionRecord {
            // A name that names no account is not kept: it may be a password typed into the
            // wrong field. Its keyed fingerprint still tells repeated attempts at one name apart.
            let accountName = matchedAccount?.name ?? snapshot.account?.name
            switch decision {
            case .deny(let reason, let explanation):
                let why =
                    accountName == nil
                    ? "no account has that name (name fingerprint \(snapshot.selectorKey.fingerprint(of: accountKey)))"
                    : explanation
                let event = AuditEvent(
                    at: date, kind: .loginDenied, actor: .system, account: accountName, reason: reason,
                    address: request.address.description, service: request.service,
                    context: request.origin == .check ? .check : nil, note: why)
                let quiet = reason == .throttled && snapshot.throttleAuditedRecently
                return DecisionRecord(
                    at: date, accountKey: accountKey, address: request.address, service: request.service,
                    outcome: .denied(countsAsFailure: countsAsFailure), audit: quiet ? [] : [event],
                    reservation: snapshot.reservation)
            case .allow(_, let credential):
                let account = matchedAccount!
                let lastUse = snapshot.lastUse(of: credential, account: account)
                let isNewAddress = !snapshot.credentialsSeenFromAddress.contains(credential.storeID)
                let updateLastUsed = isNewAddress || lastUse.map { date.timeIntervalSince($0) >= DecisionEngine.lastUseInterval } ?? true
                var audit: [AuditEvent] = []
                if isNewAddress {
                    audit.append(
                        AuditEvent(
                            at: date, kind: .loginFromNewAddress, actor: .system, account: account.name,
                            subject: AuditEvent.Subject(credential), address: request.address.description, service: request.service,
                            context: request.origin == .check ? .check : nil))
                }
                if rehash != nil {
                    audit.append(
                        AuditEvent(
                            at: date, kind: .credentialRehashed, actor: .system, account: account.name,
                            subject: AuditEvent.Subject(credential)))
                }
                return DecisionRecord(
                    at: date, accountKey: accountKey, address: request.address, service: request.service,
                    outcome: .allowed(
                        accountID: account.id, credential: credential,
                        clearFailures: snapshot.accountFailures > 0,
                        updateLastUsed: updateLastUsed, rehash: rehash),
                    audit: audit, reservation: snapshot.reservation)
            }
        }
    }

    /// - Parameter admittingNewcomers: in directory mode, a name no account has is looked up in
    ///   the directory and its account created when the secret binds as its entry
    ///   (``admitNewcomer(_:named:at:lane:)``); `false` for a decision that writes nothing.
    func evaluate(
        _ request: LoginRequest, name: AccountName?, snapshot: DecisionSnapshot, at date: Date,
        admittingNewcomers: Bool = true
    ) async throws -> Evaluation {
        var account = name == nil ? nil : snapshot.account
        let hashers = hashers(snapshot.policy.hashing)
        // The account's own devices hash before guesses from elsewhere.
        let lane: HashingPool.Lane = snapshot.credentialsSeenFromAddress.isEmpty ? .other : .known
        var facts = RuleFacts(
            snapshot, account: account, requestedName: request.user, service: request.service,
            address: request.address, connectingAddress: request.connectingAddress, date: date)

        // 1. The rules that read only counters (throttling), before any hashing.
        if let denial = rules.firstDenial(facts, credential: .unmatched(nil), where: \.decidesBeforeHashing) {
            return deny(denial, counts: false)
        }

        // 2. The credentials, at the same Argon2id cost for every refusal of a secret of this
        //    shape: real hashes where the account exists, dummies of equal cost where not.
        let isOverLong = request.secret.count > CredentialManager.maximumPasswordBytes
        let typed = isOverLong ? nil : AppPasswordGenerator.normalize(request.secret)
        var appMatch: AppPassword?
        if let typed {
            let selector = snapshot.selectorKey.selector(for: typed)
            let candidate = account == nil ? nil : snapshot.appPasswords.first { $0.selector == selector }
            let storedHash = candidate?.hash ?? hashers.dummies.appPassword
            let hasher = hashers.appPassword
            if try await pool.run(lane, { Result { try hasher.verify(typed, against: storedHash) } }).get() {
                appMatch = candidate
            }
        }
        let afterHashing: (Rule) -> Bool = { !$0.decidesBeforeHashing }

        // 3. An app password that opens the login: one evaluation, nothing more.
        if let appMatch, let account, rules.firstDenial(facts, credential: .appPassword(appMatch), where: afterHashing) == nil {
            let rehash = await rehashIfOutdated(typed!, storedHash: appMatch.hash, hasher: hashers.appPassword, lane: lane)
            return Evaluation(
                decision: .allow(account: account.name, credential: .appPassword(id: appMatch.id, label: appMatch.label)),
                matchedAccount: account, rehash: rehash)
        }

        // 4. Every other outcome costs the mailbox-password evaluation too; then the rules, in
        //    order, with the credential the secret turned out to be. A name no account has may
        //    be a new hire the directory knows: then the account is made, and the rules decide
        //    on it as on any other.
        let mailboxMatches: Bool
        if account == nil, admittingNewcomers, let name {
            account = try await admitNewcomer(request.secret, named: name, at: date, hashers: hashers, lane: lane)
            mailboxMatches = account != nil
            if account != nil {
                facts = RuleFacts(
                    snapshot, account: account, requestedName: request.user, service: request.service,
                    address: request.address, connectingAddress: request.connectingAddress, date: date)
            }
        } else {
            mailboxMatches = try await checkMailboxPassword(request.secret, of: account, hashers: hashers, lane: lane)
        }
        let presented: PresentedCredential =
            if let appMatch { .appPassword(appMatch) } else if mailboxMatches { .mailboxPassword } else {
                .unmatched(isOverLong ? .overLong : typed == nil ? .other : .appPassword)
            }
        if let denial = rules.firstDenial(facts, credential: presented, where: afterHashing) {
            var refused = deny(denial, counts: presented.matched == nil)
            refused.matchedAccount = mailboxMatches ? account : nil
            return refused
        }
        guard let account, presented == .mailboxPassword else {
            // Unreachable with rules that refuse a missing account and an unmatched secret; a
            // rule list without them must still never allow.
            return deny(
                (
                    rule: "credentials", reason: account == nil ? .unknownAccount : .badCredential,
                    detail: "no rule refused, but the secret opens no credential"
                ), counts: true)
        }
        let rehash = await rehashIfOutdated(request.secret, storedHash: account.mailboxPasswordHash, hasher: hashers.mailbox, lane: lane)
        return Evaluation(decision: .allow(account: account.name, credential: .mailboxPassword), matchedAccount: account, rehash: rehash)
    }

    private func deny(_ denial: (rule: String, reason: DenialReason, detail: String), counts: Bool) -> Evaluation {
        Evaluation(
            decision: .deny(denial.reason, explanation: denial.detail), matchedAccount: nil, rehash: nil,
            countsAsFailure: counts, deniedBy: denial.rule)
    }

    /// Runs the hashing of an admitted attempt; a temporary failure there is no guess, so the
    /// attempt's reservation is given back (if the store lets us) before the error goes on.
    func givingBackOnFailure<Result>(_ snapshot: DecisionSnapshot, _ work: () async throws -> Result) async throws -> Result {
        do {
            return try await work()
        } catch {
            if let reservation = snapshot.reservation { try? await store.performing { [store] in try store.releaseReservation(reservation) } }
            throw error
        }
    }

    /// Whether `secret` is the account's mailbox password: one Argon2id evaluation on the pool,
    /// against a dummy hash of equal cost when there is no account; an over-long secret is
    /// refused unhashed, for every account alike.
    func checkMailboxPassword(_ secret: Secret, of account: Account?, hashers: Hashers, lane: HashingPool.Lane = .other) async throws -> Bool {
        guard secret.count <= CredentialManager.maximumPasswordBytes else { return false }
        if let account, account.usesDirectoryPassword {
            return try await checkWithDirectory(secret, of: account, hashers: hashers, lane: lane)
        }
        if account == nil { try await imitateDirectoryRefusal(secret) }
        let hasher = hashers.mailbox
        let storedHash = account?.mailboxPasswordHash ?? hashers.dummies.mailbox
        return try await pool.run(lane) { Result { try hasher.verify(secret, against: storedHash) } }.get()
    }

    /// For a name no account has: in directory mode, its entry is looked up within the sync's
    /// filter and bound with `secret` (an app-password-shaped secret never is); when the bind
    /// succeeds, its account is made as a sync would make it, audited, and returned. A refusal
    /// costs what any other refusal costs: the directory's round trips of a wrong password, then
    /// one mailbox-cost Argon2id evaluation against a dummy. Outside directory mode this is
    /// ``checkMailboxPassword(_:of:lane:)`` for no account, and `nil`.
    /// - Throws: ``DirectoryUnavailable`` when the directory cannot answer: a temporary failure.
    func admitNewcomer(_ secret: Secret, named name: AccountName, at date: Date, hashers: Hashers, lane: HashingPool.Lane) async throws -> Account? {
        guard secret.count <= CredentialManager.maximumPasswordBytes, let directory, AppPasswordGenerator.normalize(secret) == nil,
            let settings = try store.directorySettings()
        else {
            _ = try await checkMailboxPassword(secret, of: nil, hashers: hashers, lane: lane)
            return nil
        }
        let user = try await DirectoryLane.shared.run { try directory.newcomer(name.value, secret: secret, with: settings) }
        let hasher = hashers.mailbox
        let dummy = hashers.dummies.mailbox
        _ = try await pool.run(lane) { Result { try hasher.verify(secret, against: dummy) } }.get()
        // The entry the directory matched must carry the name asked for, not merely match it.
        guard let user, (try? AccountName(validating: user.name))?.key == name.key else { return nil }
        return try await store.performing { [store] in
            try store.addDirectoryAccount(
                user, settings: settings, note: "found in the directory at its first sign-in or login, before a sync",
                by: .system, at: date)
        }
    }

    /// In directory mode, a name no account has costs the directory's round trips that a wrong
    /// password of a directory account costs (connection, search, a refused bind), so that the
    /// time does not tell which names exist; nobody's entry is bound. A secret shaped like an
    /// app password goes to the directory for no account, and neither does this.
    func imitateDirectoryRefusal(_ secret: Secret) async throws {
        guard let directory, AppPasswordGenerator.normalize(secret) == nil, let settings = try store.directorySettings() else { return }
        try await DirectoryLane.shared.run { try directory.imitateRefusal(with: settings) }
    }

    /// The directory's answer for a directory account: a search and a bind as the user, off the
    /// hashing threads, then one mailbox-cost Argon2id evaluation against a dummy, so that a
    /// refusal costs at least what an unknown account's costs. With directory mode off, such an
    /// account has no mailbox password (its app passwords still work); an app-password-shaped
    /// secret is never a directory password.
    /// - Throws: ``DirectoryUnavailable`` when the directory cannot answer: a temporary failure.
    func checkWithDirectory(_ secret: Secret, of account: Account, hashers: Hashers, lane: HashingPool.Lane) async throws -> Bool {
        let hasher = hashers.mailbox
        let dummy = hashers.dummies.mailbox
        let pad = { [pool] in _ = try await pool.run(lane) { Result { try hasher.verify(secret, against: dummy) } }.get() }
        // A secret shaped like an app password that opened none (a revoked one on an old phone,
        // say) is never sent to the directory: it must not count toward a directory lockout.
        guard AppPasswordGenerator.normalize(secret) == nil, let settings = try store.directorySettings() else {
            try await pad()
            return false
        }
        guard let directory else { throw DirectoryUnavailable("this process has no directory client") }
        let name = account.name
        let answer = try await DirectoryLane.shared.run { try directory.authenticate(name, secret: secret, with: settings) }
        try await pad()
        return answer == .success
    }

    /// A new hash of `secret` when the stored one was made with other parameters than the
    /// store's (or imported from a mail server): the login brings it up to date.
    func rehashIfOutdated(_ secret: Secret, storedHash: String, hasher: any PasswordHasher, lane: HashingPool.Lane = .other) async -> DecisionRecord.Rehash? {
        guard hasher.needsRehash(storedHash) else { return nil }
        return await pool.run(lane) { try? hasher.hash(secret) }.map { DecisionRecord.Rehash(replacing: storedHash, with: $0) }
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

/// The hashers made so far, by parameters (shared by the copies of one engine).
private final class HasherSets: Sendable {
    let made = Mutex<[HashingConfiguration: Hashers]>([:])
}

/// The hashers of one set of Argon2id parameters, and the dummy hashes of equal cost.
struct Hashers: Sendable {
    let appPassword: any PasswordHasher
    let mailbox: any PasswordHasher
    let dummies: DummyHashes
}

/// The dummy hashes a refusal checks against, made on first use: most processes (a one-shot
/// checkpassword that allows) never need them.
final class DummyHashes: Sendable {
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
