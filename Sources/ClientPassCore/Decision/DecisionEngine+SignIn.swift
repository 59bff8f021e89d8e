import Foundation

/// Where an employee signs in to self-service.
public enum SignInChannel: String, Sendable, Hashable, CaseIterable {
    /// The self-service page, from the browser's address.
    case page
    /// `clientpass password` and `clientpass access`, on the host (from the loopback address).
    case commandLine = "command_line"
    /// The self-service API (`clientpass login` on the employee's computer), from the caller's
    /// address.
    case api

    /// The address a command-line sign-in is counted under: the host itself.
    public static let commandLineAddress = IPAddress("127.0.0.1")!
}

/// The answer to a sign-in to self-service.
public enum SignInResult: Sendable, Equatable {
    case signedIn(Account)
    /// Unknown account or wrong password (an app password included): the two are never told
    /// apart, in the answer or in its time.
    case wrongCredentials
    /// Too many recent failures for this account name or this address.
    case throttled(retryAfter: TimeInterval)
    /// The mailbox password was right, but the account is disabled.
    case accountDisabled
}

extension DecisionEngine {
    /// The most successful sign-ins to the page and the API one account makes in a window (each
    /// makes a session); past it, the answer is `throttled`.
    public static let signInLimit = (count: 30, window: TimeInterval(15 * 60))

    /// Signs an employee in to self-service (the page or the command line: one sign-in for
    /// both) with the account name and the **mailbox password**. An app password never signs
    /// in, so a leaked one cannot mint more.
    ///
    /// Throttled like logins, on the same counters: failures here count towards the mail
    /// clients' throttling of this account and address, and the other way round. An unknown
    /// account costs one mailbox-password Argon2id evaluation, as a wrong password does.
    /// Every refusal is audited (a throttled flood once a minute); a success is audited too.
    /// The page is a first-party channel: third-party-client policy, secure networks,
    /// enforcement and services do not apply to it.
    /// - Parameters:
    ///   - channel: where the employee signs in (audited).
    ///   - confirming: a signed-in employee confirming the mailbox password before a sensitive
    ///     step (audited as such).
    /// - Throws: ``StoreError`` when the store cannot be read or written, ``HashingError`` when
    ///   the hash could not be checked: a temporary failure, not counted.
    public func signIn(
        user: String, mailboxPassword: Secret, address: IPAddress, channel: SignInChannel = .page,
        confirming: Bool = false
    ) async throws -> SignInResult {
        let address = address.canonical
        let date = currentDate
        let name = try? AccountName(validating: user)
        let accountKey = name?.key ?? user.lowercased()
        guard let permit = admission.admit(accountKey: accountKey, address: address) else {
            return .throttled(retryAfter: HashingAdmission.retryAfter)
        }
        defer { admission.release(permit) }
        let snapshot = try await store.performing { [store] in try store.beginDecision(accountKey: accountKey, address: address, at: date) }

        // The account is named only when it exists: a person who typed a password into the
        // account field must not find it in the audit trail.
        let context: AuditEvent.Context =
            switch channel {
            case .page: .page
            case .commandLine: .commandLine
            case .api: .api
            }
        func refusal(_ reason: DenialReason, account: String?, counts: Bool, quiet: Bool = false) -> DecisionRecord {
            let event = AuditEvent(
                at: date, kind: .signInFailed, actor: .system, account: account, reason: reason,
                address: address.description, context: context)
            return DecisionRecord(
                at: date, accountKey: accountKey, address: address, service: nil,
                outcome: .denied(countsAsFailure: counts), audit: quiet ? [] : [event], reservation: snapshot.reservation)
        }

        if snapshot.isThrottled {
            let record = refusal(.throttled, account: snapshot.account?.name, counts: false, quiet: snapshot.throttleAuditedRecently)
            if !record.isEmpty { try await store.performing { [store] in try store.record(record) } }
            return .throttled(retryAfter: snapshot.policy.throttling.window)
        }
        var account = name == nil ? nil : snapshot.account
        let hashers = hashers(snapshot.policy.hashing)
        let matches: Bool
        if account == nil, let name {
            // A new hire the directory knows gets an account here, as at a mail login.
            account = try await givingBackOnFailure(snapshot) {
                try await admitNewcomer(mailboxPassword, named: name, at: date, hashers: hashers, lane: .other)
            }
            matches = account != nil
        } else {
            matches = try await givingBackOnFailure(snapshot) { try await checkMailboxPassword(mailboxPassword, of: account, hashers: hashers) }
        }
        guard let account else {
            let refused = refusal(.unknownAccount, account: nil, counts: true)
            try await store.performing { [store] in try store.record(refused) }
            return .wrongCredentials
        }
        guard matches else {
            let refused = refusal(.badCredential, account: account.name, counts: true)
            try await store.performing { [store] in try store.record(refused) }
            return .wrongCredentials
        }
        guard account.status == .active else {
            let refused = refusal(.accountDisabled, account: account.name, counts: false)
            try await store.performing { [store] in try store.record(refused) }
            return .accountDisabled
        }
        // Each sign-in to the page or the API makes a session: an account that signs in more
        // often than any person does is held off, whoever has its password.
        if !confirming, channel != .commandLine {
            let since = date.addingTimeInterval(-Self.signInLimit.window)
            let recent = try await store.performing { [store] in try store.signInCount(account: account.name, since: since) }
            if recent >= Self.signInLimit.count {
                let refused = refusal(.throttled, account: account.name, counts: false)
                try await store.performing { [store] in try store.record(refused) }
                return .throttled(retryAfter: Self.signInLimit.window)
            }
        }
        let rehash = await rehashIfOutdated(mailboxPassword, storedHash: account.mailboxPasswordHash, hasher: hashers.mailbox)
        let signedIn = DecisionRecord(
            at: date, accountKey: accountKey, address: address, service: nil,
            outcome: .signedIn(accountID: account.id, clearFailures: snapshot.accountFailures > 0, rehash: rehash),
            audit: [
                AuditEvent(
                    at: date, kind: .signedIn, actor: .account(account.name), account: account.name,
                    address: address.description, context: confirming ? .confirmation : context)
            ],
            reservation: snapshot.reservation)
        try await store.performing { [store] in try store.record(signedIn) }
        // The session about to be made knows the hash the store now holds.
        var current = account
        if let rehash { current.mailboxPasswordHash = rehash.hash }
        return .signedIn(current)
    }
}
