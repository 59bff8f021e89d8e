import ArgumentParser
import ClientPassCore
import Foundation

@main
struct ClientPassCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clientpass",
        abstract: "App passwords and access policy for third-party mail clients.",
        discussion: """
            clientpass keeps the app passwords ("third-party client secure passwords") that \
            employees type into Outlook, Thunderbird or a phone instead of their mailbox password, \
            and the policy that decides which mail clients may log in.

            Employees use `password` and `access`, authenticated with their mailbox password. \
            Administrators use `admin`; their authority is write access to the store.

            The store is --store PATH, else $CLIENTPASS_STORE, else \(SQLiteStore.defaultPath).
            """,
        version: ClientPassVersion.current,
        subcommands: [PasswordCommand.self, AccessCommand.self, CheckCommand.self, ExplainCommand.self, CheckpasswordCommand.self, ServeCommand.self, ConfigCommand.self, AdminCommand.self]
    )

    static func main() async {
        // Dovecot's own invocation skips the parser (see CheckpasswordProgram.arguments); help
        // and mistakes go through it.
        let arguments = CommandLine.arguments
        if arguments.count > 1, arguments[1] == "checkpassword",
           let checkpassword = CheckpasswordProgram.arguments(arguments.dropFirst(2)) {
            // Before the first await: no other thread has allocated yet.
            CheckpasswordProgram.prepareProcess()
            await CheckpasswordProgram.run(store: checkpassword.store, replyProgram: checkpassword.replyProgram)
        }
        await main(nil)
    }
}
