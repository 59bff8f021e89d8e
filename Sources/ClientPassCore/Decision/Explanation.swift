import Foundation

/// Every rule of the decision, in order, with its outcome for one account and request — without
/// a secret, so the help desk can tell a user why their phone fails.
public struct Explanation: Sendable {
    public struct Step: Sendable {
        public enum Outcome: String, Sendable {
            /// The rule lets the request through.
            case pass
            /// The rule refuses every login of this request.
            case deny
            /// The rule applies only to some credentials.
            case partial
        }

        public let rule: String
        public let outcome: Outcome
        /// The reason a `deny` gives.
        public let reason: DenialReason?
        public let detail: String
    }

    /// The canonical name, or what was asked for when there is no such account.
    public let account: String
    public let service: Service
    public let address: IPAddress
    public let steps: [Step]
    /// The credentials that can still log in with this request (`app password 3 "Outlook"`, `mailbox password`).
    public let usableCredentials: [String]

    /// The reason every login of this request is refused, if one is.
    public var verdict: DenialReason? {
        if let step = steps.first(where: { $0.outcome == .deny }) { return step.reason }
        return nil
    }
}

extension DecisionEngine {
    /// Explains the decision for `user` over `service` from `address`. Reads only; no hashing.
    public func explain(user: String, service: Service, address: IPAddress, at date: Date = Date()) throws -> Explanation {
        let address = address.canonical
        let name = try? AccountName(validating: user)
        let snapshot = try store.decisionSnapshot(accountKey: name?.key ?? user.lowercased(), address: address, at: date)
        let policy = snapshot.policy
        var steps: [Explanation.Step] = []
        func step(_ rule: String, _ outcome: Explanation.Step.Outcome, _ reason: DenialReason? = nil, _ detail: String) {
            steps.append(Explanation.Step(rule: rule, outcome: outcome, reason: reason, detail: detail))
        }

        let minutes = Int((policy.throttling.window / 60).rounded())
        let throttled = snapshot.isThrottled
        step("throttling", throttled ? .deny : .pass, throttled ? .throttled : nil,
             "\(snapshot.accountFailures) failed logins of this account from \(address) (limit \(policy.throttling.accountFailures)), \(snapshot.addressFailures) from the address (limit \(policy.throttling.addressFailures)) and \(snapshot.accountWideFailures) of this account from all addresses (limit \(policy.throttling.accountWideFailures)\(snapshot.accountWideFailures < policy.throttling.accountWideFailures ? "" : snapshot.isKnownAddress ? ", reached but not applied here: the account has logged in from this address" : ", reached: the account has never logged in from this address")) in the last \(minutes) minutes")

        guard let account = snapshot.account, name != nil else {
            step("account", .deny, .unknownAccount, "no account named \(Quoted(user))")
            return Explanation(account: user, service: service, address: address, steps: steps, usableCredentials: [])
        }
        step("account", .pass, nil, "\(account.name) exists" + (account.department.map { ", department \($0)" } ?? ""))
        step("status", account.status == .active ? .pass : .deny, account.status == .active ? nil : .accountDisabled,
             account.status == .active ? "the account is active" : "the account is disabled: no access at all")
        let serviceOn = account.services[service]
        step("service", serviceOn ? .pass : .deny, serviceOn ? nil : .serviceDisabled,
             "\(service.displayName) is \(serviceOn ? "on" : "off") for this account (on: \(account.services.enabled.map(\.displayName).joined(separator: ", ").nilIfEmpty ?? "none"))")

        let secure = snapshot.secureNetworks.first { $0.network.contains(address) }
        switch (policy.thirdPartyClients, secure) {
        case (.allowed, _):
            step("network", .pass, nil, "third-party clients are allowed from any network")
        case (.blocked, let network?):
            step("network", .pass, nil, "third-party clients are blocked, but \(address) is in the secure network \(network.network)" + (network.note.isEmpty ? "" : " (\(network.note))"))
        case (.blocked, nil):
            step("network", .deny, .thirdPartyBlocked, "third-party clients are blocked and \(address) is in no secure network" +
                 (snapshot.secureNetworks.isEmpty ? " (none are set)" : " (\(snapshot.secureNetworks.map(\.network.description).joined(separator: ", ")))"))
        }

        let covered = AccessSummary.isEnforced(accountID: account.id, departmentID: account.departmentID, policy: policy, scope: snapshot.scope)
        let isException = snapshot.scope.exceptionAccountIDs.contains(account.id)
        let required = Self.isSecurePasswordRequired(departmentID: account.departmentID, accountID: account.id, snapshot: snapshot)
        let enforcementText: String
        switch policy.enforcement {
        case .off: enforcementText = "secure-password enforcement is off"
        case .all: enforcementText = "secure-password enforcement is on for all members"
        case .selected: enforcementText = "secure-password enforcement is on for selected departments and accounts, \(covered ? "including" : "not including") this one"
        }
        step("secure password", required ? .partial : .pass, nil,
             enforcementText + (isException ? "; the account is an exception" : "") +
             (required ? ": the mailbox password is refused (secure_password_required), only app passwords work" : ": the mailbox password works"))

        var usable: [String] = []
        var notes: [String] = []
        for password in snapshot.appPasswords {
            let label = MatchedCredential.appPassword(id: password.id, label: password.label).description
            if !password.limits.protocols.isEmpty && !password.limits.protocols.contains(service) {
                notes.append("\(label): only \(password.limits.protocols.sorted().map(\.displayName).joined(separator: ", ")) (credential_scope)")
            } else if !password.limits.networks.isEmpty && !password.limits.networks.contains(where: { $0.contains(address) }) {
                notes.append("\(label): only from \(password.limits.networks.map(\.description).joined(separator: ", ")) (credential_scope)")
            } else if let expiry = password.limits.expiresAt, expiry <= date {
                notes.append("\(label): expired \(RFC3339.string(from: expiry)) (credential_expired)")
            } else {
                usable.append(label)
            }
        }
        if !required { usable.append(MatchedCredential.mailboxPassword.description) }
        let denied = steps.contains { $0.outcome == .deny }
        let credentialsText = (usable.isEmpty ? "no credential can log in" : "could log in: " + usable.joined(separator: ", ")) +
            (notes.isEmpty ? "" : "; excluded: " + notes.joined(separator: "; "))
        step("credentials", usable.isEmpty ? .deny : (notes.isEmpty ? .pass : .partial),
             usable.isEmpty ? (required ? .securePasswordRequired : .badCredential) : nil, credentialsText)
        return Explanation(account: account.name, service: service, address: address, steps: steps, usableCredentials: denied ? [] : usable)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
