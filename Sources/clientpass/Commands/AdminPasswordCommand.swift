import ArgumentParser
import ClientPassCore
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
        static let configuration = CommandConfiguration(abstract: "List an account's app passwords.", discussion: ExitCodes.standard)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var name: String

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            try printAppPasswords(try manager.appPasswords(of: account), of: account, json: global.json, now: manager.currentDate)
        }
    }

    struct Revoke: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke one app password of an account, or all of them.",
            discussion: "A revoked password stops working at the next login.\n\n" + ExitCodes.standard)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var name: String
        @OptionGroup var target: RevokeTarget

        func execute() async throws {
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            try revoke(target, of: account, with: manager, by: .currentAdmin, global: global)
        }
    }

    struct Issue: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an app password for a device (a scanner, a printer) and print it once.",
            discussion: """
                Example: a scanner that only sends mail from the office network: \
                `admin password issue scanner@example.com --label "3rd floor scanner" --protocols smtp --networks 10.0.3.0/24`.

                \(ExitCodes.standard)
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account.") var name: String
        @OptionGroup var options: NewAppPasswordOptions

        func execute() async throws {
            let request = try options.request(now: Date())
            let manager = try global.openManager()
            let account = try manager.account(named: name)
            let generated = try manager.generateAppPassword(for: account, label: request.label, limits: request.limits, by: .currentAdmin)
            try printGenerated(generated, for: account, json: global.json, now: manager.currentDate)
        }
    }
}
