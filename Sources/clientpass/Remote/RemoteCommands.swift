import ArgumentParser
import ClientPassCore
import Foundation

/// `--server` and `--ca-file` of the self-service commands: use a `clientpass serve` instead of
/// the store on this host.
struct RemoteOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.", valueName: "url"))
    var server: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("CA certificates (PEM) to check the server's certificate with, instead of the system's.", valueName: "path"),
            completion: .file())
    var caFile: String?

    /// The server to use, or `nil` for the store on this host.
    func resolve() throws -> RemoteServer? {
        try RemoteServer.resolve(flag: server, caFile: caFile.map(absolutePath))
    }
}

struct LoginCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in to a clientpass server, for the self-service commands on this computer.",
        discussion: """
            Asks for your account name and your mailbox password (never an app password; no \
            echo, or the first line of standard input with --password-stdin), signs in to the \
            server's self-service API and keeps the token in $XDG_CONFIG_HOME/clientpass/session \
            (~/.config/clientpass/session; 0600, in a 0700 folder) and the server in \
            config.yaml beside it. `clientpass password …` and `clientpass access` then go to \
            that server. The token ends as a page session ends: unused for the server's idle \
            time (15 minutes by default), 12 hours after sign-in, at `clientpass logout`, or \
            when the account is disabled or its mailbox password changes.

            The server must be https:// (checked against the system's CAs, or --ca-file); plain \
            http:// is refused unless it is this computer.

            \(ExitCodes.remote)
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Option(name: .long, help: ArgumentHelp("Your account name (asked for when missing).", valueName: "account"))
    var user: String?

    @Flag(name: .long, help: "Read the mailbox password from the first line of standard input instead of asking for it.")
    var passwordStdin = false

    func execute() async throws {
        guard let server = try remote.resolve() else {
            throw ValidationError("give --server https://mail.example.com (or set CLIENTPASS_SERVER)")
        }
        let account: String
        if let user { account = user } else {
            guard isatty(STDIN_FILENO) == 1 else { throw ValidationError("give --user ACCOUNT: there is no terminal to ask on") }
            FileHandle.standardError.write(Data("Account: ".utf8))
            account = (readLine() ?? "").trimmingCharacters(in: .whitespaces)
        }
        _ = try AccountName(validating: account)
        let password = try SecretReader.read(fromStandardInput: passwordStdin, prompt: "Mailbox password for \(account) on \(server.url.host ?? ""): ")
        let session = try await server.withClient(token: nil) { client -> Components.Schemas.Session in
            let typed = password.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            switch try await client.signIn(body: .json(.init(account: account, password: typed))) {
            case .created(let created): return try created.body.json
            case .unauthorized: throw CommandFailure("wrong account name or mailbox password (only the mailbox password signs in, never an app password)")
            case .forbidden: throw CommandFailure("the account \(account) is disabled; ask your mail administrator to enable it")
            case .tooManyRequests(let throttled):
                throw CommandFailure("too many failed sign-ins for this account or from this computer; try again in \(DurationText.format(TimeInterval(throttled.headers.retryAfter)))")
            case .badRequest(let problem): throw CommandFailure(try problem.body.applicationProblemJson.detail ?? "the server refused the request")
            case .serviceUnavailable: throw CommandFailure("the server cannot check the password right now (temporary failure); try again")
            case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
            }
        }
        try server.save(token: session.token, account: session.account)
        if global.json {
            try Output.json(["server": server.url.absoluteString, "account": session.account, "expires_at": RFC3339.string(from: session.expiresAt)])
        } else {
            print("Signed in to \(server.url.absoluteString) as \(session.account). The session ends after \(DurationText.format(TimeInterval(session.idleTimeoutSeconds))) unused, and at \(HumanTime.localDate(session.expiresAt)) at the latest.")
        }
    }
}

struct LogoutCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the session clientpass login started, on the server and here.",
        discussion: ExitCodes.remote)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    func execute() async throws {
        guard let server = try remote.resolve(), let token = RemoteServer.savedToken() else {
            RemoteServer.forgetToken()
            if global.json { try Output.json(["signed_out": true]) } else { print("Not signed in; nothing to end.") }
            return
        }
        try await server.withClient(token: token) { client in
            switch try await client.signOut() {
            case .noContent, .unauthorized: break
            case .undocumented(let status, _): throw CommandFailure("the server answered \(status); the token is still kept")
            }
        }
        RemoteServer.forgetToken()
        if global.json { try Output.json(["signed_out": true]) } else { print("Signed out of \(server.url.absoluteString).") }
    }
}
