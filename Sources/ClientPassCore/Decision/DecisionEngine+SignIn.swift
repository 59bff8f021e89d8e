import Foundation

/// Where an employee signs in to self-service.
public enum SignInChannel: String, Sendable, Hashable, CaseIterable {
    /// The self-service page, from the browser's address.
    case page
    /// `clientpass password` and `clientpass access`, on the host (from the loopback address).
    case commandLine = "command_line"

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
    public func signIn(user: String, mailboxPassword: Secret, address: IPAddress, channel: SignInChannel = .page,
                       confirming: Bool = false) async throws -> SignInResult {
        let address = address.canonical
        let date = currentDate
        let name = try? AccountName(validating: user)
        let accountKey = name?.key ?? user.lowercased()
        guard let permit = admission.admit(accountKey: accountKey, address: address) else {
            return .throttled(retryAfter: HashingAdmission.retryAfter)
        }
        defer { admission.release(permit) }
        let snapshot = try store.beginDecision(accountKey: accountKey, address: address, at: date)

        // The account is named only when it exists: a person who typed a password into the
        // account field must not find it in the audit trail.
        func refusal(_ detail: String, account: String?, counts: Bool, reason: String, quiet: Bool = false) -> DecisionRecord {
            let event = AuditEvent(at: date, actor: Actor.system.description, account: account, action: .signInFailed,
                                   detail: (channel == .page ? "self-service sign-in from \(address) " : "self-service sign-in on the command line ") + detail, address: address.description, reason: reason)
            return DecisionRecord(at: date, accountKey: accountKey, address: address, service: nil,
                                  outcome: .denied(countsAsFailure: counts), audit: quiet ? [] : [event], reservation: snapshot.reservation)
        }

        if snapshot.isThrottled {
            let record = refusal("refused: too many failed attempts from this address", account: snapshot.account?.name,
                                 counts: false, reason: DenialReason.throttled.rawValue, quiet: snapshot.throttleAuditedRecently)
            if !record.isEmpty { try store.record(record) }
            return .throttled(retryAfter: snapshot.policy.throttling.window)
        }
        let account = name == nil ? nil : snapshot.account
        let matches = try await givingBackOnFailure(snapshot) { try await checkMailboxPassword(mailboxPassword, of: account) }
        guard let account else {
            try store.record(refusal("failed: no such account", account: nil, counts: true, reason: DenialReason.unknownAccount.rawValue))
            return .wrongCredentials
        }
        guard matches else {
            try store.record(refusal("failed: wrong mailbox password", account: account.name, counts: true, reason: DenialReason.badCredential.rawValue))
            return .wrongCredentials
        }
        guard account.status == .active else {
            try store.record(refusal("refused: the account is disabled", account: account.name, counts: false,
                                     reason: DenialReason.accountDisabled.rawValue))
            return .accountDisabled
        }
        let rehash = await rehashIfWeak(mailboxPassword, storedHash: account.mailboxPasswordHash, hasher: mailboxHasher)
        try store.record(DecisionRecord(
            at: date, accountKey: accountKey, address: address, service: nil,
            outcome: .signedIn(accountID: account.id, clearFailures: snapshot.accountFailures > 0, rehash: rehash),
            audit: [AuditEvent(at: date, actor: account.name, account: account.name, action: .signedIn,
                               detail: channel == .commandLine ? "signed in to self-service on the command line"
                                   : confirming ? "confirmed the mailbox password on the self-service page from \(address)"
                                   : "signed in to the self-service page from \(address)",
                               address: address.description)],
            reservation: snapshot.reservation))
        return .signedIn(account)
    }
}
