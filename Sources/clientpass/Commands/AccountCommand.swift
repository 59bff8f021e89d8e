import ArgumentParser
import ClientPassCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Add, list, show, change and remove accounts.",
        subcommands: [Add.self, List.self, Show.self, Set.self, Remove.self, Disable.self, Enable.self, SetPassword.self]
    )
}

extension AccountCommand {
    struct Add: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account with its mailbox password.",
            discussion: """
                NAME is the login name as mail clients send it (alice@example.com or alice): \
                case-insensitive, no spaces or control characters, at most 254 bytes. The \
                mailbox password (at least 8 characters) is asked twice without echo, or read \
                from the first line of standard input with --password-stdin. New accounts have \
                IMAP, POP3 and SMTP on.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The account's login name.")
        var name: String

        @Option(name: .long, help: "The department it belongs to (see `admin department add`).", completion: Completions.departments)
        var department: String?

        @Flag(name: .long, help: "Read the mailbox password from the first line of standard input.")
        var passwordStdin = false

        func execute() async throws {
            let manager = try global.openManager()
            _ = try AccountName(validating: name)
            let password = try SecretReader.readNew(fromStandardInput: passwordStdin, prompt: "Mailbox password for \(name): ")
            let account = try manager.addAccount(named: name, department: department, mailboxPassword: password, by: .currentAdmin)
            if global.json {
                try Output.json(AccountJSON(account: account, appPasswordCount: 0))
            } else {
                print("Added account \(account.name)\(account.department.map { " in \($0)" } ?? "") with IMAP, POP3 and SMTP on.")
            }
        }
    }

    struct Set: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an account to another department, or make it a member of the help desk.",
            discussion: """
                `admin account set bob@example.com --department Support`, or `--no-department`. \
                Prints what it was. If the move brings the account under secure-password \
                enforcement, its open mail sessions are ended (kick_command).

                `--help-desk` makes the account a member of the help desk: signed in to the \
                self-service page, it may issue device passwords (printers, scanners) for any \
                account, as `admin password issue` does, and print their device cards. Each such \
                password is audited with the member's name. `--no-help-desk` ends that at once, \
                even for a form already open.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String
        @Option(name: .long, help: "The department to move it to.", completion: Completions.departments) var department: String?
        @Flag(name: .long, help: "Take it out of its department.") var noDepartment = false
        @Flag(name: .long, inversion: .prefixedNo, help: "Make it a member of the help desk, or not (who may issue device passwords on the page).")
        var helpDesk: Bool?

        func validate() throws {
            // One change a run: each is one transaction, and a run never stops half done.
            guard [department != nil, noDepartment, helpDesk != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("give one of --department NAME, --no-department, --help-desk and --no-help-desk")
            }
        }

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            var moved = false
            if department != nil || noDepartment {
                let (changed, consequences) = try manager.setDepartment(of: account, to: department, by: .currentAdmin)
                global.endSessions(consequences)
                moved = changed
            }
            let joined = try helpDesk.map { try manager.setHelpDesk(of: account, to: $0, by: .currentAdmin) } ?? false
            let now = try manager.account(named: account.name)
            if global.json {
                try Output.json(SetJSON(account: now.name, department: now.department, was: account.department,
                                        helpDesk: now.isHelpDesk, wasHelpDesk: account.isHelpDesk))
                return
            }
            if department != nil || noDepartment {
                if moved {
                    print("Moved \(now.name) to \(now.department.map { "department \($0)" } ?? "no department") (was: \(account.department.map { "department \($0)" } ?? "none")).")
                } else {
                    print("\(now.name) is already in \(now.department.map { "department \($0)" } ?? "no department"); nothing changed.")
                }
            }
            if let helpDesk {
                switch (joined, helpDesk) {
                case (true, true): print("\(now.name) is now a member of the help desk: on the page, it may issue device passwords for any account.")
                case (true, false): print("\(now.name) is no longer a member of the help desk.")
                case (false, true): print("\(now.name) is already a member of the help desk; nothing changed.")
                case (false, false): print("\(now.name) is not a member of the help desk; nothing changed.")
                }
            }
        }

        struct SetJSON: Encodable {
            let account: String
            let department: String?
            let was: String?
            let helpDesk: Bool
            let wasHelpDesk: Bool

            enum CodingKeys: String, CodingKey {
                case account, department, was, helpDesk = "help_desk", wasHelpDesk = "was_help_desk"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(account, forKey: .account)
                try container.encode(department, forKey: .department)
                try container.encode(was, forKey: .was)
                try container.encode(helpDesk, forKey: .helpDesk)
                try container.encode(wasHelpDesk, forKey: .wasHelpDesk)
            }
        }
    }

    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "List accounts.",
            discussion: ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Only the accounts of this department.", completion: Completions.departments)
        var department: String?

        func execute() async throws {
            let manager = try global.openManager()
            let accounts = try manager.accounts(inDepartment: department)
            let perAccount = try manager.appPasswordCounts()
            let counts = accounts.map { perAccount[$0.id] ?? 0 }
            if global.json {
                try Output.json(zip(accounts, counts).map { AccountJSON(account: $0, appPasswordCount: $1) })
                return
            }
            guard !accounts.isEmpty else {
                print(department == nil ? "No accounts yet. Add one with `clientpass admin account add NAME`." : "No accounts in \(department!).")
                return
            }
            Output.table(["NAME", "DEPARTMENT", "STATUS", "SERVICES", "APP PASSWORDS"], zip(accounts, counts).map { account, count in
                [account.name, account.department ?? "-", account.status.rawValue + (account.isHelpDesk ? ", help desk" : ""),
                 account.services.enabled.isEmpty ? "none" : account.services.enabled.map(\.displayName).joined(separator: ","),
                 String(count)]
            })
        }
    }

    struct Show: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an account: status, services, access and app passwords.",
            discussion: ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The account's name.", completion: Completions.accounts)
        var name: String

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let passwords = try manager.appPasswords(of: account)
            let summary = try manager.access(for: account)
            if global.json {
                try Output.json(ShowJSON(account: AccountJSON(account: account, appPasswordCount: passwords.count),
                                         access: AccessJSON(summary: summary),
                                         appPasswords: passwords.map { AppPasswordJSON(appPassword: $0, includeUsage: true) }))
                return
            }
            printAccess(summary)
            print("Created:              \(HumanTime.localDate(account.createdAt))\n")
            try printAppPasswords(passwords, of: account, json: false, now: manager.currentDate)
        }

        struct ShowJSON: Encodable {
            let account: AccountJSON
            let access: AccessJSON
            let appPasswords: [AppPasswordJSON]

            enum CodingKeys: String, CodingKey {
                case account, access, appPasswords = "app_passwords"
            }
        }
    }

    struct Remove: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an account and all its app passwords.",
            discussion: """
                This cannot be undone. It says what it will remove; without --yes, clientpass asks \
                you to type the account's name on the terminal; --dry-run only shows it.

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The account's name.", completion: Completions.accounts)
        var name: String

        @OptionGroup var confirmation: ConfirmationOptions

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let count = try manager.appPasswords(of: account).count
            guard try confirmation.confirm("remove \(account.name) and its \(count) app password\(count == 1 ? "" : "s")",
                                           typing: account.name, json: global.json) else { return }
            let (removed, consequences) = try manager.removeAccount(named: account.name, by: .currentAdmin)
            global.endSessions(consequences)
            if global.json {
                try Output.json(RemovedJSON(account: account.name, appPasswords: removed))
            } else {
                print("Removed account \(account.name) and its \(removed) app password\(removed == 1 ? "" : "s").")
            }
        }

        struct RemovedJSON: Encodable {
            let account: String
            let appPasswords: Int

            enum CodingKeys: String, CodingKey {
                case account, appPasswords = "removed_app_passwords"
            }
        }
    }

    struct Disable: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: no access at all, from the next login.",
            discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String

        func execute() async throws {
            try setStatus(.disabled, of: name, global: global)
        }
    }

    struct Enable: ClientPassSubcommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String

        func execute() async throws {
            try setStatus(.active, of: name, global: global)
        }
    }

    struct SetPassword: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set an account's mailbox password (asked twice without echo, or --password-stdin).",
            discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String
        @Flag(name: .long, help: "Read the new mailbox password from the first line of standard input.") var passwordStdin = false

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let password = try SecretReader.readNew(fromStandardInput: passwordStdin, prompt: "New mailbox password for \(account.name): ")
            global.endSessions(try manager.setMailboxPassword(of: account, to: password, by: .currentAdmin))
            if global.json { try Output.json(["account": account.name]) } else { print("Set the mailbox password of \(account.name).") }
        }
    }
}

private func setStatus(_ status: Account.Status, of name: String, global: GlobalOptions) throws {
    let manager = try global.openManager()
    let account = try manager.account(named: name)
    let (changed, consequences) = try manager.setStatus(status, of: account, by: .currentAdmin)
    global.endSessions(consequences)
    if global.json {
        try Output.json(["account": account.name, "status": status.rawValue])
    } else if changed {
        print(status == .active ? "Enabled \(account.name)." : "Disabled \(account.name): it has no access at all from the next login.")
    } else {
        print("\(account.name) was already \(status == .active ? "enabled" : "disabled"); nothing changed.")
    }
}
