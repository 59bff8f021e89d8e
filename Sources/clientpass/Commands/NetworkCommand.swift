import ArgumentParser
import ClientPassCore
import Foundation

struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Secure logon networks: where mail clients may log in while third-party clients are blocked.",
        subcommands: [Add.self, List.self, Remove.self]
    )
}

extension NetworkCommand {
    struct Add: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a secure network (an IPv4/IPv6 address or CIDR range).",
            discussion: """
                Examples: 203.0.113.7, 10.0.3.0/24, 2001:db8::/32. A range with host bits set \
                (1.1.1.7/24) is refused with the corrected form. IPv4-mapped IPv6 clients \
                (::ffff:10.0.3.7) match IPv4 networks.

                \(ExitCodes.admin)
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: NetworkEntryOptions

        func execute() async throws { try entry.add(to: .secureNetworks, global: global) }
    }

    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the secure networks.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions

        func execute() async throws { try listNetworks(.secureNetworks, global: global, example: "network add 10.0.3.0/24 --note \"Office\"") }
    }

    struct Remove: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a secure network.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The address or CIDR range, as listed.", valueName: "address-or-cidr")) var network: String

        func execute() async throws { try removeNetwork(network, from: .secureNetworks, global: global) }
    }
}

/// `admin first-party`: the company's webmail and app gateway.
struct FirstPartyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "first-party",
        abstract: "First-party hosts: the company's webmail and app gateway, which are not third-party clients.",
        discussion: """
            A login whose connection to the mail server comes from a first-party host (Roundcube, \
            SOGo, an ActiveSync gateway) keeps working with the mailbox password whatever the \
            third-party policy, secure networks, enforcement and the account's IMAP/POP3/SMTP \
            switches; the account's status, throttling and the password still apply, and an app \
            password is refused there (app_password_first_party). Dovecot must tell clientpass \
            the real connecting host: see docs/dovecot.md. Logins through nginx are never first-party.
            """,
        subcommands: [Add.self, List.self, Remove.self]
    )
}

extension FirstPartyCommand {
    struct Add: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a first-party host (an IPv4/IPv6 address or CIDR range).",
            discussion: "Example: `admin first-party add 10.0.5.20 --note Roundcube`. Validated like secure networks.\n\n" + ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var entry: NetworkEntryOptions

        func execute() async throws { try entry.add(to: .firstPartyHosts, global: global) }
    }

    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the first-party hosts.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions

        func execute() async throws { try listNetworks(.firstPartyHosts, global: global, example: "first-party add 10.0.5.20 --note \"Roundcube\"") }
    }

    struct Remove: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a first-party host.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The address or CIDR range, as listed.", valueName: "address-or-cidr")) var network: String

        func execute() async throws { try removeNetwork(network, from: .firstPartyHosts, global: global) }
    }
}

/// The address or range of a new secure network or first-party host, and its note.
struct NetworkEntryOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The address or CIDR range.", valueName: "address-or-cidr")) var network: String
    @Option(name: .long, help: "What it is (e.g. \"Head office\", \"Roundcube\").") var note: String = ""

    func add(to list: NetworkList, global: GlobalOptions) throws {
        let parsed = try IPNetwork(parsing: network)
        let note = self.note.isEmpty ? "" : try ClientPassCore.Label(validating: self.note).value
        global.endSessions(try global.openPolicy().addNetwork(parsed, note: note, to: list, by: .currentAdmin))
        if global.json {
            try Output.json(NetworkJSON(network: SecureNetwork(network: parsed, note: note)))
        } else {
            print("Added \(list.itemName) \(parsed)\(note.isEmpty ? "" : " (\(note))").")
        }
    }
}

private func listNetworks(_ list: NetworkList, global: GlobalOptions, example: String) throws {
    let networks = try global.openPolicy().networks(list)
    if global.json {
        try Output.json(networks.map(NetworkJSON.init))
    } else if networks.isEmpty {
        print("No \(list.itemName)s. Add one with `clientpass admin \(example)`.")
    } else {
        Output.table(["NETWORK", "NOTE"], networks.map { [$0.network.description, $0.note] })
    }
}

private func removeNetwork(_ text: String, from list: NetworkList, global: GlobalOptions) throws {
    let parsed = try IPNetwork(parsing: text)
    global.endSessions(try global.openPolicy().removeNetwork(parsed, from: list, by: .currentAdmin))
    if global.json { try Output.json(["removed": parsed.description]) } else { print("Removed \(list.itemName) \(parsed).") }
}

struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Turn IMAP, POP3 and SMTP on or off for accounts.",
        subcommands: [Change.self]
    )

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

    struct Change: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set services for accounts, a department or everyone, in one transaction.",
            discussion: """
                Examples: `admin services set alice bob --pop3 off`, `admin services set --department Sales --imap on --smtp on`, \
                `admin services set --all --pop3 off`. Recommended pairs: IMAP+SMTP or POP3+SMTP. \
                Prints how many accounts changed.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Accounts to change.", completion: Completions.accounts) var accounts: [String] = []
        @Option(name: .long, help: "Every account of this department.", completion: Completions.departments) var department: String?
        @Flag(name: .long, help: "Every account.") var all = false
        @Option(name: .long, help: "on or off.") var imap: Switch?
        @Option(name: .long, help: "on or off.") var pop3: Switch?
        @Option(name: .long, help: "on or off.") var smtp: Switch?

        func validate() throws {
            let selections = (accounts.isEmpty ? 0 : 1) + (department == nil ? 0 : 1) + (all ? 1 : 0)
            guard selections == 1 else {
                throw ValidationError("select accounts one way: account names, --department D, or --all")
            }
            guard imap != nil || pop3 != nil || smtp != nil else {
                throw ValidationError("say what to change: --imap, --pop3 and/or --smtp, each on or off")
            }
        }

        func execute() async throws {
            let selection: AccountSelection
            if all {
                selection = .all
            } else if let department {
                selection = .department(try DepartmentName(validating: department))
            } else {
                selection = .accounts(try accounts.map(AccountName.init(validating:)))
            }
            var changes: [MailService: Bool] = [:]
            if let imap { changes[.imap] = imap == .on }
            if let pop3 { changes[.pop3] = pop3 == .on }
            if let smtp { changes[.smtp] = smtp == .on }
            let (changedAccounts, consequences) = try global.openManager().setServices(changes, for: selection, by: .currentAdmin)
            let changed = changedAccounts.count
            global.endSessions(consequences)
            if global.json {
                try Output.json(["changed": changed])
            } else {
                let what = changes.sorted { $0.key < $1.key }.map { "\($0.key.displayName) \($0.value ? "on" : "off")" }.joined(separator: ", ")
                print("\(what): \(changed) account\(changed == 1 ? "" : "s") changed.")
            }
        }
    }
}
