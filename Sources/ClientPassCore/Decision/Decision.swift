import Foundation

/// Why a login is refused. The mail client only ever sees a plain authentication failure; the
/// reason goes to the audit trail, `explain`, and the help desk.
public enum DenialReason: String, CaseIterable, Codable, Sendable {
    case unknownAccount = "unknown_account"
    case accountDisabled = "account_disabled"
    case throttled
    case serviceDisabled = "service_disabled"
    case thirdPartyBlocked = "third_party_blocked"
    case securePasswordRequired = "secure_password_required"
    case credentialScope = "credential_scope"
    case credentialExpired = "credential_expired"
    case badCredential = "bad_credential"
    /// An app password used for a first-party login (webmail, the company's app): app
    /// passwords are for third-party clients, and a leaked one must not open webmail.
    case appPasswordFirstParty = "app_password_first_party"

    /// The reason in plain words, for people who are not administrators: the one table every
    /// medium uses (the page's activity, `explain`'s result).
    /// - Parameter service: the protocol of the refused login, when known.
    public func plainWords(service: MailService? = nil) -> String {
        switch self {
        case .unknownAccount: "there is no such account"
        case .accountDisabled: "the account is disabled"
        case .throttled: "too many failed attempts from that address, so it has to wait"
        case .serviceDisabled: "\(service?.displayName ?? "the protocol") is turned off for the account"
        case .thirdPartyBlocked: "mail clients are blocked outside the secure networks, and that address is outside them"
        case .securePasswordRequired: "the mailbox password does not work in mail clients; an app password is needed"
        case .credentialScope: "the app password used is limited to other protocols or networks"
        case .credentialExpired: "the app password used has expired"
        case .badCredential: "wrong password"
        case .appPasswordFirstParty: "an app password was used in webmail or the company's app, where only the mailbox password works"
        }
    }
}

/// The credential that opened a login.
public enum MatchedCredential: Sendable, Hashable {
    case appPassword(id: Int, label: String)
    case mailboxPassword

    /// `app password 3 "Outlook"`, `mailbox password`.
    public var description: String {
        switch self {
        case .appPassword(let id, let label): "app password \(id) \(Quoted(label))"
        case .mailboxPassword: "mailbox password"
        }
    }

    /// The app password's id; `nil` for the mailbox password.
    var appPasswordID: Int? {
        if case .appPassword(let id, _) = self { return id }
        return nil
    }

    /// 0 for the mailbox password, else the app password's id (the key of `credential_address`).
    var storeID: Int {
        switch self {
        case .appPassword(let id, _): id
        case .mailboxPassword: 0
        }
    }
}

/// A mail server's question: may this account log in with this secret, over this protocol,
/// from this address?
public struct LoginRequest: Sendable {
    public let user: String
    public let secret: Secret
    public let service: MailService
    /// The client: the employee's device (as a webmail forwards it), by which failures are counted.
    public let address: IPAddress
    /// The host that opened the connection to the mail server, when the mail server says
    /// (Dovecot's real remote address); a first-party host (webmail) makes the login
    /// first-party. `nil`: not known (nginx's proxy), never first-party.
    public let connectingAddress: IPAddress?
    /// Who asks: a mail server, or the help desk with `clientpass check` (audited as such).
    public let origin: Origin

    public enum Origin: Sendable, Hashable {
        case mailServer
        case check
    }

    public init(
        user: String, secret: Secret, service: MailService, address: IPAddress, connectingAddress: IPAddress? = nil,
        origin: Origin = .mailServer
    ) {
        self.origin = origin
        self.user = user
        self.secret = secret
        self.service = service
        self.address = address
        self.connectingAddress = connectingAddress
    }
}

/// The answer: allow (with the canonical account name and the credential that matched) or deny
/// with one reason and a sentence for the help desk.
public enum Decision: Sendable, Hashable {
    case allow(account: String, credential: MatchedCredential)
    case deny(DenialReason, explanation: String)

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }

    public var reason: DenialReason? {
        if case .deny(let reason, _) = self { return reason }
        return nil
    }

    /// `allow: app password 3 "Outlook"` or `deny: third_party_blocked — …`.
    public var summary: String {
        switch self {
        case .allow(_, let credential): "allow: \(credential.description)"
        case .deny(let reason, let explanation): "deny: \(reason.rawValue) — \(explanation)"
        }
    }
}
