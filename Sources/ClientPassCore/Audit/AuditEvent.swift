import Foundation

/// One entry of the audit trail, as data: what happened, who did it, to which account and
/// subject, why, from where, and the old and new values of a change. Never a secret.
///
/// Words are made only at the edges — `admin audit` (text and `--json`) and the page's
/// "Recent activity" — each from its own table over ``Kind``, so rewording one never breaks
/// another, and nothing parses a sentence written elsewhere.
public struct AuditEvent: Sendable, Hashable {
    /// What happened, as a stable dotted name scripts can match (`admin audit --json`'s `action`).
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case storeInitialized = "store.initialized"
        case storeBackedUp = "store.backed_up"
        case storeRestored = "store.restored"
        case departmentAdded = "department.added"
        case departmentRemoved = "department.removed"
        case accountAdded = "account.added"
        case accountRemoved = "account.removed"
        case servicesChanged = "account.services_changed"
        case accountStatusChanged = "account.status_changed"
        case accountDepartmentChanged = "account.department_changed"
        case accountHelpDeskChanged = "account.help_desk_changed"
        case mailboxPasswordChanged = "account.mailbox_password_changed"
        case appPasswordCreated = "app_password.created"
        case appPasswordRelabeled = "app_password.relabeled"
        case appPasswordRevoked = "app_password.revoked"
        case policyChanged = "policy.changed"
        case signedIn = "self_service.signed_in"
        case signInFailed = "self_service.sign_in_failed"
        case loginDenied = "login.denied"
        case loginFromNewAddress = "login.new_address"
        case credentialRehashed = "credential.rehashed"
    }

    /// What the event is about, besides the account.
    public enum Subject: Sendable, Hashable {
        case appPassword(id: Int, label: String)
        case mailboxPassword
        case department(String)
        case secureNetwork(String)
        /// A first-party host (webmail, the company's app gateway).
        case firstPartyHost(String)
        case setting(PolicySetting)
        /// A store file: the store made, or a backup written or restored.
        case store(path: String)

        /// The credential a login used.
        public init(_ credential: MatchedCredential) {
            switch credential {
            case .appPassword(let id, let label): self = .appPassword(id: id, label: label)
            case .mailboxPassword: self = .mailboxPassword
            }
        }
    }

    /// The part of the domain policy a `policy.changed` entry changed.
    public enum PolicySetting: String, CaseIterable, Sendable {
        case thirdPartyClients = "third_party_clients"
        case enforcement
        case exception
        case throttling
        /// The Argon2id parameters of new hashes (`admin policy hashing`).
        case hashing
        /// Directory mode's settings (`admin directory set`, `off`).
        case directory
    }

    /// The circumstance an entry happened in, when it matters.
    public enum Context: String, CaseIterable, Sendable {
        /// Part of a help-desk reset (`admin reset`).
        case reset
        /// Part of revoking every app password at once.
        case revokeAll = "revoke_all"
        /// On the self-service page.
        case page
        /// With a self-service command (`clientpass password`, `clientpass access`).
        case commandLine = "command_line"
        /// Through the self-service API (`clientpass login` on the employee's computer).
        case api
        /// A signed-in employee confirming the mailbox password on the page.
        case confirmation
        /// A login decided for the help desk by `clientpass check`, not by a mail server.
        case check
        /// A device password issued by a member of the help desk on the page.
        case helpDesk = "help_desk"
        /// An account, or a department for it, brought in by `admin account import` with a
        /// mailbox password hash from the mail server.
        case `import`
        /// A change made by `admin directory sync` to bring an account in line with the directory.
        case directory
    }

    /// A change's value before or after: what scripts read in `--json`.
    public enum Value: Sendable, Hashable {
        case text(String)
        case number(Int)
        case list([String])
        /// Named values, sorted by name (make them with ``record(_:)``).
        case fields([Field])

        public struct Field: Sendable, Hashable {
            public let name: String
            public let value: Value
            public init(_ name: String, _ value: Value) {
                self.name = name
                self.value = value
            }
        }

        /// The value of the field `name`, for `.fields`.
        public subscript(name: String) -> Value? {
            guard case .fields(let fields) = self else { return nil }
            return fields.first { $0.name == name }?.value
        }

        public var text: String? {
            if case .text(let text) = self { return text }
            return nil
        }

        public var number: Int? {
            if case .number(let number) = self { return number }
            return nil
        }

        public var list: [String]? {
            if case .list(let list) = self { return list }
            return nil
        }
    }

    /// Assigned by the store; `nil` before the event is recorded.
    public let id: Int64?
    public let at: Date
    public let kind: Kind
    public let actor: AuditActor
    /// The account the event is about, by name (kept after the account is removed).
    public let account: String?
    public let subject: Subject?
    /// Why a login or sign-in was refused.
    public let reason: DenialReason?
    public let address: String?
    public let service: MailService?
    /// The value before the change (`nil`: there was none, as for something added).
    public let old: Value?
    /// The value after the change (`nil`: there is none, as for something removed).
    public let new: Value?
    public let context: Context?
    /// Text kept as written, never parsed: a refused login's explanation for the help desk
    /// (the rule's sentence), or the whole sentence of an entry written before entries were
    /// typed, where it could not be read into fields.
    public let note: String?

    public init(
        id: Int64? = nil, at: Date, kind: Kind, actor: AuditActor, account: String? = nil, subject: Subject? = nil,
        reason: DenialReason? = nil, address: String? = nil, service: MailService? = nil,
        old: Value? = nil, new: Value? = nil, context: Context? = nil, note: String? = nil
    ) {
        self.id = id
        self.at = at
        self.kind = kind
        self.actor = actor
        self.account = account
        self.subject = subject
        self.reason = reason
        self.address = address
        self.service = service
        self.old = old
        self.new = new
        self.context = context
        self.note = note
    }
}

extension AuditEvent {
    /// For `account.services_changed`: each protocol turned on or off, in protocol order.
    public var servicesTurned: [(service: MailService, on: Bool)] {
        let before = Set(old?.list ?? [])
        let after = Set(new?.list ?? [])
        return MailService.allCases.compactMap { service in
            let now = after.contains(service.rawValue)
            return before.contains(service.rawValue) == now ? nil : (service, now)
        }
    }
}

extension AuditEvent.Value {
    /// Named values, in the order the store gives them back (by name).
    public static func record(_ fields: [Field]) -> Self {
        .fields(fields.sorted { $0.name < $1.name })
    }

    /// An app password's limits, or `nil` when it has none.
    public static func limits(_ limits: CredentialLimits) -> Self? {
        var fields: [Field] = []
        if !limits.protocols.isEmpty { fields.append(Field("protocols", .list(limits.protocols.sorted().map(\.rawValue)))) }
        if !limits.networks.isEmpty { fields.append(Field("networks", .list(limits.networks.map(\.description)))) }
        if let expiry = limits.expiresAt { fields.append(Field("expires_at", .text(RFC3339.string(from: expiry)))) }
        return fields.isEmpty ? nil : .record(fields)
    }

    /// The protocols that are on.
    public static func services(_ services: Services) -> Self {
        .list(services.enabled.map(\.rawValue))
    }

    public static func throttling(_ throttling: ThrottlePolicy) -> Self {
        .record([
            Field("account_failures", .number(throttling.accountFailures)), Field("address_failures", .number(throttling.addressFailures)),
            Field("account_wide_failures", .number(throttling.accountWideFailures)), Field("window_seconds", .number(Int(throttling.window))),
        ])
    }

    /// The Argon2id parameters of app passwords and mailbox passwords.
    public static func hashing(_ hashing: HashingConfiguration) -> Self {
        .record([
            Field(
                "app_password",
                .record([
                    Field("iterations", .number(hashing.appPassword.iterations)),
                    Field("memory_kib", .number(hashing.appPassword.memoryKiB)),
                ])),
            Field(
                "mailbox_password",
                .record([
                    Field("iterations", .number(hashing.mailboxPassword.iterations)),
                    Field("memory_kib", .number(hashing.mailboxPassword.memoryKiB)),
                ])),
        ])
    }

    /// How many accounts and app passwords a store holds.
    public static func inventory(accounts: Int, appPasswords: Int) -> Self {
        .record([Field("accounts", .number(accounts)), Field("app_passwords", .number(appPasswords))])
    }
}
