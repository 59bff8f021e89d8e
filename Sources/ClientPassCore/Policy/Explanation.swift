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
            /// The rule excludes some of the account's credentials, not all.
            case partial
        }

        public let rule: String
        public let outcome: Outcome
        /// The reason a `deny` gives.
        public let reason: DenialReason?
        public let detail: String
    }

    /// The credential to explain for, when the help desk knows which one the user typed.
    public enum Credential: Sendable, Hashable {
        case appPassword(id: Int)
        case mailboxPassword
        /// A secret that matches none of the account's credentials.
        case unmatched
    }

    /// The canonical name, or what was asked for when there is no such account.
    public let account: String
    public let service: MailService
    public let address: IPAddress
    public let steps: [Step]
    /// The credentials that can still log in with this request (`app password 3 "Outlook"`, `mailbox password`).
    public let usableCredentials: [String]

    /// The reason every login of this request is refused, if one is.
    public var verdict: DenialReason? {
        steps.first { $0.outcome == .deny }?.reason
    }

    /// The rule that refuses every login of this request, if one does.
    public var deniedBy: String? {
        steps.first { $0.outcome == .deny }?.rule
    }

    /// Walks `rules` for one request. Request rules give one step each; a credential rule is
    /// judged for every credential still in the running (each app password, then the mailbox
    /// password, or just `candidates` when given) and shows which it excludes: `partial` when
    /// some remain, `deny` when none does (with the reason the first excluded credential got,
    /// so a user of the mailbox password under enforcement reads `secure_password_required`).
    static func walk(_ rules: [Rule], facts: RuleFacts, candidates: [PresentedCredential]) -> (steps: [Step], usable: [PresentedCredential]) {
        var steps: [Step] = []
        var remaining = candidates
        var firstExclusion: DenialReason?
        for rule in rules {
            guard rule.judgesCredentials else {
                switch rule.judge(facts, credential: .unmatched(nil)) {
                case .pass(let detail): steps.append(Step(rule: rule.name, outcome: .pass, reason: nil, detail: detail))
                case .deny(let reason, let detail): steps.append(Step(rule: rule.name, outcome: .deny, reason: reason, detail: detail))
                case .notApplicable: break
                }
                continue
            }
            guard !remaining.isEmpty else { continue }
            var passes: [String] = []
            var exclusions: [String] = []
            var kept: [PresentedCredential] = []
            for credential in remaining {
                switch rule.judge(facts, credential: credential) {
                case .pass(let detail):
                    if !passes.contains(detail) { passes.append(detail) }
                    kept.append(credential)
                case .notApplicable:
                    kept.append(credential)
                case .deny(let reason, let detail):
                    exclusions.append("\(detail) (\(reason.rawValue))")
                    firstExclusion = firstExclusion ?? reason
                }
            }
            remaining = kept
            if exclusions.isEmpty {
                if !passes.isEmpty { steps.append(Step(rule: rule.name, outcome: .pass, reason: nil, detail: passes.joined(separator: "; "))) }
            } else if remaining.isEmpty {
                steps.append(
                    Step(
                        rule: rule.name, outcome: .deny, reason: firstExclusion,
                        detail: "no credential can log in: " + exclusions.joined(separator: "; ")))
            } else {
                steps.append(
                    Step(
                        rule: rule.name, outcome: .partial, reason: nil,
                        detail: (passes + ["excluded: " + exclusions.joined(separator: "; ")]).joined(separator: "; ")))
            }
        }
        let denied = steps.contains { $0.outcome == .deny }
        return (steps, denied ? [] : remaining)
    }
}

extension DecisionEngine {
    /// Explains the decision for `user` over `service` from `address`: the engine's rules, each
    /// with its outcome. Reads only; no hashing.
    /// - Parameter credential: the credential the user types, when known; by default every
    ///   credential of the account is considered.
    /// - Throws: ``StoreError`` when the store cannot be read; ``CredentialError`` when
    ///   `credential` names an app password the account does not have.
    /// - Parameter connectingAddress: the host that connects to the mail server (`check --via`),
    ///   when it is not the client: a first-party host (webmail) makes the login first-party.
    public func explain(
        user: String, service: MailService, address: IPAddress, connectingAddress: IPAddress? = nil,
        credential: Explanation.Credential? = nil, at date: Date = Date()
    ) throws -> Explanation {
        let address = address.canonical
        let name = try? AccountName(validating: user)
        let snapshot = try store.decisionSnapshot(accountKey: name?.key ?? user.lowercased(), address: address, at: date)
        let account = name == nil ? nil : snapshot.account
        let facts = RuleFacts(
            snapshot, account: account, requestedName: user, service: service, address: address,
            connectingAddress: connectingAddress?.canonical, date: date)
        let candidates: [PresentedCredential]
        switch (account, credential) {
        case (nil, _): candidates = []
        case (_, nil): candidates = snapshot.appPasswords.map { .appPassword($0) } + [.mailboxPassword]
        case (_, .mailboxPassword?): candidates = [.mailboxPassword]
        case (_, .unmatched?): candidates = [.unmatched(nil)]
        case (let account?, .appPassword(let id)?):
            guard let password = snapshot.appPasswords.first(where: { $0.id == id }) else {
                throw CredentialError.unknownAppPassword(id, of: account.name, existing: snapshot.appPasswords.map(\.id), changing: false)
            }
            candidates = [.appPassword(password)]
        }
        let (steps, usable) = Explanation.walk(rules, facts: facts, candidates: candidates)
        return Explanation(
            account: account?.name ?? user, service: service, address: address, steps: steps,
            usableCredentials: usable.compactMap(\.matched?.description))
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
