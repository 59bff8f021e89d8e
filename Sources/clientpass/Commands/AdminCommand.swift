import ArgumentParser
import ClientPassCore
import ClientPassPostgreSQL
import Foundation

struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Create the store and manage accounts and departments.",
        discussion: """
            Administrators need no mailbox password: their authority is write access to the \
            store, as with doveadm. Every change is recorded in the audit trail with the OS user \
            who made it.
            """,
        subcommands: [
            Init.self, AccountCommand.self, DepartmentCommand.self, PolicyCommand.self, NetworkCommand.self,
            FirstPartyCommand.self, ServicesCommand.self, AdminPasswordCommand.self, DirectoryCommand.self, Reset.self, Audit.self, Backup.self, Restore.self,
            Export.self, StoreCommand.self,
        ]
    )
}

extension AdminCommand {
    struct Init: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create a new, empty store.",
            discussion: """
                The file is created mode 0600 (its folder 0700 if it is new). With --group, both \
                become readable and writable by that group (file 0660, folder 2770), so a mail \
                server running as that group can ask clientpass at login. A new store blocks \
                third-party clients until an administrator allows them.

                Exit codes: 0 created; 1 a store already exists there, or the file or folder \
                cannot be created; 64 usage error (unknown group).
                """)

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: ArgumentHelp("An OS group (a mail server's) that may read and write the store.", valueName: "name"))
        var group: String?

        func execute() async throws {
            let location = try global.storeLocation()
            let path = location.description
            let store = try location.create(group: group, by: .currentAdmin)
            let policy = try store.policy()
            if global.json {
                try Output.json(InitJSON(store: path, group: group, thirdPartyClients: policy.thirdPartyClients.rawValue))
            } else {
                print(
                    """
                    Created a clientpass store at \(path)\(group.map { " for group \($0)" } ?? "").
                    Third-party clients are blocked until you allow them.
                    Next: `clientpass admin account add NAME` to add an account.
                    """)
            }
        }

        struct InitJSON: Encodable {
            let store: String
            let group: String?
            let thirdPartyClients: String

            enum CodingKeys: String, CodingKey {
                case store, group, thirdPartyClients = "third_party_clients"
            }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(store, forKey: .store)
                try container.encode(group, forKey: .group)
                try container.encode(thirdPartyClients, forKey: .thirdPartyClients)
            }
        }
    }

    struct Audit: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "audit",
            abstract: "Show the audit trail, newest first.",
            discussion: ExitCodes.admin)

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: ArgumentHelp("Only entries about this account.", valueName: "account"), completion: Completions.accounts)
        var account: String?

        @Option(
            name: .long,
            help: ArgumentHelp("Only entries since then: a duration back from now (90m, 24h, 7d) or a date (YYYY-MM-DD, local midnight).", valueName: "when"))
        var since: String?

        @Option(name: .long, help: "At most this many entries.")
        var limit = 50

        func validate() throws {
            guard (1...100_000).contains(limit) else {
                throw ValidationError("--limit must be between 1 and 100000")
            }
        }

        func execute() async throws {
            let manager = try global.openManager()
            let name = try account.map { try manager.account(named: $0).name }
            let events = try manager.auditEvents(about: name, since: try since.map(parseSince), limit: limit)
            if global.json {
                try Output.json(events.map(AuditEventJSON.init))
                return
            }
            guard !events.isEmpty else {
                print("No audit entries\(name.map { " about \($0)" } ?? "").")
                return
            }
            Output.table(
                ["WHEN", "WHO", "ACCOUNT", "ACTION", "DETAIL"],
                events.map {
                    [HumanTime.localDate($0.at), $0.actor.description, $0.account ?? "-", $0.kind.rawValue, AuditText.detail($0)]
                })
        }
    }

    struct Reset: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "reset",
            abstract: "Help desk: revoke every app password of an account and issue one new one, in one transaction.",
            discussion: """
                With --mailbox-password-stdin, also sets a new mailbox password read from the first \
                line of standard input. The new app password is printed once. It says what it will \
                revoke; without --yes, clientpass asks you to type the account's name on the \
                terminal; --dry-run only shows it. (Before 0.9.0 it asked nothing: scripts add --yes.)

                \(ExitCodes.admin)
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String
        @Option(name: .long, help: "The new app password's label.") var label: String = "Issued at reset"
        @Flag(name: .long, help: "Also set a new mailbox password, read from the first line of standard input.") var mailboxPasswordStdin = false
        @OptionGroup var confirmation: ConfirmationOptions

        func execute() async throws {
            let label = try ClientPassCore.Label(validating: self.label)
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let current = try manager.appPasswords(of: account)
            let revoking =
                current.isEmpty
                ? "no app passwords to revoke"
                : "revoke \(current.count) app password\(current.count == 1 ? "" : "s") ("
                    + current.map { "\($0.id) \(Quoted($0.label))" }.joined(separator: ", ") + ")"
            let plan =
                "reset \(account.name): \(revoking), issue one new app password \(Quoted(label.value))"
                + (mailboxPasswordStdin ? " and set a new mailbox password" : "")
            // The mailbox password comes on standard input: the terminal cannot also confirm.
            guard try confirmation.confirm(plan, typing: account.name, json: global.json, terminalFree: !mailboxPasswordStdin) else { return }
            let mailboxPassword = mailboxPasswordStdin ? try SecretReader.read(fromStandardInput: true, prompt: "") : nil
            let result = try manager.reset(account, label: label, mailboxPassword: mailboxPassword, by: .currentAdmin)
            global.endSessions(result.consequences)
            if !global.json {
                print(
                    "Revoked \(result.revoked.count) app password\(result.revoked.count == 1 ? "" : "s") of \(account.name)\(mailboxPassword == nil ? "" : " and set a new mailbox password")."
                )
            }
            try printGenerated(result.issued, for: account.name, json: global.json, now: manager.currentDate)
        }
    }
}

/// `--since`: a duration back from now (`90m`, `24h`, `7d`) or a date (local midnight).
func parseSince(_ text: String) throws -> Date {
    do { return try DurationText.parseSince(text, now: Date()) } catch let error as InputError { throw ValidationError(error.description) }
}
