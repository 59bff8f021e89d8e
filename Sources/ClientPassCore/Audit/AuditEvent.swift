import Foundation

/// One entry of the audit trail: when, who, about which account, what. Never a secret.
public struct AuditEvent: Sendable, Hashable {
    /// What happened, as a stable dotted name scripts can match.
    public struct Action: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let storeInitialized = Action(rawValue: "store.initialized")
        public static let departmentAdded = Action(rawValue: "department.added")
        public static let departmentRemoved = Action(rawValue: "department.removed")
        public static let accountAdded = Action(rawValue: "account.added")
        public static let accountRemoved = Action(rawValue: "account.removed")
        public static let signInFailed = Action(rawValue: "self_service.sign_in_failed")
        public static let signedIn = Action(rawValue: "self_service.signed_in")
        public static let appPasswordCreated = Action(rawValue: "app_password.created")
        public static let appPasswordRelabeled = Action(rawValue: "app_password.relabeled")
        public static let appPasswordRevoked = Action(rawValue: "app_password.revoked")
        public static let policyChanged = Action(rawValue: "policy.changed")
        public static let servicesChanged = Action(rawValue: "account.services_changed")
        public static let accountStatusChanged = Action(rawValue: "account.status_changed")
        public static let mailboxPasswordChanged = Action(rawValue: "account.mailbox_password_changed")
        public static let loginDenied = Action(rawValue: "login.denied")
        public static let loginFromNewAddress = Action(rawValue: "login.new_address")
        public static let credentialRehashed = Action(rawValue: "credential.rehashed")
        public static let storeBackedUp = Action(rawValue: "store.backed_up")
        public static let storeRestored = Action(rawValue: "store.restored")
    }

    /// Assigned by the store; `nil` before the event is recorded.
    public let id: Int64?
    public let at: Date
    public let actor: String
    /// The account the event is about, by name (kept after the account is removed).
    public let account: String?
    public let action: Action
    public let detail: String
    public let address: String?
    public let service: Service?
    public let reason: String?

    public init(id: Int64? = nil, at: Date, actor: String, account: String?, action: Action, detail: String,
                address: String? = nil, service: Service? = nil, reason: String? = nil) {
        self.id = id
        self.at = at
        self.actor = actor
        self.account = account
        self.action = action
        self.detail = detail
        self.address = address
        self.service = service
        self.reason = reason
    }

    public init(at: Date, by actor: Actor, account: String?, action: Action, detail: String) {
        self.init(at: at, actor: actor.description, account: account, action: action, detail: detail)
    }
}
