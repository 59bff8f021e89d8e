import ArgumentParser
import ClientPassCore
import Foundation

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Show and set the domain policy: third-party clients, secure-password enforcement, exceptions, throttling, hashing.",
        subcommands: [Show.self, ThirdPartyClients.self, EnforceSecurePassword.self, ExceptionCommand.self, Throttling.self, Hashing.self]
    )
}

extension PolicyCommand {
    struct Show: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the domain policy.", discussion: ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        func execute() async throws {
            let settings = try global.openPolicy().settings()
            let (policy, networks, exceptions) = (settings.policy, settings.secureNetworks, settings.exceptions)
            if global.json {
                try Output.json(PolicyJSON(settings))
                return
            }
            let enforcement = policy.enforcement == .off ? "off (the mailbox password works in mail clients)" : describeEnforcement(settings)
            print(
                """
                Third-party clients:      \(policy.thirdPartyClients.rawValue)
                Secure networks:          \(describe(networks))
                First-party hosts:        \(describe(settings.firstPartyHosts)) (webmail and the company's app: the mailbox password always works there)
                Enforce secure password:  \(enforcement)
                Exceptions:               \(exceptions.isEmpty ? "none" : exceptions.map(\.account).joined(separator: ", "))
                Throttling:               \(describeThrottling(policy.throttling))
                Hashing (Argon2id):       \(describeHashing(policy.hashing))
                App passwords:            at most \(policy.maximumAppPasswords) per account
                """)
        }
    }

    struct PolicyJSON: Encodable {
        let policy: DomainPolicy
        let networks: [SecureNetwork]
        let firstPartyHosts: [FirstPartyHost]
        let selection: (departments: [String], accounts: [String])
        let exceptions: [String]

        init(_ settings: PolicySettings) {
            policy = settings.policy
            networks = settings.secureNetworks
            firstPartyHosts = settings.firstPartyHosts
            selection = settings.selection
            exceptions = settings.exceptions.map(\.account)
        }

        enum CodingKeys: String, CodingKey {
            case thirdPartyClients = "third_party_clients", secureNetworks = "secure_networks", firstPartyHosts = "first_party_hosts"
            case enforceSecurePassword = "enforce_secure_password", exceptions, throttling, maxAppPasswords = "max_app_passwords"
            case argon2id
        }
        enum HashingKeys: String, CodingKey { case appPassword = "app_password", mailboxPassword = "mailbox_password" }
        enum ParameterKeys: String, CodingKey { case iterations, memoryMiB = "memory_mib" }
        enum EnforcementKeys: String, CodingKey { case enabled, scope, departments, accounts }
        enum ThrottlingKeys: String, CodingKey {
            case accountFailures = "account_failures", addressFailures = "address_failures"
            case accountWideFailures = "account_wide_failures", windowSeconds = "window_seconds"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(policy.thirdPartyClients.rawValue, forKey: .thirdPartyClients)
            try container.encode(networks.map { NetworkJSON(network: $0) }, forKey: .secureNetworks)
            try container.encode(firstPartyHosts.map { NetworkJSON(network: $0) }, forKey: .firstPartyHosts)
            var enforcement = container.nestedContainer(keyedBy: EnforcementKeys.self, forKey: .enforceSecurePassword)
            try enforcement.encode(policy.enforcement != .off, forKey: .enabled)
            try enforcement.encode(policy.enforcement == .off ? nil : policy.enforcement.rawValue, forKey: .scope)
            try enforcement.encode(policy.enforcement == .selected ? selection.departments : [], forKey: .departments)
            try enforcement.encode(policy.enforcement == .selected ? selection.accounts : [], forKey: .accounts)
            try container.encode(exceptions, forKey: .exceptions)
            var throttling = container.nestedContainer(keyedBy: ThrottlingKeys.self, forKey: .throttling)
            try throttling.encode(policy.throttling.accountFailures, forKey: .accountFailures)
            try throttling.encode(policy.throttling.addressFailures, forKey: .addressFailures)
            try throttling.encode(policy.throttling.accountWideFailures, forKey: .accountWideFailures)
            try throttling.encode(Int(policy.throttling.window), forKey: .windowSeconds)
            try container.encode(policy.maximumAppPasswords, forKey: .maxAppPasswords)
            // As the configuration file wrote them before 0.14: iterations and MiB.
            var hashing = container.nestedContainer(keyedBy: HashingKeys.self, forKey: .argon2id)
            for (key, parameters) in [(HashingKeys.appPassword, policy.hashing.appPassword), (.mailboxPassword, policy.hashing.mailboxPassword)] {
                var part = hashing.nestedContainer(keyedBy: ParameterKeys.self, forKey: key)
                try part.encode(parameters.iterations, forKey: .iterations)
                try part.encode(parameters.memoryKiB / 1024, forKey: .memoryMiB)
            }
        }
    }

    struct ThirdPartyClients: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "third-party-clients",
            abstract: "Allow or block third-party mail clients (a new store blocks them).",
            discussion: """
                When blocked, mail clients log in only from the secure networks (`admin network add`). \
                The change applies to the next login.

                \(ExitCodes.admin)
                """)

        enum Setting: String, ExpressibleByArgument, CaseIterable {
            case allow, block
        }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "allow or block.")
        var setting: Setting

        func execute() async throws {
            let value: DomainPolicy.ThirdPartyClients = setting == .allow ? .allowed : .blocked
            let (changed, consequences) = try global.openPolicy().setThirdPartyClients(value, by: .currentAdmin)
            global.endSessions(consequences)
            if global.json {
                try Output.json(["third_party_clients": value.rawValue, "changed": changed ? "true" : "false"])
            } else {
                print(changed ? "Third-party clients are now \(value.rawValue)." : "Third-party clients were already \(value.rawValue); nothing changed.")
            }
        }
    }

    struct EnforceSecurePassword: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "enforce-secure-password",
            abstract: "Require app passwords in mail clients: for all members, for selected departments and accounts, or not at all.",
            discussion: """
                `on --scope all`, or `on --scope selected --department D --account A` (each repeatable; \
                the selection replaces the previous one; with --add it is added to it, with --remove \
                taken out of it), or `off`. Where enforcement applies, the mailbox password stops \
                working in mail clients at the next login; only app passwords do. Exceptions \
                (`admin policy exception add`) keep their mailbox password. Prints what it was.

                \(ExitCodes.admin)
                """)

        enum Setting: String, ExpressibleByArgument, CaseIterable { case on, off }
        enum Scope: String, ExpressibleByArgument, CaseIterable { case all, selected }

        @OptionGroup var global: GlobalOptions

        @Argument(help: "on or off.")
        var setting: Setting

        @Option(name: .long, help: "all or selected (with on).")
        var scope: Scope?

        @Option(name: .long, help: "A department to enforce for (with --scope selected; repeatable).", completion: Completions.departments)
        var department: [String] = []

        @Option(name: .long, help: "An account to enforce for (with --scope selected; repeatable).", completion: Completions.accounts)
        var account: [String] = []

        @Flag(name: .long, help: "Add the departments and accounts to the current selection instead of replacing it.")
        var add = false

        @Flag(name: .long, help: "Take the departments and accounts out of the current selection.")
        var remove = false

        func validate() throws {
            switch (setting, scope) {
            case (.off, .some): throw ValidationError("`off` takes no --scope")
            case (.on, nil): throw ValidationError("give --scope all or --scope selected")
            case (.on, .all) where !department.isEmpty || !account.isEmpty:
                throw ValidationError("--department and --account go with --scope selected, not --scope all")
            case (.on, .selected) where department.isEmpty && account.isEmpty:
                throw ValidationError("--scope selected needs at least one --department or --account")
            case (.off, nil) where !department.isEmpty || !account.isEmpty:
                throw ValidationError("`off` takes no --department or --account")
            default: break
            }
            if add && remove { throw ValidationError("--add and --remove exclude each other") }
            if (add || remove) && scope != .selected { throw ValidationError("--add and --remove go with --scope selected") }
        }

        func execute() async throws {
            let manager = try global.openPolicy()
            let before = try manager.settings()
            let departments = try department.map(DepartmentName.init(validating:))
            let accounts = try account.map(AccountName.init(validating:))
            let consequences: Consequences
            switch (self.setting, scope) {
            case (.off, _): consequences = try manager.setEnforcement(.off, by: .currentAdmin)
            case (.on, .all): consequences = try manager.setEnforcement(.all, by: .currentAdmin)
            default:
                let change: PolicyManager.SelectionChange = add ? .add : remove ? .remove : .replace
                consequences = try manager.changeSelection(change, departments: departments, accounts: accounts, by: .currentAdmin)
            }
            global.endSessions(consequences)
            let settings = try manager.settings()
            if global.json {
                try Output.json(PolicyJSON(settings))
            } else {
                print("Secure-password enforcement is \(describeEnforcement(settings)) (was: \(describeEnforcement(before))).")
            }
        }
    }

    struct ExceptionCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "exception",
            abstract: "Accounts that keep their mailbox password in mail clients despite enforcement (a scanner that cannot store a second password).",
            subcommands: [Add.self, Remove.self, List.self])

        struct Add: ClientPassSubcommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Make an account an exception.", discussion: ExitCodes.admin)
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The account.", completion: Completions.accounts) var account: String
            @Option(name: .long, help: "Why (shown in listings).") var note: String = ""

            func execute() async throws {
                try global.openPolicy().addException(try AccountName(validating: account), note: note, by: .currentAdmin)
                if global.json {
                    try Output.json(["exception": account])
                } else {
                    print("\(account) is now an exception: it keeps its mailbox password in mail clients.")
                }
            }
        }

        struct Remove: ClientPassSubcommand {
            static let configuration = CommandConfiguration(
                commandName: "remove", abstract: "Take an account off the exception list.", discussion: ExitCodes.admin)
            @OptionGroup var global: GlobalOptions
            @Argument(help: "The account.", completion: Completions.accounts) var account: String

            func execute() async throws {
                global.endSessions(try global.openPolicy().removeException(try AccountName(validating: account), by: .currentAdmin))
                if global.json { try Output.json(["removed": account]) } else { print("\(account) is no longer an exception.") }
            }
        }

        struct List: ClientPassSubcommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the exceptions.", discussion: ExitCodes.admin)
            @OptionGroup var global: GlobalOptions

            func execute() async throws {
                let exceptions = try global.openPolicy().exceptions()
                if global.json {
                    try Output.json(exceptions.map { ["account": $0.account, "note": $0.note] })
                } else if exceptions.isEmpty {
                    print("No exceptions.")
                } else {
                    Output.table(["ACCOUNT", "NOTE"], exceptions.map { [$0.account, $0.note] })
                }
            }
        }
    }

    struct Throttling: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "throttling",
            abstract:
                "Set when repeated failures make logins answer `throttled` (default: 10 per account and address, 100 per address, 50 per account from unknown addresses, in 15m).",
            discussion: """
                An attempt counts as a failure from the moment it is admitted to hashing, so \
                attempts sent together get no more tries than attempts sent one by one, through \
                serve, checkpassword and the CLI alike. A secret that matches no credential stays \
                a failure whatever the answer (a disabled account, a blocked network, an unknown \
                name); a right secret refused by policy does not count. Past \
                --account-wide-failures (failures of one account from all addresses together), \
                the account is throttled everywhere except at addresses (IPv6: the /64) where \
                one of its credentials has logged in before, so its owner's devices keep working.

                """ + ExitCodes.admin)

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Failures of one account from one address.") var accountFailures: Int?
        @Option(name: .long, help: "Failures from one address, any account.") var addressFailures: Int?
        @Option(name: .long, help: "Failures of one account from all addresses it has never logged in from.") var accountWideFailures: Int?
        @Option(name: .long, help: ArgumentHelp("The window: 90s, 15m, 2h, 1d.", valueName: "duration")) var window: String?

        func execute() async throws {
            let throttling = try global.openPolicy().changeThrottling(by: .currentAdmin) { throttling in
                if let accountFailures {
                    guard (1...100_000).contains(accountFailures) else { throw ValidationError("--account-failures must be between 1 and 100000") }
                    throttling.accountFailures = accountFailures
                }
                if let addressFailures {
                    guard (1...1_000_000).contains(addressFailures) else { throw ValidationError("--address-failures must be between 1 and 1000000") }
                    throttling.addressFailures = addressFailures
                }
                if let accountWideFailures {
                    guard (1...1_000_000).contains(accountWideFailures) else { throw ValidationError("--account-wide-failures must be between 1 and 1000000") }
                    throttling.accountWideFailures = accountWideFailures
                }
                if let window {
                    let seconds = try parseDuration(window)
                    guard (1...604_800).contains(seconds) else { throw ValidationError("--window must be between 1s and 7d") }
                    throttling.window = TimeInterval(seconds)
                }
            }
            print("Throttling: \(describeThrottling(throttling)).")
        }
    }

    struct Hashing: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "hashing",
            abstract:
                "Set the Argon2id parameters of new hashes, for every process on the store (default and floor: app passwords t=2, 19 MiB; mailbox passwords t=2, 64 MiB).",
            discussion: """
                One setting of the store: serve, checkpassword and every command hash new \
                passwords with it, and a login brings a stored hash made with other parameters \
                up to date once (an audited rehash). Raising them costs every cold login more \
                CPU time and memory: measure with `make bench` first. Below the floors is \
                refused.

                """ + ExitCodes.admin)

        @OptionGroup var global: GlobalOptions
        @Option(name: .long, help: "Passes over memory for app passwords (2–1000).") var appPasswordIterations: Int?
        @Option(name: .long, help: ArgumentHelp("Memory for app passwords, in MiB (19–4096).", valueName: "MiB")) var appPasswordMemory: Int?
        @Option(name: .long, help: "Passes over memory for mailbox passwords (2–1000).") var mailboxPasswordIterations: Int?
        @Option(name: .long, help: ArgumentHelp("Memory for mailbox passwords, in MiB (64–4096).", valueName: "MiB")) var mailboxPasswordMemory: Int?

        func validate() throws {
            for (flag, value, range) in [
                ("--app-password-iterations", appPasswordIterations, 2...1000), ("--app-password-memory", appPasswordMemory, 19...4096),
                ("--mailbox-password-iterations", mailboxPasswordIterations, 2...1000),
                ("--mailbox-password-memory", mailboxPasswordMemory, 64...4096),
            ] {
                if let value, !range.contains(value) {
                    throw ValidationError("\(flag) must be between \(range.lowerBound) and \(range.upperBound)")
                }
            }
        }

        func execute() async throws {
            let (hashing, changed) = try global.openPolicy().changeHashing(by: .currentAdmin) { hashing in
                if let appPasswordIterations { hashing.appPassword.iterations = appPasswordIterations }
                if let appPasswordMemory { hashing.appPassword.memoryKiB = appPasswordMemory * 1024 }
                if let mailboxPasswordIterations { hashing.mailboxPassword.iterations = mailboxPasswordIterations }
                if let mailboxPasswordMemory { hashing.mailboxPassword.memoryKiB = mailboxPasswordMemory * 1024 }
            }
            print("Hashing: \(describeHashing(hashing))\(changed ? "." : " (unchanged).")")
        }
    }
}

/// "off", "on for all members", "on for department Sales, bob@example.com".
func describeEnforcement(_ settings: PolicySettings) -> String {
    switch settings.policy.enforcement {
    case .off: return "off"
    case .all: return "on for all members"
    case .selected:
        let scope = settings.selection.departments.map { "department \($0)" } + settings.selection.accounts
        return "on for " + (scope.isEmpty ? "nobody (no departments or accounts selected)" : scope.joined(separator: ", "))
    }
}

/// "10.0.3.0/24 (Office), 2001:db8::/32", or "none".
func describe(_ networks: [SecureNetwork]) -> String {
    networks.isEmpty ? "none" : networks.map { $0.note.isEmpty ? $0.network.description : "\($0.network) (\($0.note))" }.joined(separator: ", ")
}

/// "10 failures per account and address, 100 per address, 50 per account from unknown addresses, within 15m".
func describeThrottling(_ throttling: ThrottlePolicy) -> String {
    "\(throttling.accountFailures) failures per account and address, \(throttling.addressFailures) per address, \(throttling.accountWideFailures) per account from unknown addresses, within \(formatDuration(throttling.window))"
}

/// "app passwords t=2, 19 MiB; mailbox passwords t=2, 64 MiB".
func describeHashing(_ hashing: HashingConfiguration) -> String {
    func parameters(_ value: Argon2idParameters) -> String { "t=\(value.iterations), \(value.memoryKiB / 1024) MiB" }
    return "app passwords \(parameters(hashing.appPassword)); mailbox passwords \(parameters(hashing.mailboxPassword))"
}

/// `90s`, `15m`, `2h`, `1d` in seconds (see ``DurationText``).
func parseDuration(_ text: String) throws -> Int {
    do { return try DurationText.parse(text) } catch let error as InputError { throw ValidationError(error.description) }
}

func formatDuration(_ seconds: TimeInterval) -> String { DurationText.format(seconds) }

struct NetworkJSON: Encodable {
    let network: SecureNetwork
    enum CodingKeys: String, CodingKey { case network, note }
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(network.network.description, forKey: .network)
        try container.encode(network.note, forKey: .note)
    }
}
