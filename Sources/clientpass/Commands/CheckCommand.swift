import ArgumentParser
import ClientPassCore
import ClientPassDirectory
import Foundation

extension MailService: ExpressibleByArgument {}

/// `--user`, `--protocol`, `--from`: the request a decision is about.
struct RequestOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The login name the mail client sends.", valueName: "account"), completion: Completions.accounts)
    var user: String

    @Option(name: .customLong("protocol"), help: ArgumentHelp("imap, pop3 or smtp.", valueName: "protocol"))
    var service: MailService

    @Option(name: .customLong("from"), help: ArgumentHelp("The client's IPv4 or IPv6 address.", valueName: "address"))
    var address: String

    @Option(
        name: .customLong("via"),
        help: ArgumentHelp(
            "The host that connects to the mail server, when it is not the client (a webmail forwarding its user's address).",
            valueName: "address"))
    var via: String?

    func parsedAddress() throws -> IPAddress {
        try Self.parse(address)
    }

    /// `--via`, parsed; `nil` when not given.
    func parsedConnectingAddress() throws -> IPAddress? {
        try via.map(Self.parse)
    }

    private static func parse(_ text: String) throws -> IPAddress {
        guard let parsed = IPAddress(text.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("\(Quoted(text)) is not an IPv4 or IPv6 address (examples: 203.0.113.7, 2001:db8::1, ::ffff:203.0.113.7)")
        }
        return parsed
    }
}

struct CheckCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Decide a login as a mail server would: allow, or deny with the reason.",
        discussion: """
            Reads the secret (an app password or the mailbox password) from the first line of \
            standard input, decides by the current policy, and records the attempt like a real \
            login — throttling counters, last use, audit (marked as made by `clientpass check`) — \
            unless --dry-run, which decides on the store as it is and records nothing. Prints \
            e.g. `allow: app password 3 "Outlook"` or `deny: third_party_blocked — …`.

            Exit codes: 0 allow; 1 deny; 64 usage error; 75 the store cannot be read or written, or the directory \
            cannot be reached for a mailbox password (a temporary failure, never an allow).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var request: RequestOptions

    @Flag(name: .long, help: "Decide without recording anything: no failure counted, no last use, no audit entry.")
    var dryRun = false

    func execute() async throws {
        let address = try request.parsedAddress()
        let via = try request.parsedConnectingAddress()
        let secret = try SecretReader.read(fromStandardInput: true, prompt: "")
        let decision: Decision
        do {
            let engine = DecisionEngine(store: try global.openStore(), directory: LDAPConnector())
            decision = try await engine.decideLogin(
                LoginRequest(
                    user: request.user, secret: secret, service: request.service, address: address,
                    connectingAddress: via, origin: .check), recording: !dryRun
            ).decision
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            throw ExitCode(75)
        } catch let error as DirectoryUnavailable {
            // A mail server would answer this login with a temporary failure, never a denial.
            FileHandle.standardError.write(Data("Error: temporary failure: \(error.localizedDescription)\n".utf8))
            throw ExitCode(75)
        }
        if global.json {
            try Output.json(DecisionJSON(decision: decision))
        } else {
            print(decision.summary)
        }
        if !decision.isAllowed { throw ExitCode.failure }
    }

    struct DecisionJSON: Encodable {
        let decision: Decision

        enum CodingKeys: String, CodingKey { case decision, reason, credential, account, explanation }
        enum CredentialKeys: String, CodingKey { case kind, id, label }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch decision {
            case .allow(let account, let credential):
                try container.encode("allow", forKey: .decision)
                try container.encodeNil(forKey: .reason)
                try container.encode(account, forKey: .account)
                var nested = container.nestedContainer(keyedBy: CredentialKeys.self, forKey: .credential)
                switch credential {
                case .appPassword(let id, let label):
                    try nested.encode("app_password", forKey: .kind)
                    try nested.encode(id, forKey: .id)
                    try nested.encode(label, forKey: .label)
                case .mailboxPassword:
                    try nested.encode("mailbox_password", forKey: .kind)
                    try nested.encodeNil(forKey: .id)
                    try nested.encodeNil(forKey: .label)
                }
            case .deny(let reason, let explanation):
                try container.encode("deny", forKey: .decision)
                try container.encode(reason.rawValue, forKey: .reason)
                try container.encodeNil(forKey: .credential)
                try container.encode(explanation, forKey: .explanation)
            }
        }
    }
}

struct ExplainCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show every rule of the decision for an account and request, without a secret.",
        discussion: """
            For the help desk: shows, in order, throttling, the account, its status, the \
            service, the network, secure-password enforcement and exceptions, and which \
            credentials could still log in — so you can tell a user why their phone fails. \
            With --app-password or --mailbox-password, only that credential is considered, \
            and the first rule that refuses it is the one a login with it would hit. \
            Changes nothing.

            Exit codes: 0 explained (whatever the outcome); 1 the store cannot be read; 64 usage error.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var request: RequestOptions

    @Option(
        name: .customLong("app-password"),
        help: ArgumentHelp("Explain for the app password with this id only (the one the user's device has).", valueName: "id"))
    var appPasswordID: Int?

    @Flag(name: .customLong("mailbox-password"), help: "Explain for the mailbox password only.")
    var mailboxPassword = false

    func validate() throws {
        if appPasswordID != nil && mailboxPassword {
            throw ValidationError("--app-password and --mailbox-password exclude each other: name one credential, or neither for all of them.")
        }
    }

    func execute() async throws {
        let address = try request.parsedAddress()
        let engine = DecisionEngine(store: try global.openStore(), directory: LDAPConnector())
        let credential: Explanation.Credential? =
            if let appPasswordID { .appPassword(id: appPasswordID) } else if mailboxPassword { .mailboxPassword } else { nil }
        let explanation = try engine.explain(
            user: request.user, service: request.service, address: address,
            connectingAddress: try request.parsedConnectingAddress(), credential: credential)
        // Directory mode: who checks the mailbox password, and what an outage does to it.
        let store = try global.openStore()
        let directory = try store.directorySettings()
        let account = try (try? AccountName(validating: request.user)).flatMap { try store.account(named: $0) }
        let checkedBy = account.map { $0.usesDirectoryPassword ? "directory" : "clientpass" }
        if global.json {
            try Output.json(ExplanationJSON(explanation: explanation, mailboxPasswordCheckedBy: checkedBy))
            return
        }

        print("\(explanation.account) over \(explanation.service.displayName) from \(explanation.address):")
        Output.table(
            ["RULE", "OUTCOME", "DETAIL"],
            explanation.steps.map { step in
                [
                    step.rule, step.outcome == .deny ? "DENY" : step.outcome.rawValue,
                    step.detail + (step.reason.map { step.outcome == .deny ? " (\($0.rawValue))" : "" } ?? ""),
                ]
            })
        if let verdict = explanation.verdict {
            print("Result: every login is denied: \(verdict.rawValue) (\(verdict.plainWords(service: explanation.service))).")
        } else {
            print("Result: a login succeeds with \(explanation.usableCredentials.joined(separator: " or ")).")
        }
        if let account, account.usesDirectoryPassword {
            print(
                directory.map {
                    "Mailbox password: checked by the directory (\($0.url)) with a bind as the user. While it cannot be reached, "
                        + "mailbox-password logins get a temporary failure; app passwords keep working."
                }
                    ?? "Mailbox password: none while directory mode is off (the account is from the directory); app passwords work.")
        }
    }

    struct ExplanationJSON: Encodable {
        let explanation: Explanation
        /// `directory` or `clientpass`; `nil` for an unknown account.
        let mailboxPasswordCheckedBy: String?

        enum CodingKeys: String, CodingKey {
            case account, `protocol`, address, steps, result, reason, usableCredentials = "usable_credentials"
            case mailboxPasswordCheckedBy = "mailbox_password_checked_by"
        }
        enum StepKeys: String, CodingKey { case rule, outcome, reason, detail }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(explanation.account, forKey: .account)
            try container.encode(explanation.service.rawValue, forKey: .protocol)
            try container.encode(explanation.address.description, forKey: .address)
            var steps = container.nestedUnkeyedContainer(forKey: .steps)
            for step in explanation.steps {
                var nested = steps.nestedContainer(keyedBy: StepKeys.self)
                try nested.encode(step.rule, forKey: .rule)
                try nested.encode(step.outcome.rawValue, forKey: .outcome)
                try nested.encode(step.reason?.rawValue, forKey: .reason)
                try nested.encode(step.detail, forKey: .detail)
            }
            try container.encode(explanation.verdict == nil ? "allow_possible" : "deny", forKey: .result)
            try container.encode(explanation.verdict?.rawValue, forKey: .reason)
            try container.encode(explanation.usableCredentials, forKey: .usableCredentials)
            try container.encode(mailboxPasswordCheckedBy, forKey: .mailboxPasswordCheckedBy)
        }
    }
}
