import Foundation

extension Rule {
    /// The policy of DESIGN.md, in the order the decision applies it: throttling (before any
    /// hashing), account, status, service, network, secure password, first party, credentials.
    ///
    /// A first-party login (the connection comes from the company's webmail or app gateway) is
    /// no third-party client: the service switches, the network rules and secure-password
    /// enforcement, which govern mail client software, pass it; throttling, the account's status
    /// and the credentials still apply, and an app password is refused there.
    public static let standard: [Rule] = [.throttling, .account, .status, .service, .network, .securePassword, .firstParty, .credentials]

    /// Too many recent failures of this account from this address, from this address, or of
    /// this account from everywhere (where the address is not one it has logged in from).
    public static let throttling = Rule(
        name: "throttling", decidesBeforeHashing: true,
        check: .request { facts in
            guard let counts = facts.failures else { return .notApplicable }
            let limits = facts.policy.throttling
            let address = facts.address
            let window = "in the last \(Int((limits.window / 60).rounded())) minutes"
            if counts.account >= limits.accountFailures {
                return .deny(.throttled, "\(counts.account) failed logins of this account from \(address) \(window) (limit \(limits.accountFailures))")
            }
            if counts.address >= limits.addressFailures {
                return .deny(.throttled, "\(counts.address) failed logins from \(address) \(window) (limit \(limits.addressFailures))")
            }
            let accountWideReached = counts.accountWide >= limits.accountWideFailures
            if accountWideReached && !counts.isKnownAddress {
                return .deny(
                    .throttled,
                    "\(counts.accountWide) failed logins of this account from all addresses \(window) (limit \(limits.accountWideFailures)), and \(address) is not one it has logged in from"
                )
            }
            return .pass(
                "\(counts.account) failed logins of this account from \(address) (limit \(limits.accountFailures)), \(counts.address) from the address (limit \(limits.addressFailures)) and \(counts.accountWide) of this account from all addresses (limit \(limits.accountWideFailures)\(accountWideReached ? ", reached but not applied here: the account has logged in from this address" : "")) \(window)"
            )
        })

    /// The name names an account.
    public static let account = Rule(
        name: "account",
        check: .request { facts in
            guard let account = facts.account else { return .deny(.unknownAccount, "no account named \(Quoted(facts.requestedName))") }
            return .pass("\(account.name) exists" + (account.department.map { ", department \($0)" } ?? ""))
        })

    /// The account is active.
    public static let status = Rule(
        name: "status",
        check: .request { facts in
            guard let account = facts.account else { return .notApplicable }
            return account.status == .active
                ? .pass("the account is active")
                : .deny(.accountDisabled, "the account \(account.name) is disabled: no access at all")
        })

    /// The protocol is on for the account.
    public static let service = Rule(
        name: "service",
        check: .request { facts in
            guard let account = facts.account else { return .notApplicable }
            if let through = facts.throughFirstParty {
                return .pass("a first-party login \(through): the IMAP, POP3 and SMTP switches govern mail client software, not webmail")
            }
            let on = account.services.enabled.map(\.displayName).joined(separator: ", ")
            let which = "(on: \(on.isEmpty ? "none" : on))"
            return account.services[facts.service]
                ? .pass("\(facts.service.displayName) is on for this account \(which)")
                : .deny(.serviceDisabled, "\(facts.service.displayName) is turned off for \(account.name) \(which)")
        })

    /// Third-party clients are allowed, or the address is in a secure network.
    public static let network = Rule(
        name: "network",
        check: .request { facts in
            if let through = facts.throughFirstParty {
                return .pass("a first-party login \(through): third-party client rules do not apply")
            }
            if facts.policy.thirdPartyClients == .allowed {
                return .pass("third-party clients are allowed from any network")
            }
            if let network = facts.secureNetworkHere {
                return .pass(
                    "third-party clients are blocked, but \(facts.address) is in the secure network \(network.network)"
                        + (network.note.isEmpty ? "" : " (\(network.note))"))
            }
            let networks = facts.secureNetworks.isEmpty ? "none are set" : facts.secureNetworks.map(\.network.description).joined(separator: ", ")
            return .deny(.thirdPartyBlocked, "third-party clients are blocked and \(facts.address) is in no secure network (\(networks))")
        })

    /// The mailbox password does not work in mail clients where secure-password enforcement
    /// covers the account and it is no exception.
    public static let securePassword = Rule(
        name: "secure password",
        check: .credential { facts, credential in
            guard let account = facts.account else { return .notApplicable }
            if let through = facts.throughFirstParty {
                return .pass("a first-party login \(through): the mailbox password works there whatever the enforcement")
            }
            if credential == .mailboxPassword && facts.isSecurePasswordRequired {
                return .deny(
                    .securePasswordRequired,
                    "the mailbox password of \(account.name) does not work in mail clients: secure-password enforcement applies, so only app passwords do")
            }
            let enforcement: String =
                switch facts.policy.enforcement {
                case .off: "secure-password enforcement is off"
                case .all: "secure-password enforcement is on for all members"
                case .selected:
                    "secure-password enforcement is on for selected departments and accounts, \(facts.isEnforced ? "including" : "not including") this one"
                }
            return .pass(
                enforcement + (facts.isException ? "; the account is an exception" : "")
                    + (facts.isSecurePasswordRequired ? ": only app passwords work" : ": the mailbox password works"))
        })

    /// An app password does not open a first-party login: app passwords are for third-party
    /// clients, and a leaked one must not open webmail.
    public static let firstParty = Rule(
        name: "first party",
        check: .credential { facts, credential in
            guard facts.account != nil, let through = facts.throughFirstParty else { return .notApplicable }
            if case .appPassword(let password) = credential {
                let name = MatchedCredential.appPassword(id: password.id, label: password.label).description
                return .deny(
                    .appPasswordFirstParty, "\(name) was used \(through), where only the mailbox password works: app passwords are for third-party clients")
            }
            return .pass("a first-party login \(through): only the mailbox password works")
        })

    /// The secret is a credential of the account, and an app password is within its own
    /// limits: protocol, network, expiry.
    public static let credentials = Rule(
        name: "credentials",
        check: .credential { facts, credential in
            guard let account = facts.account else { return .notApplicable }
            switch credential {
            case .mailboxPassword:
                return .pass("the mailbox password can log in")
            case .appPassword(let password):
                let name = MatchedCredential.appPassword(id: password.id, label: password.label).description
                let limits = password.limits
                if !limits.protocols.isEmpty && !limits.protocols.contains(facts.service) {
                    return .deny(
                        .credentialScope,
                        "\(name) is limited to \(limits.protocols.sorted().map(\.displayName).joined(separator: ", ")), not \(facts.service.displayName)")
                }
                if !limits.networks.isEmpty && !limits.networks.contains(where: { $0.contains(facts.address) }) {
                    return .deny(
                        .credentialScope, "\(name) is limited to \(limits.networks.map(\.description).joined(separator: ", ")), and \(facts.address) is outside"
                    )
                }
                if let expiry = limits.expiresAt, expiry <= facts.date {
                    return .deny(.credentialExpired, "\(name) expired at \(RFC3339.string(from: expiry))")
                }
                return .pass("\(name) can log in")
            case .unmatched(let shape):
                let what: String =
                    switch shape {
                    case .overLong: "the password is longer than \(CredentialManager.maximumPasswordBytes) bytes"
                    case _ where facts.firstPartyHost != nil, .other: "the password is not the mailbox password of \(account.name)"
                    case .appPassword where facts.isSecurePasswordRequired: "the password matches no app password of \(account.name)"
                    case .appPassword, nil: "the password matches no app password and is not the mailbox password of \(account.name)"
                    }
                return .deny(.badCredential, what)
            }
        })
}
