import ArgumentParser
import ClientPassCore
import ClientPassEdge
import Foundation

struct AdminPasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Help desk: list, revoke and issue app passwords of any account.",
        subcommands: [List.self, Revoke.self, Issue.self]
    )
}

extension AdminPasswordCommand {
    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List an account's app passwords.", discussion: ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            try printAppPasswords(
                try manager.appPasswords(of: account), of: account.name, json: global.json, now: manager.currentDate,
                generate: "clientpass password generate --user \(account.name)")
        }
    }

    struct Revoke: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke one app password of an account, or all of them.",
            discussion:
                "A revoked password stops working at the next login. With --all it says how many it will revoke and needs --yes (or the account's name typed on a terminal); --dry-run only shows it.\n\n"
                + ExitCodes.admin)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String
        @OptionGroup var target: RevokeTarget
        @OptionGroup var confirmation: ConfirmationOptions

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            if target.all {
                let count = try manager.appPasswords(of: account).count
                guard
                    try confirmation.confirm(
                        "revoke all \(count) app password\(count == 1 ? "" : "s") of \(account.name)",
                        typing: account.name, json: global.json)
                else { return }
            }
            try printRevoked(
                try revokeAppPasswords(target.id, of: account, with: manager, by: .currentAdmin, global: global), of: account.name, json: global.json)
        }
    }

    struct Issue: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "issue",
            abstract: "Issue an app password for a device (a scanner, a printer) and print it once.",
            discussion: """
                Example: a scanner that only sends mail from the office network: \
                `admin password issue scanner@example.com --label "3rd floor scanner" --protocols smtp --networks 10.0.3.0/24`.

                \(ExitCodes.admin)
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.", completion: Completions.accounts) var name: String
        @OptionGroup var options: NewAppPasswordOptions
        @OptionGroup var profile: ProfileOptions

        @Option(name: .long, help: "Print a device card (text, or html for printing) instead: the servers, user name, password, limits and whom to ask.")
        var card: DeviceCard.Format?

        func validate() throws {
            if card != nil && global.json { throw ValidationError("--card and --json exclude each other") }
        }

        func execute() async throws {
            let request = try options.request(now: Date())
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let mailProfile = try profile.prepare(for: account, limits: request.limits)
            let generated = try manager.generateAppPassword(for: account, label: request.label, limits: request.limits, by: .currentAdmin)
            if let mailProfile { try profile.write(mailProfile, for: generated) }
            if let card {
                let sheet = DeviceCard(
                    account: account, generated: generated, servers: try ProfileOptions.configuredServers(),
                    helpDesk: DeviceCard.configuredHelpDesk())
                print(card == .html ? sheet.html : sheet.text, terminator: "")
                return
            }
            try printGenerated(generated, for: account.name, json: global.json, now: manager.currentDate)
        }
    }
}

extension DeviceCard.Format: ExpressibleByArgument {}
