import Foundation

/// One rule of the decision. The policy is an ordered list of rules (``Rule/standard``) that the
/// login decision, `explain` and the self-service page's "Your access" all walk, so a rule
/// written once is decided, explained and shown by construction.
///
/// A rule judges either the request (who, what protocol, from where: the same for every
/// credential) or one credential of it (an app password, the mailbox password, or a secret that
/// matched none). The decision walks the rules with the one credential the secret matched and
/// stops at the first that denies; `explain`, which has no secret, walks each credential rule
/// over every credential of the account and shows which ones it excludes.
public struct Rule: Sendable {
    /// A rule's answer for one request (and credential).
    public enum Verdict: Sendable, Hashable {
        /// The rule lets it through; the sentence says why, for `explain`.
        case pass(String)
        /// The rule refuses it, with the reason the audit trail records and a sentence for the help desk.
        case deny(DenialReason, String)
        /// The rule has nothing to say here (a rule about the account when there is none, about
        /// counters that were not read): it passes, and `explain` leaves it out.
        case notApplicable

        public var isDeny: Bool {
            if case .deny = self { return true }
            return false
        }
    }

    public enum Check: Sendable {
        /// Judges the request, whatever the credential.
        case request(@Sendable (RuleFacts) -> Verdict)
        /// Judges one credential of the request.
        case credential(@Sendable (RuleFacts, PresentedCredential) -> Verdict)
    }

    /// The rule's name as `explain` shows it (`throttling`, `network`).
    public let name: String
    /// Decided before any hashing: a refusal here costs no Argon2id and is not counted as a
    /// failed login. Only for rules that read counters, never the credentials (a refusal that
    /// skipped hashing for some account states but not others would tell them apart by time).
    public let decidesBeforeHashing: Bool
    public let check: Check

    public init(name: String, decidesBeforeHashing: Bool = false, check: Check) {
        self.name = name
        self.decidesBeforeHashing = decidesBeforeHashing
        self.check = check
    }

    /// This rule's verdict for `credential` (a request rule ignores it).
    public func judge(_ facts: RuleFacts, credential: PresentedCredential) -> Verdict {
        switch check {
        case .request(let judge): judge(facts)
        case .credential(let judge): judge(facts, credential)
        }
    }

    public var judgesCredentials: Bool {
        if case .credential = check { return true }
        return false
    }
}

extension Array where Element == Rule {
    /// The first rule that denies, with its reason and sentence; `nil` when every rule passes.
    public func firstDenial(
        _ facts: RuleFacts, credential: PresentedCredential,
        where include: (Rule) -> Bool = { _ in true }
    ) -> (rule: String, reason: DenialReason, detail: String)? {
        for rule in self where include(rule) {
            if case .deny(let reason, let detail) = rule.judge(facts, credential: credential) {
                return (rule.name, reason, detail)
            }
        }
        return nil
    }
}

/// The credential a request presented, as far as the rules are concerned.
public enum PresentedCredential: Sendable, Hashable {
    case appPassword(AppPassword)
    case mailboxPassword
    /// The secret matched no credential of the account (or there is no account).
    case unmatched(SecretShape?)

    /// What the secret looked like, for the help desk's sentence (never the secret).
    public enum SecretShape: Sendable, Hashable {
        /// 16 letters, as app passwords are.
        case appPassword
        /// Anything else of acceptable length.
        case other
        /// Longer than ``CredentialManager/maximumPasswordBytes``: refused unhashed.
        case overLong
    }

    /// What the decision reports as having opened a login with this credential.
    var matched: MatchedCredential? {
        switch self {
        case .appPassword(let password): .appPassword(id: password.id, label: password.label)
        case .mailboxPassword: .mailboxPassword
        case .unmatched: nil
        }
    }
}

/// What the rules know about one request: the policy and the account as one snapshot of the
/// store saw them, and the request itself. No secret.
public struct RuleFacts: Sendable {
    public let policy: DomainPolicy
    public let secureNetworks: [SecureNetwork]
    public let scope: EnforcementScope
    /// `nil` when the name names no account.
    public let account: Account?
    /// The name as the request gave it (shown, quoted, when it names no account).
    public let requestedName: String
    public let service: MailService
    /// The client.
    public let address: IPAddress
    /// The host that connected to the mail server, when known (see ``LoginRequest/connectingAddress``).
    public let connectingAddress: IPAddress?
    public let firstPartyHosts: [FirstPartyHost]
    public let date: Date
    /// The throttling counters; `nil` where none were read (the self-service page's summary).
    public let failures: DecisionSnapshot.FailureCounts?

    public init(
        policy: DomainPolicy, secureNetworks: [SecureNetwork], scope: EnforcementScope, account: Account?,
        requestedName: String, service: MailService, address: IPAddress, date: Date,
        failures: DecisionSnapshot.FailureCounts?, connectingAddress: IPAddress? = nil, firstPartyHosts: [FirstPartyHost] = []
    ) {
        self.connectingAddress = connectingAddress
        self.firstPartyHosts = firstPartyHosts
        self.policy = policy
        self.secureNetworks = secureNetworks
        self.scope = scope
        self.account = account
        self.requestedName = requestedName
        self.service = service
        self.address = address
        self.date = date
        self.failures = failures
    }

    /// The facts of a snapshot for one request. `account` is the snapshot's, unless the name
    /// was not a valid account name.
    init(
        _ snapshot: DecisionSnapshot, account: Account?, requestedName: String, service: MailService, address: IPAddress,
        connectingAddress: IPAddress?, date: Date
    ) {
        self.init(
            policy: snapshot.policy, secureNetworks: snapshot.secureNetworks, scope: snapshot.scope, account: account,
            requestedName: requestedName, service: service, address: address, date: date,
            failures: DecisionSnapshot.FailureCounts(
                account: snapshot.accountFailures, address: snapshot.addressFailures,
                accountWide: snapshot.accountWideFailures, isKnownAddress: snapshot.isKnownAddress),
            connectingAddress: connectingAddress, firstPartyHosts: snapshot.firstPartyHosts)
    }

    /// The first-party host the login came through (webmail, the company's app), if it did:
    /// the connecting address is one of them.
    public var firstPartyHost: FirstPartyHost? {
        guard let connectingAddress else { return nil }
        return firstPartyHosts.first { $0.network.contains(connectingAddress) }
    }

    /// "through the first-party host 10.0.5.20 (Roundcube)".
    var throughFirstParty: String? {
        firstPartyHost.map { "through the first-party host \($0.network)" + ($0.note.isEmpty ? "" : " (\($0.note))") }
    }

    /// The secure network the address is in, if any.
    public var secureNetworkHere: SecureNetwork? {
        secureNetworks.first { $0.network.contains(address) }
    }

    /// Whether the enforcement scope covers the account (by name, by department, or all
    /// members), exceptions aside. No account is covered only by `all`.
    public var isEnforced: Bool {
        switch policy.enforcement {
        case .off: false
        case .all: true
        case .selected: account.map { scope.accountIDs.contains($0.id) || $0.departmentID.map(scope.departmentIDs.contains) == true } ?? false
        }
    }

    /// Whether the account is on the exception list (keeps its mailbox password).
    public var isException: Bool {
        account.map { scope.exceptionAccountIDs.contains($0.id) } ?? false
    }

    /// Whether only app passwords work in mail clients for the account: enforcement covers it
    /// and it is no exception.
    public var isSecurePasswordRequired: Bool { isEnforced && !isException }
}
