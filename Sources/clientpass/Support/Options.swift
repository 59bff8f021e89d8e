import ArgumentParser
import ClientPassCore
import ClientPassWeb
import Foundation

/// `--store` and `--json`, shared by every command.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The store file (default: $CLIENTPASS_STORE, else \(SQLiteStore.defaultPath)).",
        valueName: "path"))
    var store: String?

    @Flag(name: .long, help: "Print one JSON document on standard output instead of text.")
    var json = false

    /// Flag, then environment, then the default.
    var storePath: String {
        if let store, !store.isEmpty { return store }
        if let fromEnvironment = ProcessInfo.processInfo.environment["CLIENTPASS_STORE"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return SQLiteStore.defaultPath
    }

    /// Opens the existing store.
    func openStore() throws -> any CredentialStore {
        try SQLiteStore(openingAt: storePath)
    }

    /// Runs the configured session-ending command ($CLIENTPASS_KICK_COMMAND, else kick_command
    /// in the configuration file) for accounts that just lost access; failures are warnings, the
    /// change itself is committed.
    func endSessions(of accounts: [String]) {
        guard !accounts.isEmpty else { return }
        var command = ProcessInfo.processInfo.environment[SessionTerminator.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        if command == nil, let path = ConfigFile.implicitPath {
            let (config, problems) = ConfigFile.load(path)
            if problems.isEmpty {
                command = config.kickCommand
            } else {
                FileHandle.standardError.write(Data("Warning: \(path) has problems (see `clientpass config check`), so its kick_command was not run: open sessions of \(accounts.joined(separator: ", ")) were not ended\n".utf8))
            }
        }
        guard let terminator = SessionTerminator(command: command) else { return }
        for failure in terminator.terminateSessions(of: accounts) {
            FileHandle.standardError.write(Data("Warning: \(failure)\n".utf8))
        }
    }

    /// Opens the existing store and the operations on it.
    func openManager() throws -> CredentialManager {
        CredentialManager(store: try openStore())
    }
}

/// `--user` and `--password-stdin` of the self-service commands.
struct SelfServiceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Your account name, as your mail client logs in (e.g. alice@example.com).", valueName: "account"))
    var user: String

    @Flag(name: .long, help: "Read the mailbox password from the first line of standard input instead of asking for it.")
    var passwordStdin = false

    /// Reads the mailbox password (no-echo prompt or stdin) and signs in with it.
    func authenticate(with manager: CredentialManager) throws -> Account {
        // Check the name before asking for a password, so a typo costs no typing.
        _ = try manager.account(named: user)
        let password = try SecretReader.read(fromStandardInput: passwordStdin, prompt: "Mailbox password for \(user): ")
        return try manager.authenticate(user, mailboxPassword: password)
    }
}

/// Exit codes every command documents in its help.
enum ExitCodes {
    static let standard = """
        Exit codes: 0 success; 1 failure (unknown account, wrong mailbox password, store missing, \
        locked or too new, limit reached); 64 usage error (bad flag, name, label, network or expiry).
        """
}

/// Commands run through `execute()`, so that the core's input errors become usage errors
/// (exit 64) in one place.
protocol ClientPassSubcommand: AsyncParsableCommand {
    func execute() async throws
}

extension ClientPassSubcommand {
    mutating func run() async throws {
        do {
            try await execute()
        } catch let error as InputError {
            throw usageError(error.description)
        } catch let error as ValidationError {
            throw usageError(error.message)
        }
    }

    /// Prints the message as argument-parser would, without the root command's usage line,
    /// which would mislead here, and exits 64.
    private func usageError(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        return ExitCode.validationFailure
    }
}
