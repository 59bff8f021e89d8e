import ClientPassAPI
import ArgumentParser
import ClientPassCore
import Foundation

/// `--server` and `--ca-file` of the self-service commands: use a `clientpass serve` instead of
/// the store on this host.
struct RemoteOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Use this clientpass server (https://…) instead of the store on this host; default: CLIENTPASS_SERVER, else the one clientpass login used.",
            valueName: "url"))
    var server: String?

    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("CA certificates (PEM) to check the server's certificate with, instead of the system's.", valueName: "path"),
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
        if let user {
            account = user
        } else {
            guard isatty(STDIN_FILENO) == 1 else { throw ValidationError("give --user ACCOUNT: there is no terminal to ask on") }
            FileHandle.standardError.write(Data("Account: ".utf8))
            account = (readLine() ?? "").trimmingCharacters(in: .whitespaces)
        }
        _ = try AccountName(validating: account)
        let password = try SecretReader.read(
            fromStandardInput: passwordStdin,
            prompt: "Password for \(account) on \(server.url.host ?? "") (the one you sign in to the self-service page with, never an app password): ")
        let session = try await server.withClient(token: nil) { client -> Components.Schemas.Session in
            let typed = password.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            switch try await client.signIn(body: .json(.init(account: account, password: typed))) {
            case .created(let created): return try created.body.json
            case .unauthorized(let refused):
                // The server's words: its own term for the password employees sign in with.
                throw CommandFailure(
                    (try? refused.body.applicationProblemJson.detail) ?? nil ?? "wrong account name or password (an app password never signs in)")
            case .forbidden: throw CommandFailure("the account \(account) is disabled; ask your mail administrator to enable it")
            case .tooManyRequests(let throttled):
                throw CommandFailure(
                    "too many failed sign-ins for this account or from this computer; try again in \(DurationText.format(TimeInterval(throttled.headers.retryAfter)))"
                )
            case .badRequest(let problem): throw CommandFailure(try problem.body.applicationProblemJson.detail ?? "the server refused the request")
            case .serviceUnavailable: throw CommandFailure("the server cannot check the password right now (temporary failure); try again")
            case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
            }
        }
        try server.save(token: session.token, account: session.account)
        if global.json {
            try Output.json(["server": server.url.absoluteString, "account": session.account, "expires_at": RFC3339.string(from: session.expiresAt)])
        } else {
            print(
                "Signed in to \(server.url.absoluteString) as \(session.account). The session ends after \(DurationText.format(TimeInterval(session.idleTimeoutSeconds))) unused, and at \(HumanTime.localDate(session.expiresAt)) at the latest."
            )
        }
    }
}

struct LogoutCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "End the session clientpass login started, on the server and here.",
        discussion: """
            Ends the session on the server that issued it, then deletes the token here. The \
            token goes to that server only: with --server or CLIENTPASS_SERVER naming another \
            one, logout refuses and keeps the token. When the server cannot be reached or \
            refuses, the token is kept (so that logout can be tried again); --local deletes it \
            here without asking any server (the session then ends on the server when it \
            expires: unused for its idle time, or 12 hours after sign-in).

            \(ExitCodes.remote)
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Flag(name: .long, help: "Delete the token on this computer only, without ending the session on the server.")
    var local = false

    func execute() async throws {
        let saved = try RemoteServer.savedConfiguration()
        guard RemoteServer.savedToken() != nil else {
            RemoteServer.forgetToken()
            if global.json { try Output.json(["signed_out": true]) } else { print("Not signed in; nothing to end.") }
            return
        }
        if local {
            RemoteServer.forgetToken()
            if global.json {
                try Output.json(["signed_out": true, "ended_on_server": false])
            } else {
                print("Deleted the token on this computer. The session\(saved.map { " on \($0.server)" } ?? "") ends when it expires.")
            }
            return
        }
        guard let server = try remote.resolve() else {
            throw CommandFailure("no server to end the session on: give --server, or --local to delete the token here only")
        }
        guard let issuer = saved?.server, issuer == server.url.absoluteString else {
            throw CommandFailure(
                "the token was issued by \(saved?.server ?? "another server"), not \(server.url.absoluteString), and is sent to no other server; "
                    + "run clientpass logout without --server and CLIENTPASS_SERVER, or with --local to delete it here only")
        }
        let token = try server.token()
        do {
            try await server.withClient(token: token) { client in
                switch try await client.signOut() {
                case .noContent, .unauthorized: break
                case .undocumented(let status, _): throw CommandFailure("the server answered \(status)")
                }
            }
        } catch let failure as CommandFailure {
            throw CommandFailure("\(failure.description); the token is still kept (clientpass logout --local deletes it here only)")
        }
        RemoteServer.forgetToken()
        if global.json {
            try Output.json(["signed_out": true, "ended_on_server": true])
        } else {
            print("Signed out of \(server.url.absoluteString).")
        }
    }
}
