import ArgumentParser
import ClientPassCore
import ClientPassEdge
import ClientPassPostgreSQL
import ClientPassDirectory
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// `--store`, of every command that opens the store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a SQLite file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DB?sslmode=… with the password in a password file (default: $CLIENTPASS_STORE, else store in the configuration file, else \(SQLiteStore.defaultPath)).",
            valueName: "path|url"), completion: .file())
    var store: String?

    /// Flag, then environment, then the configuration file's `store` (`serve`'s own file, else
    /// the one every command reads), then the default.
    func path(configured: String? = nil) -> String {
        Self.path(flag: store, configured: configured ?? Self.configuredStore)
    }

    /// `store` in the configuration file the commands read ($CLIENTPASS_CONFIG, else
    /// /etc/clientpass/clientpass.yaml when it exists): the same store `serve` uses, so that
    /// moving the store in the file moves every process, the administrator's commands included.
    static var configuredStore: String? {
        ConfigFile.loadImplicit()?.config.store
    }

    /// The same order for a flag read elsewhere (shell completion reads the words being typed).
    static func path(flag: String?, configured: String? = nil) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let fromEnvironment = ProcessInfo.processInfo.environment["CLIENTPASS_STORE"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return configured ?? SQLiteStore.defaultPath
    }
}

/// `--store` and `--json`, shared by every command.
struct GlobalOptions: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .long, help: "Print one JSON document on standard output instead of text.")
    var json = false

    var storePath: String { storeOptions.path() }

    /// Where the store is: a SQLite file or a PostgreSQL database.
    func storeLocation() throws -> StoreLocation {
        try StoreLocation(parsing: storePath)
    }

    /// Opens the existing SQLite store, for what only a file has (`admin backup`, `admin
    /// restore`); on PostgreSQL, says what takes their place.
    func openSQLiteStore(for command: String) throws -> SQLiteStore {
        switch try storeLocation() {
        case .sqlite(let path):
            return try SQLiteStore(openingAt: path)
        case .postgresql(let location):
            throw InputError(
                "`clientpass admin \(command)` works on a SQLite file; the store is on PostgreSQL (\(location)): back it up with pg_dump and point-in-time recovery (docs/scaling.md), or copy it into a file with `clientpass admin store copy --from URL --to FILE`"
            )
        }
    }

    /// Opens the existing store.
    func openStore() throws -> any SQLStore {
        try storeLocation().open()
    }

    /// Runs the configured session-ending command ($CLIENTPASS_KICK_COMMAND, else kick_command
    /// in the configuration file) for the accounts a change took access from (as the core worked
    /// them out); failures are warnings, the change itself is committed.
    func endSessions(_ consequences: Consequences) {
        let accounts = consequences.accountsLosingAccess
        guard !accounts.isEmpty else { return }
        var command = ProcessInfo.processInfo.environment[SessionTerminator.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        if command == nil, let (path, config, problems) = ConfigFile.loadImplicit() {
            if problems.isEmpty {
                command = config.kickCommand
            } else {
                FileHandle.standardError.write(
                    Data(
                        "Warning: \(path) has problems (see `clientpass config check`), so its kick_command was not run: open sessions of \(accounts.joined(separator: ", ")) were not ended\n"
                            .utf8))
            }
        }
        guard let terminator = SessionTerminator(command: command) else {
            let who = accounts.count == 1 ? accounts[0] : "\(accounts.count) accounts"
            FileHandle.standardError.write(
                Data(
                    "Note: open mail sessions of \(who) stay open until they reconnect: set kick_command in \(ConfigFile.defaultPath) (or CLIENTPASS_KICK_COMMAND) to end them at once, e.g. `doveadm kick {account}`.\n"
                        .utf8))
            return
        }
        for failure in terminator.terminateSessions(of: accounts) {
            FileHandle.standardError.write(Data("Warning: \(failure)\n".utf8))
        }
    }

    /// Opens the existing store and the operations on it.
    func openManager() throws -> CredentialManager {
        CredentialManager(store: try openStore())
    }

    /// Opens the existing store and the policy's operations on it.
    func openPolicy() throws -> PolicyManager {
        PolicyManager(store: try openStore())
    }
}

/// `--user` and `--password-stdin` of the self-service commands.
struct SelfServiceOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Your account name, as your mail client logs in (e.g. alice@example.com); with a server, the one clientpass login signed in.", valueName: "account"),
        completion: Completions.accounts)
    var user: String?

    @Flag(name: .long, help: "Read the mailbox password from the first line of standard input instead of asking for it.")
    var passwordStdin = false

    /// Reads the mailbox password (no-echo prompt or stdin) and signs in with it: the same
    /// sign-in as the page's, throttled on the same counters (under the loopback address) and
    /// audited alike. An unknown account and a wrong password get the same answer.
    /// The store on this host, for a command with `--user`: without it (on an employee's own
    /// computer, say), the way to a server is said before the missing store is.
    func openManager(_ global: GlobalOptions) throws -> CredentialManager {
        _ = try requireUser()
        return try global.openManager()
    }

    private func requireUser() throws -> String {
        guard let user else {
            throw ValidationError("give --user ACCOUNT (or sign in to a clientpass server first with clientpass login)")
        }
        return user
    }

    func authenticate(with manager: CredentialManager) async throws -> Account {
        let user = try requireUser()
        // Only the name's form is checked before the password is asked for: whether an account
        // exists is not told to someone who cannot sign in to it.
        _ = try AccountName(validating: user)
        let term = PasswordTerm.configured()
        let password = try SecretReader.read(fromStandardInput: passwordStdin, prompt: term.apply("Mailbox password for \(user): "))
        let engine = DecisionEngine(store: manager.store, directory: LDAPConnector())
        switch try await engine.signIn(user: user, mailboxPassword: password, address: SignInChannel.commandLineAddress, channel: .commandLine) {
        case .signedIn(let account):
            return account
        case .wrongCredentials:
            throw CommandFailure(
                term.apply("wrong account name or mailbox password; nothing was changed (only the mailbox password opens self-service, never an app password)"))
        case .throttled(let retryAfter):
            throw CommandFailure(
                "too many failed sign-ins for this account or from this host; nothing was changed; try again in \(DurationText.format(retryAfter.rounded(.up)))"
            )
        case .accountDisabled:
            throw CommandFailure("the account \(user) is disabled; nothing was changed; ask your mail administrator to enable it")
        }
    }
}

/// `--yes` and `--dry-run` of the commands that destroy something (`account remove`, `reset`,
/// `admin password revoke --all`): each shows what it will do first, and needs `--yes`, or
/// the account's name typed on a terminal; `--dry-run` only shows it.
struct ConfirmationOptions: ParsableArguments {
    @Flag(name: .long, help: "Do it without asking.")
    var yes = false

    @Flag(name: .long, help: "Only show what it would do; change nothing.")
    var dryRun = false

    func validate() throws {
        if yes && dryRun { throw ValidationError("--yes and --dry-run exclude each other") }
    }

    /// Shows `plan` and says whether to go on: `--yes`, or `word` typed on a terminal.
    /// - Throws: a usage error when there is no terminal to ask and no `--yes`.
    func confirm(_ plan: String, typing word: String, json: Bool, terminalFree: Bool = true) throws -> Bool {
        if dryRun {
            if json { try Output.json(["dry_run": plan]) } else { print("Would: \(plan) (--dry-run: nothing was changed)") }
            return false
        }
        if yes { return true }
        guard terminalFree, isatty(STDIN_FILENO) == 1 else {
            throw ValidationError("this would \(plan); add --yes to do it, or --dry-run to only show it")
        }
        print("This will \(plan). Type \(Quoted(word)) to confirm: ", terminator: "")
        guard let answer = readLine(), answer.lowercased() == word.lowercased() else {
            throw ValidationError("not confirmed; nothing was changed")
        }
        return true
    }
}

/// A refusal the command words itself (exit 1).
struct CommandFailure: Error, LocalizedError, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
    var errorDescription: String? { description }
}

/// A path from the command line made absolute against the working directory, for settings kept
/// for later (in the store, in the user's config) and used from elsewhere.
func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

/// Exit codes every command documents in its help.
enum ExitCodes {
    /// A self-service command with a server whose session ended: `clientpass login` again.
    static let signedOut: Int32 = 4

    /// The self-service commands, which ask for the mailbox password.
    static let standard = """
        Exit codes: 0 success; 1 failure (wrong account name or mailbox password, too many failed \
        sign-ins, store missing, locked or too new, limit reached, server unreachable); 4 signed \
        out of the server (run clientpass login); 64 usage error (bad flag, name, label, network \
        or expiry).

        With --server, CLIENTPASS_SERVER or a server clientpass login used, the command goes to \
        that server's self-service API with the session clientpass login started, and prints \
        the same; without, it uses the store on this host and asks for the mailbox password.
        """

    /// `clientpass login` and `logout`.
    static let remote = """
        Exit codes: 0 success; 1 failure (wrong account name or mailbox password, too many \
        failed sign-ins, the server unreachable or its certificate refused); 64 usage error \
        (bad flag, URL or name; plain http:// to another host).
        """

    /// The administrator's commands, which ask for no mailbox password to sign in.
    static let admin = """
        Exit codes: 0 success; 1 failure (unknown account or department, store missing, locked or \
        too new, limit reached); 64 usage error (bad flag, name, label, network, expiry or password).
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
        } catch let error as SignedOut {
            // The server ended the session: a code of its own, so that scripts can sign in again.
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            throw ExitCode(ExitCodes.signedOut)
        } catch {
            // The core's errors say what happened; here the command to run about it is added.
            guard let message = CommandLineAdvice.message(for: error) else { throw error }
            throw CommandFailure(message)
        }
    }

    /// Prints the message as argument-parser would, without the root command's usage line,
    /// which would mislead here, and exits 64.
    private func usageError(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(message)\n".utf8))
        return ExitCode.validationFailure
    }
}
