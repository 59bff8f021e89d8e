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
            abstract: "Add a secure network (an IPv4/IPv6 address or CIDR range).",
            discussion: """
                Examples: 203.0.113.7, 10.0.3.0/24, 2001:db8::/32. A range with host bits set \
                (1.1.1.7/24) is refused with the corrected form. IPv4-mapped IPv6 clients \
                (::ffff:10.0.3.7) match IPv4 networks.

                \(ExitCodes.standard)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The address or CIDR range.", valueName: "address-or-cidr")) var network: String
        @Option(name: .long, help: "What it is (e.g. \"Head office\").") var note: String = ""

        func execute() async throws {
            let parsed = try IPNetwork(parsing: network)
            let note = self.note.isEmpty ? "" : try ClientPassCore.Label(validating: self.note).value
            try global.openPolicy().addSecureNetwork(parsed, note: note, by: .currentAdmin)
            if global.json {
                try Output.json(NetworkJSON(network: SecureNetwork(network: parsed, note: note)))
            } else {
                print("Added secure network \(parsed)\(note.isEmpty ? "" : " (\(note))").")
            }
        }
    }

    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(abstract: "List the secure networks.", discussion: ExitCodes.standard)
        @OptionGroup var global: GlobalOptions

        func execute() async throws {
            let networks = try global.openPolicy().secureNetworks()
            if global.json {
                try Output.json(networks.map(NetworkJSON.init))
            } else if networks.isEmpty {
                print("No secure networks. Add one with `clientpass admin network add 10.0.3.0/24 --note \"Office\"`.")
            } else {
                Output.table(["NETWORK", "NOTE"], networks.map { [$0.network.description, $0.note] })
            }
        }
    }

    struct Remove: ClientPassSubcommand {
        static let configuration = CommandConfiguration(abstract: "Remove a secure network.", discussion: ExitCodes.standard)
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The address or CIDR range, as listed.", valueName: "address-or-cidr")) var network: String

        func execute() async throws {
            let parsed = try IPNetwork(parsing: network)
            global.endSessions(try global.openPolicy().removeSecureNetwork(parsed, by: .currentAdmin))
            if global.json { try Output.json(["removed": parsed.description]) } else { print("Removed secure network \(parsed).") }
        }
    }
}

struct ServicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Turn IMAP, POP3 and SMTP on or off for accounts.",
        subcommands: [Set.self]
    )

    enum Switch: String, ExpressibleByArgument, CaseIterable { case on, off }

    struct Set: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Set services for accounts, a department or everyone, in one transaction.",
            discussion: """
                Examples: `admin services set alice bob --pop3 off`, `admin services set --department Sales --imap on --smtp on`, \
                `admin services set --all --pop3 off`. Recommended pairs: IMAP+SMTP or POP3+SMTP. \
                Prints how many accounts changed.

                \(ExitCodes.standard)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Accounts to change.") var accounts: [String] = []
        @Option(name: .long, help: "Every account of this department.") var department: String?
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
