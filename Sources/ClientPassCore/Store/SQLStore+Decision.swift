import Foundation

extension SQLStore {
    /// At most this many failures are kept in all (and up to ``failurePruningInterval`` more
    /// between two sweeps); the oldest go first.
    static var maximumFailureRows: Int { 100_000 }
    /// Old failures are swept once in this many attempts.
    static var failurePruningInterval: Int64 { 64 }
    /// At most this many addresses are remembered per credential.
    static var maximumAddressesPerCredential: Int { 50 }

    public func decisionSnapshot(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot {
        try read { db in try Self.snapshot(accountKey: accountKey, address: address, at: date, settings: decisionSettings, in: db) }
    }

    public func beginDecision(accountKey: String, address: IPAddress, at date: Date) throws -> DecisionSnapshot {
        // A throttled attempt (a flood) is answered from a read, without taking the write lock
        // every other login needs; the write below reads again, under the lock, before counting.
        let peek = try decisionSnapshot(accountKey: accountKey, address: address, at: date)
        if peek.isThrottled { return peek }
        // Under the write lock only the counters are read again: the check and the count are one
        // step, while the rest of the decision works from the snapshot read a moment before (a
        // change committed in between is seen by the next login, as one committed during the
        // hash always was).
        let failureKey = peek.failureKey(for: accountKey)
        return try write(locking: Self.throttlingLocks(failureKey: failureKey, address: address)) { db in
            let counts = try Self.failureCounts(
                failureKey: failureKey, account: peek.account, address: address,
                since: date.addingTimeInterval(-peek.policy.throttling.window),
                throttling: peek.policy.throttling, in: db)
            let snapshot = peek.counting(counts)
            guard !snapshot.isThrottled else { return snapshot }
            // The attempt counts as a failure from now on; its settlement removes it again when
            // it turns out not to be one. An unknown name is kept only as a keyed digest: it is
            // often a password typed into the wrong field.
            let reservation = try db.insert(
                "INSERT INTO login_failure (account_key, address, at) VALUES (?, ?, ?)",
                [failureKey, address.throttlingKey, date])
            // Bounded: failures older than the longest window allowed go, then the oldest past the
            // cap; every ``failurePruningInterval``-th attempt (by its id), so that each attempt
            // does not pay for the sweep.
            if reservation % Self.failurePruningInterval == 0 {
                try db.execute("DELETE FROM login_failure WHERE at < ?", [date.addingTimeInterval(-604_800)])
                try db.execute(
                    """
                    DELETE FROM login_failure WHERE id <= (SELECT id FROM login_failure ORDER BY id DESC LIMIT 1 OFFSET ?)
                    """, [Self.maximumFailureRows])
            }
            return snapshot.reserving(reservation)
        }
    }

    /// The throttling counters of one attempt: see ``DecisionSnapshot/FailureCounts``.
    static func failureCounts(
        failureKey: String, account: Account?, address: IPAddress, since: Date,
        throttling: ThrottlePolicy, in db: any SQLDatabase
    ) throws -> DecisionSnapshot.FailureCounts {
        let throttlingKey = address.throttlingKey
        // One statement (one round trip on PostgreSQL).
        guard
            let row = try db.row(
                """
                SELECT (SELECT COUNT(*) FROM login_failure WHERE account_key = ? AND address = ? AND at >= ?) AS per_account,
                       (SELECT COUNT(*) FROM login_failure WHERE address = ? AND at >= ?) AS per_address,
                       (SELECT COUNT(*) FROM login_failure WHERE account_key = ? AND at >= ?) AS account_wide
                """, [failureKey, throttlingKey, since, throttlingKey, since, failureKey, since])
        else {
            throw StoreError.corrupt("the throttling counters could not be read")
        }
        let accountWide: Int = row["account_wide"]
        // Past the account-wide limit, whether this address (or its IPv6 /64) is one the owner
        // has logged in from: read only then.
        var isKnownAddress = true
        if accountWide >= throttling.accountWideFailures {
            isKnownAddress = false
            if let account {
                isKnownAddress = try db.all(
                    String.self, "SELECT DISTINCT address FROM credential_address WHERE account_id = ?",
                    [account.id]
                )
                .contains { IPAddress($0)?.throttlingKey == throttlingKey }
            }
        }
        return DecisionSnapshot.FailureCounts(
            account: row["per_account"], address: row["per_address"], accountWide: accountWide,
            isKnownAddress: isKnownAddress)
    }

    public func releaseReservation(_ reservation: Int64) throws {
        try write(locking: []) { db in
            try db.execute("DELETE FROM login_failure WHERE id = ?", [reservation])
        }
    }

    private static func snapshot(
        accountKey: String, address: IPAddress, at date: Date, settings cache: DecisionSettings.Cache?,
        in db: any SQLDatabase
    ) throws -> DecisionSnapshot {
        let addressText = address.canonical.description
        // Four statements that do not depend on each other, sent together (one round trip on
        // PostgreSQL): the store's generation and key, the account, its app passwords and which
        // of its credentials have logged in from this address.
        let headAnswer = db.rowsAhead(
            """
            SELECT generation, selector_key,
                   EXISTS (SELECT 1 FROM audit_event WHERE address = ? AND at >= ? AND reason = 'throttled') AS throttle_audited
            FROM store_meta WHERE id = 1
            """, [addressText, date.addingTimeInterval(-60)])
        let accountAnswer = db.rowsAhead(accountSelect + " WHERE account.name_key = ?", [accountKey])
        let passwordsAnswer = db.rowsAhead(
            """
            SELECT app_password.* FROM app_password JOIN account ON account.id = app_password.account_id
            WHERE account.name_key = ? ORDER BY app_password.id
            """, [accountKey])
        let seenAnswer = db.rowsAhead(
            """
            SELECT credential_address.credential_id FROM credential_address JOIN account ON account.id = credential_address.account_id
            WHERE account.name_key = ? AND credential_address.address = ?
            """, [accountKey, addressText])
        let head = try headAnswer.rows().first
        let generation: Int64? = head?["generation"]
        let keyBytes: Data? = head?["selector_key"]
        guard let head, let generation, let keyBytes else { throw StoreError.corrupt("the store's identity row is missing") }
        let selectorKey = try SelectorKey(bytes: Array(keyBytes))
        // The policy, the networks and the enforcement scope change only with the generation
        // (read in the same transaction): kept from an earlier decision while the generation and
        // the store's key stand, read again when either moved.
        let settings: DecisionSettings
        if let kept = cache?.settings(at: generation, selectorKey: selectorKey) {
            settings = kept
        } else {
            settings = DecisionSettings(
                generation: generation, policy: try Self.policy(in: db), selectorKey: selectorKey,
                secureNetworks: try Self.secureNetworks(in: db), scope: try Self.enforcementScope(in: db),
                firstPartyHosts: try Self.networks(.firstPartyHosts, in: db))
            cache?.keep(settings)
        }
        let policy = settings.policy
        let account = try accountAnswer.rows().first.map(Self.account(from:))
        let passwords = try passwordsAnswer.rows().map(Self.appPassword(from:))
        let seen = Set(try seenAnswer.rows().map { $0[0] as Int })
        let failureKey = DecisionSnapshot.failureKey(for: accountKey, account: account, selectorKey: settings.selectorKey)
        let counts = try Self.failureCounts(
            failureKey: failureKey, account: account, address: address,
            since: date.addingTimeInterval(-policy.throttling.window), throttling: policy.throttling, in: db)
        return DecisionSnapshot(
            policy: policy, secureNetworks: settings.secureNetworks, scope: settings.scope, selectorKey: settings.selectorKey,
            account: account, appPasswords: passwords, accountFailures: counts.account,
            addressFailures: counts.address, accountWideFailures: counts.accountWide, isKnownAddress: counts.isKnownAddress,
            credentialsSeenFromAddress: seen, throttleAuditedRecently: head["throttle_audited"], generation: generation,
            firstPartyHosts: settings.firstPartyHosts)
    }

    public func hasLoggedIn(accountKey: String, from address: IPAddress) throws -> Bool {
        try read { db in
            try db.one(
                Bool.self,
                """
                SELECT EXISTS (SELECT 1 FROM credential_address JOIN account ON account.id = credential_address.account_id
                               WHERE account.name_key = ? AND credential_address.address = ?)
                """, [accountKey, address.canonical.description]) ?? false
        }
    }

    public func warmState(accountKey: String, address: IPAddress, since: Date) throws -> WarmState {
        try read { db in try Self.warmState(accountKey: accountKey, address: address, since: since, in: db) }
    }

    public func throttledAddressCount(at date: Date) throws -> Int {
        try read { db in
            let throttling = try Self.policy(in: db).throttling
            let since = date.addingTimeInterval(-throttling.window)
            return try db.one(
                Int.self,
                """
                SELECT COUNT(*) FROM (
                    SELECT address FROM login_failure WHERE at >= ? GROUP BY address HAVING COUNT(*) >= ?
                    UNION
                    SELECT address FROM login_failure WHERE at >= ? GROUP BY account_key, address HAVING COUNT(*) >= ?) AS throttled
                """, [since, throttling.addressFailures, since, throttling.accountFailures]) ?? 0
        }
    }

    /// See ``WarmState/generation``.
    static func generation(in db: any SQLDatabase) throws -> Int64 {
        guard let generation = try db.one(Int64.self, ("SELECT generation FROM store_meta WHERE id = 1")) else {
            throw StoreError.corrupt("the store's identity row is missing")
        }
        return generation
    }

    /// One statement: on PostgreSQL one round trip is most of a warm login's time, and one
    /// statement sees one state of the store without a transaction around it.
    package static var warmStateSQL: String {
        """
        SELECT (SELECT generation FROM store_meta WHERE id = 1) AS generation,
               (SELECT COUNT(*) FROM login_failure WHERE account_key = ? AND address = ? AND at >= ?) AS account_failures,
               (SELECT COUNT(*) FROM login_failure WHERE address = ? AND at >= ?) AS address_failures
        """
    }

    package static func warmStateArguments(accountKey: String, address: IPAddress, since: Date) -> SQLArguments {
        let throttlingKey = address.throttlingKey
        return [accountKey, throttlingKey, since, throttlingKey, since]
    }

    /// The answer to ``warmStateSQL``.
    package static func warmState(from row: SQLRow?) throws -> WarmState {
        let generation: Int64? = row?["generation"]
        guard let row, let generation else { throw StoreError.corrupt("the store's identity row is missing") }
        return WarmState(generation: generation, accountFailures: row["account_failures"], addressFailures: row["address_failures"])
    }

    package static func warmState(accountKey: String, address: IPAddress, since: Date, in db: any SQLDatabase) throws -> WarmState {
        try warmState(from: db.row(warmStateSQL, warmStateArguments(accountKey: accountKey, address: address, since: since)))
    }

    /// Whether a throttled denial from `address` was audited in the minute before `date`: a
    /// flood leaves one entry a minute, not one per attempt.
    private static func throttleAuditedRecently(address: String, at date: Date, in db: any SQLDatabase) throws -> Bool {
        try db.one(
            Bool.self, ("SELECT EXISTS (SELECT 1 FROM audit_event WHERE address = ? AND at >= ? AND reason = 'throttled')"),
            [address, date.addingTimeInterval(-60)]) ?? false
    }

    /// What a transaction that reads or changes the throttling counters of an attempt locks (on
    /// PostgreSQL; SQLite has one writer at a time): its account's and its address's.
    static func throttlingLocks(failureKey: String, address: IPAddress) -> [String] {
        ["failures of account " + failureKey, "failures from " + address.throttlingKey]
    }

    public func record(_ decision: DecisionRecord) throws {
        try write(locking: Self.throttlingLocks(failureKey: decision.accountKey, address: decision.address)) { db in
            let address = decision.address.canonical.description
            let throttlingKey = decision.address.throttlingKey
            switch decision.outcome {
            case .denied(let countsAsFailure):
                if let reservation = decision.reservation {
                    // Counted when it was admitted; a refusal that is no failure gives it back.
                    if !countsAsFailure {
                        try db.execute("DELETE FROM login_failure WHERE id = ?", [reservation])
                    }
                } else if countsAsFailure {
                    try db.execute(
                        "INSERT INTO login_failure (account_key, address, at) VALUES (?, ?, ?)",
                        [decision.accountKey, throttlingKey, decision.at])
                }
            case .allowed(let accountID, let credential, let clearFailures, let updateLastUsed, let rehash):
                if let reservation = decision.reservation {
                    try db.execute("DELETE FROM login_failure WHERE id = ?", [reservation])
                }
                if clearFailures {
                    try db.execute("DELETE FROM login_failure WHERE account_key = ? AND address = ?", [decision.accountKey, throttlingKey])
                }
                if updateLastUsed {
                    switch credential {
                    case .mailboxPassword:
                        try db.execute(
                            """
                            UPDATE account SET mailbox_last_used_at = ?, mailbox_last_used_address = ?, mailbox_last_used_protocol = ?
                            WHERE id = ?
                            """, [decision.at, address, decision.service?.rawValue, accountID])
                    case .appPassword(let id, _):
                        try db.execute(
                            """
                            UPDATE app_password SET last_used_at = ?, last_used_address = ?, last_used_protocol = ?
                            WHERE account_id = ? AND id = ?
                            """, [decision.at, address, decision.service?.rawValue, accountID, id])
                    }
                    try db.execute(
                        """
                        INSERT INTO credential_address (account_id, credential_id, address, first_used_at, last_used_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (account_id, credential_id, address) DO UPDATE SET last_used_at = excluded.last_used_at
                        """, [accountID, credential.storeID, address, decision.at, decision.at])
                    try db.execute(
                        """
                        DELETE FROM credential_address WHERE account_id = ? AND credential_id = ? AND address NOT IN (
                            SELECT address FROM credential_address WHERE account_id = ? AND credential_id = ?
                            ORDER BY last_used_at DESC LIMIT ?)
                        """, [accountID, credential.storeID, accountID, credential.storeID, Self.maximumAddressesPerCredential])
                }
                if let rehash {
                    switch credential {
                    case .mailboxPassword:
                        try Self.replaceMailboxHash(rehash, of: accountID, in: db)
                    case .appPassword(let id, _):
                        try db.execute(
                            "UPDATE app_password SET hash = ? WHERE account_id = ? AND id = ? AND hash = ?",
                            [rehash.hash, accountID, id, rehash.replacing])
                    }
                }
            case .signedIn(let accountID, let clearFailures, let rehash):
                if let reservation = decision.reservation {
                    try db.execute("DELETE FROM login_failure WHERE id = ?", [reservation])
                }
                if clearFailures {
                    try db.execute("DELETE FROM login_failure WHERE account_key = ? AND address = ?", [decision.accountKey, throttlingKey])
                }
                if let rehash {
                    try Self.replaceMailboxHash(rehash, of: accountID, in: db)
                }
            }
            for event in decision.audit {
                // A flood leaves one throttled entry per address a minute. The decision skips it
                // when its snapshot saw one; this check, under the write lock, catches attempts
                // that arrived together and all saw none.
                if event.reason == .throttled, let address = event.address,
                    try Self.throttleAuditedRecently(address: address, at: decision.at, in: db)
                {
                    continue
                }
                try Self.insert(event, in: db)
            }
        }
    }

    /// A rehashed mailbox password, written only while the old hash stands; the self-service
    /// sessions that knew the old hash know the new one (they end at a new password, not at a
    /// new cost).
    private static func replaceMailboxHash(_ rehash: DecisionRecord.Rehash, of accountID: Int64, in db: any SQLDatabase) throws {
        try db.execute(
            "UPDATE account SET mailbox_password_hash = ? WHERE id = ? AND mailbox_password_hash = ?",
            [rehash.hash, accountID, rehash.replacing])
        try db.execute(
            """
            UPDATE page_session SET mailbox_digest = ? WHERE account_id = ? AND mailbox_digest = ?
              AND EXISTS (SELECT 1 FROM account WHERE id = ? AND mailbox_password_hash = ?)
            """,
            [
                StoredSession.digest(ofMailboxHash: rehash.hash), accountID, StoredSession.digest(ofMailboxHash: rehash.replacing),
                accountID, rehash.hash,
            ])
    }

    static func policy(in db: any SQLDatabase) throws -> DomainPolicy {
        guard let row = try db.row("SELECT * FROM domain_policy WHERE id = 1") else {
            throw StoreError.corrupt("the domain policy is missing")
        }
        guard let clients = DomainPolicy.ThirdPartyClients(rawValue: row["third_party_clients"]),
            let enforcement = DomainPolicy.Enforcement(rawValue: row["enforce_secure_password"])
        else {
            throw StoreError.corrupt("the domain policy has unknown values")
        }
        return DomainPolicy(
            thirdPartyClients: clients, enforcement: enforcement, maximumAppPasswords: row["max_app_passwords"],
            throttling: ThrottlePolicy(
                accountFailures: row["throttle_account_failures"], addressFailures: row["throttle_address_failures"],
                accountWideFailures: row["throttle_account_wide_failures"],
                window: TimeInterval(row["throttle_window_seconds"] as Int)),
            hashing: HashingConfiguration(
                appPassword: Argon2idParameters(iterations: row["argon2_app_iterations"], memoryKiB: row["argon2_app_memory_kib"]),
                mailboxPassword: Argon2idParameters(iterations: row["argon2_mailbox_iterations"], memoryKiB: row["argon2_mailbox_memory_kib"])))
    }
}
