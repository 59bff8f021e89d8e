import Foundation

/// A freshly generated app password: its stored metadata and the secret, which exists only
/// here and is shown once.
public struct GeneratedAppPassword: Sendable {
    public let appPassword: AppPassword
    public let secret: Secret

    /// A password and its secret as made here, or as a server's API answered them.
    public init(appPassword: AppPassword, secret: Secret) {
        self.appPassword = appPassword
        self.secret = secret
    }

    /// `abcd efgh ijkl mnop`.
    public var displayPassword: String { AppPasswordGenerator.displayForm(of: secret) }
}

/// The operations on accounts, departments and app passwords that the CLI and the web page
/// share: validation, hashing, and the store, with every change audited.
public struct CredentialManager: Sendable {
    public let store: any CredentialStore
    private let generator: AppPasswordGenerator
    private let now: @Sendable () -> Date

    /// Mailbox passwords are chosen by people: at least this many characters.
    public static let minimumMailboxPasswordLength = 8
    /// Longer input is refused rather than hashed (a denial-of-service guard).
    public static let maximumPasswordBytes = 1024

    /// - Parameters:
    ///   - store: where accounts and credentials live.
    ///   - generator: makes app passwords (libsodium's CSPRNG in production).
    ///   - now: the clock for created and expiry times.
    public init(
        store: any CredentialStore,
        generator: AppPasswordGenerator = AppPasswordGenerator(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.generator = generator
        self.now = now
    }

    public var currentDate: Date { now() }

    /// New hashes take the store's Argon2id parameters (``DomainPolicy/hashing``), which every
    /// process shares, so that none rehashes what another made.
    private func mailboxHasher() throws -> Argon2idHasher { Argon2idHasher(parameters: try store.policy().hashing.mailboxPassword) }
    private func appPasswordHasher() throws -> Argon2idHasher { Argon2idHasher(parameters: try store.policy().hashing.appPassword) }

    // MARK: Accounts and departments

    /// The account named `text` (case-insensitive).
    /// - Throws: ``InputError`` for a malformed name; ``AccountError`` naming the closest
    ///   existing account when there is none.
    public func account(named text: String) throws -> Account {
        let name = try AccountName(validating: text)
        if let account = try store.account(named: name) { return account }
        throw AccountError.unknownAccount(text, suggestion: closestMatch(to: text, among: try store.accounts(inDepartment: nil).map(\.name)))
    }

    /// Creates an account with a mailbox password (hashed at the mailbox-password cost).
    /// - Throws: ``InputError`` for a bad name or password, ``AccountError`` for a duplicate
    ///   name or an unknown department.
    public func addAccount(named text: String, department: String?, mailboxPassword: Secret, by actor: AuditActor) throws -> Account {
        let name = try AccountName(validating: text)
        let departmentName = try department.map(DepartmentName.init(validating:))
        try Self.checkMailboxPassword(mailboxPassword)
        // Fail fast on a duplicate before paying for the hash; the store checks again atomically.
        if let existing = try store.account(named: name) {
            throw AccountError(.accountExists, "an account named \(Quoted(existing.name)) already exists; nothing was changed")
        }
        let hash = try mailboxHasher().hash(mailboxPassword)
        return try store.addAccount(NewAccount(name: name, department: departmentName, mailboxPasswordHash: hash), by: actor, at: now())
    }

    /// Reads an import file and marks the entries whose account exists already as problems.
    public func planImport(_ text: String, format: AccountImportFile.Format, allowWeak: Bool, allowCostly: Bool = false) throws -> AccountImportFile {
        var file = AccountImportFile(parsing: text, format: format, allowWeak: allowWeak, allowCostly: allowCostly)
        try file.excludeExisting { try store.account(named: $0)?.name }
        return file
    }

    /// Adds the accounts of an import with their hashes as they are (checked as imported until
    /// each account's first login rehashes it), creating the departments they name: all in one
    /// transaction. New accounts have IMAP, POP3 and SMTP on, as `addAccount` makes them.
    public func importAccounts(_ entries: [AccountImportFile.Entry], by actor: AuditActor) throws -> ImportedAccounts {
        try store.importAccounts(
            entries.map { NewAccount(name: $0.name, department: $0.department, mailboxPasswordHash: $0.hash.stored) },
            by: actor, at: now())
    }

    /// Removes an account with all its app passwords.
    /// - Returns: how many app passwords went, and the account, whose sessions end.
    public func removeAccount(named text: String, by actor: AuditActor) throws -> (appPasswords: Int, consequences: Consequences) {
        let account = try account(named: text)
        let removed = try store.removeAccount(try AccountName(validating: account.name), by: actor, at: now())
        return (removed, .account(account.name))
    }

    /// Enables or disables an account.
    /// - Returns: whether it changed; a disabled account's sessions end.
    public func setStatus(_ status: Account.Status, of account: Account, by actor: AuditActor) throws -> (changed: Bool, consequences: Consequences) {
        let changed = try store.setStatus(status, of: try AccountName(validating: account.name), by: actor, at: now())
        return (changed, .account(account.name, if: changed && status == .disabled))
    }

    /// Moves an account to a department (`nil`: out of any).
    /// - Returns: whether it changed; the account, when the move brings it under secure-password
    ///   enforcement (its mailbox password stops working in mail clients).
    public func setDepartment(of account: Account, to department: String?, by actor: AuditActor) throws -> (changed: Bool, consequences: Consequences) {
        let name = try AccountName(validating: account.name)
        let wasRequired = try access(for: account).isSecurePasswordRequired
        let changed = try store.setDepartment(try department.map(DepartmentName.init(validating:)), of: name, by: actor, at: now())
        guard changed, let moved = try store.account(named: name) else { return (changed, .none) }
        let isRequired = try access(for: moved).isSecurePasswordRequired
        return (changed, .account(moved.name, if: !wasRequired && isRequired))
    }

    /// Makes the account a member of the help desk (who may issue device passwords for any
    /// account on the page), or takes it out.
    /// - Returns: whether it changed.
    public func setHelpDesk(of account: Account, to isMember: Bool, by actor: AuditActor) throws -> Bool {
        try store.setHelpDesk(isMember, of: try AccountName(validating: account.name), by: actor, at: now())
    }

    /// Turns services on or off for the selected accounts, in one transaction.
    /// - Returns: the accounts that changed; those that lost a service have their sessions end.
    public func setServices(_ changes: [MailService: Bool], for selection: AccountSelection, by actor: AuditActor) throws -> (
        changed: [String], consequences: Consequences
    ) {
        let changed = try store.setServices(changes, for: selection, by: actor, at: now())
        return (changed, Consequences(accountsLosingAccess: changes.values.contains(false) ? changed : []))
    }

    /// How many app passwords each account has, by account id.
    public func appPasswordCounts() throws -> [Int64: Int] {
        try store.appPasswordCounts()
    }

    /// The most app passwords an account may have.
    public func maximumAppPasswords() throws -> Int {
        try store.policy().maximumAppPasswords
    }

    /// Audit entries, newest first: all, or one account's; optionally only since a date.
    public func auditEvents(about account: String?, since: Date? = nil, limit: Int) throws -> [AuditEvent] {
        try store.auditEvents(account: account, since: since, limit: limit)
    }

    /// The account as the store has it now, by the canonical name a session remembers; `nil`
    /// once it is gone.
    public func currentAccount(named name: String) throws -> Account? {
        guard let name = try? AccountName(validating: name) else { return nil }
        return try store.account(named: name)
    }

    public func accounts(inDepartment department: String?) throws -> [Account] {
        try store.accounts(inDepartment: try department.map(DepartmentName.init(validating:)))
    }

    public func addDepartment(named text: String, by actor: AuditActor) throws -> Department {
        try store.addDepartment(try DepartmentName(validating: text), by: actor, at: now())
    }

    public func removeDepartment(named text: String, by actor: AuditActor) throws {
        try store.removeDepartment(try DepartmentName(validating: text), by: actor, at: now())
    }

    public func departments() throws -> [Department] {
        try store.departments()
    }

    /// Checks a new mailbox password: 8 to 1024 bytes, no NUL or line break (mail servers pass
    /// passwords NUL- or line-separated).
    /// - Throws: ``InputError``.
    public static func checkMailboxPassword(_ password: Secret) throws {
        let length = password.withUnsafeBytes { String(decoding: $0, as: UTF8.self).count }
        guard length >= minimumMailboxPasswordLength else {
            throw InputError("the mailbox password is too short: use at least \(minimumMailboxPasswordLength) characters")
        }
        guard password.count <= maximumPasswordBytes else {
            throw InputError("the mailbox password is longer than \(maximumPasswordBytes) bytes")
        }
        let forbidden: Set<UInt8> = [0, 10, 13]
        let hasForbidden = password.withUnsafeBytes { bytes in bytes.contains { forbidden.contains($0) } }
        guard !hasForbidden else {
            throw InputError("the mailbox password contains a NUL or line-break character, which mail clients cannot send")
        }
    }

    // MARK: App passwords

    /// Makes a new app password for `account`: a random secret, its selector and Argon2id hash
    /// stored under the account's next id, the secret returned once.
    /// - Throws: ``CredentialError`` (`limitReached`) when the account has the most allowed.
    public func generateAppPassword(for account: Account, label: Label, limits: CredentialLimits = .none, by actor: AuditActor) throws -> GeneratedAppPassword {
        try withNewAppPassword(label: label, limits: limits) { stored in
            try store.addAppPassword(stored, toAccount: account.id, by: actor, at: now())
        }
    }

    /// The help desk on the page: a password for a device of `account` (a printer, a scanner),
    /// issued by `member`, who must still be an active member of the help desk when it is written.
    /// - Throws: ``CredentialError`` (`notHelpDesk`, `limitReached`).
    public func issueDevicePassword(for account: Account, label: Label, limits: CredentialLimits, byHelpDeskMember member: Account) throws
        -> GeneratedAppPassword
    {
        try withNewAppPassword(label: label, limits: limits) { stored in
            try store.addDevicePassword(stored, toAccount: account.id, byHelpDeskMember: member.id, at: now())
        }
    }

    /// Help desk: revokes every app password of the account and issues one new one, optionally
    /// setting a new mailbox password, in one transaction.
    /// - Returns: the revoked passwords and the new one; the account's sessions end.
    public func reset(_ account: Account, label: Label, mailboxPassword: Secret?, by actor: AuditActor) throws -> (
        revoked: [AppPassword], issued: GeneratedAppPassword, consequences: Consequences
    ) {
        let mailboxHash = try mailboxPassword.map { password -> String in
            try Self.checkMailboxPassword(password)
            return try mailboxHasher().hash(password)
        }
        var revoked: [AppPassword] = []
        let issued = try withNewAppPassword(label: label, limits: .none) { stored in
            let result = try store.reset(try AccountName(validating: account.name), replacement: stored, mailboxPasswordHash: mailboxHash, by: actor, at: now())
            revoked = result.revoked
            return result.issued
        }
        return (revoked, issued, .account(account.name))
    }

    /// Sets a new mailbox password (hashed at the mailbox-password cost).
    /// - Returns: the account, whose sessions end.
    public func setMailboxPassword(of account: Account, to password: Secret, by actor: AuditActor) throws -> Consequences {
        try Self.checkMailboxPassword(password)
        try store.setMailboxPasswordHash(try mailboxHasher().hash(password), of: try AccountName(validating: account.name), by: actor, at: now())
        return .account(account.name)
    }

    /// Makes a random secret with its selector and hash and lets `save` store it. A selector
    /// collision within one account is a 1-in-2^48 event per pair: a fresh secret is tried.
    private func withNewAppPassword(label: Label, limits: CredentialLimits, save: (NewAppPassword) throws -> AppPassword) throws -> GeneratedAppPassword {
        let key = try store.selectorKey()
        let hasher = try appPasswordHasher()
        for _ in 0..<3 {
            let secret = generator.generate()
            let stored = NewAppPassword(label: label, limits: limits, selector: key.selector(for: secret), hash: try hasher.hash(secret))
            do {
                return GeneratedAppPassword(appPassword: try save(stored), secret: secret)
            } catch is SelectorCollision {
                continue
            }
        }
        throw StoreError.corrupt("three new app passwords in a row collided with existing selectors")
    }

    public func appPasswords(of account: Account) throws -> [AppPassword] {
        try store.appPasswords(ofAccount: account.id)
    }

    public func relabelAppPassword(_ id: Int, of account: Account, to label: Label, by actor: AuditActor) throws -> AppPassword {
        try store.relabelAppPassword(id, ofAccount: account.id, to: label, by: actor, at: now())
    }

    /// - Returns: the revoked password; the account's sessions end (the one that used it among them).
    public func revokeAppPassword(_ id: Int, of account: Account, by actor: AuditActor) throws -> (revoked: AppPassword, consequences: Consequences) {
        (try store.revokeAppPassword(id, ofAccount: account.id, by: actor, at: now()), .account(account.name))
    }

    /// - Returns: the revoked passwords (possibly none); when there were any, the account's sessions end.
    public func revokeAllAppPasswords(of account: Account, by actor: AuditActor) throws -> (revoked: [AppPassword], consequences: Consequences) {
        let revoked = try store.revokeAllAppPasswords(ofAccount: account.id, by: actor, at: now())
        return (revoked, .account(account.name, if: !revoked.isEmpty))
    }

    /// What the account may do with third-party clients under the current policy.
    public func access(for account: Account) throws -> AccessSummary {
        AccessSummary(
            account: account, policy: try store.policy(), secureNetworks: try store.secureNetworks(),
            scope: try store.enforcementScope(), firstPartyHosts: try store.firstPartyHosts(), at: now())
    }
}
