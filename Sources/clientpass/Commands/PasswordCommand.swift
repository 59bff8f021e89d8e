import ArgumentParser
import ClientPassCore
import ClientPassEdge
import Foundation

struct PasswordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password",
        abstract: "Generate, list, label and revoke your app passwords.",
        discussion: """
            An app password is what you type into a mail client (Outlook, Thunderbird, a phone) \
            instead of your mailbox password. Each command asks for your mailbox password (never \
            an app password) on the terminal, without echo, or reads it from the first line of \
            standard input with --password-stdin.
            """,
        subcommands: [Generate.self, List.self, Relabel.self, Revoke.self]
    )
}

extension PasswordCommand {
    struct Generate: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Make a new app password and show it once.",
            discussion: """
                The password is 16 lowercase letters in four groups (spaces and case do not \
                matter when you type it). clientpass keeps only a hash: it cannot show it again.

                Limits narrow where it works: --protocols imap,smtp; --networks 10.0.3.0/24,2001:db8::/32; \
                --expires 90d (h, d or w) or YYYY-MM-DD (it works through that day). An account has \
                at most 25 app passwords.

                With --profile apple --output FILE it also writes a configuration profile that sets \
                up Mail on an iPhone, iPad or Mac with the new password in it (the servers from \
                mail_servers in the configuration file, or CLIENTPASS_IMAP_SERVER and \
                CLIENTPASS_SMTP_SERVER); see docs/devices.md.

                \(ExitCodes.standard)
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selfService: SelfServiceOptions
        @OptionGroup var remote: RemoteOptions
        @OptionGroup var options: NewAppPasswordOptions
        @OptionGroup var profile: ProfileOptions

        func execute() async throws {
            if profile.profile != nil, try remote.resolve() != nil {
                throw ValidationError("--profile works with the store on the mail host only; on this computer, use the page's QR code")
            }
            let request = try options.request(now: Date())
            let service = try await selfService.resolve(global, remote)
            // A Mail profile is made on the mail host, where the account's services are known.
            let local = service as? LocalSelfService
            let mailProfile = try local.flatMap { try profile.prepare(for: $0.account, limits: request.limits) }
            let (generated, servers) = try await service.create(label: request.label, limits: request.limits, expires: options.expires)
            if let mailProfile { try profile.write(mailProfile, for: generated) }
            try printGenerated(generated, for: service.accountName, json: global.json, now: service.now, servers: servers, term: .configured())
        }
    }

    struct List: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List your app passwords: id, label, created, last used and limits.",
            discussion: ExitCodes.standard)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selfService: SelfServiceOptions
        @OptionGroup var remote: RemoteOptions

        func execute() async throws {
            let service = try await selfService.resolve(global, remote)
            try printAppPasswords(
                try await service.passwords(), of: service.accountName, json: global.json, now: service.now, generate: service.generateCommand)
        }
    }

    struct Relabel: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "label",
            abstract: "Rename one of your app passwords.",
            discussion: ExitCodes.standard)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selfService: SelfServiceOptions

        @Argument(help: "The app password's id (see `password list`).")
        var id: Int

        @Argument(help: "The new label, 1–64 characters.")
        var newLabel: String

        @OptionGroup var remote: RemoteOptions

        func execute() async throws {
            let label = try Label(validating: newLabel)
            let service = try await selfService.resolve(global, remote)
            let renamed = try await service.rename(id, to: label)
            if global.json {
                try Output.json(AppPasswordJSON(appPassword: renamed, includeUsage: true))
            } else {
                print("App password \(renamed.id) of \(service.accountName) is now \(Quoted(renamed.label)).")
            }
        }
    }

    struct Revoke: ClientPassSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke",
            abstract: "Revoke one of your app passwords, or all of them.",
            discussion: """
                A revoked password stops working at the next login. Its id is never reused. With \
                --all it says how many it will revoke and needs --yes (or your account's name \
                typed on a terminal); --dry-run only shows it.

                \(ExitCodes.standard)
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selfService: SelfServiceOptions

        @OptionGroup var remote: RemoteOptions
        @OptionGroup var target: RevokeTarget
        @OptionGroup var confirmation: ConfirmationOptions

        func execute() async throws {
            let service = try await selfService.resolve(global, remote)
            if target.all {
                guard try confirmAll(try await service.passwords().count, of: service.accountName) else { return }
            }
            try printRevoked(try await service.revoke(target.id), of: service.accountName, json: global.json)
        }

        /// `--all`, as the admin command and the page do: says how many, and goes on with
        /// `--yes` or the account's name typed on a terminal.
        private func confirmAll(_ count: Int, of accountName: String) throws -> Bool {
            try confirmation.confirm(
                "revoke \(count == 1 ? "your one app password" : "all \(count) of your app passwords") (\(accountName))",
                typing: accountName, json: global.json)
        }
    }
}

/// `--label`, `--protocols`, `--networks`, `--expires` of a new app password, shared by
/// `password generate` and `admin password issue`.
struct NewAppPasswordOptions: ParsableArguments {
    @Option(name: .long, help: "What it is for, 1–64 characters (e.g. \"Outlook on laptop\").")
    var label: String

    @Option(name: .long, help: ArgumentHelp("Only these protocols, comma-separated: imap, pop3, smtp.", valueName: "list"), completion: Completions.protocols)
    var protocols: String?

    @Option(name: .long, help: ArgumentHelp("Only from these addresses or CIDR ranges, comma-separated.", valueName: "list"))
    var networks: String?

    @Option(name: .long, help: ArgumentHelp("Stop working after a duration (12h, 90d, 8w) or after a date (YYYY-MM-DD).", valueName: "when"))
    var expires: String?

    /// The validated label and limits.
    /// - Throws: ``InputError`` for a bad label, protocol, network or expiry.
    func request(now: Date) throws -> (label: Label, limits: CredentialLimits) {
        (
            try Label(validating: label),
            CredentialLimits(
                protocols: try protocols.map(MailService.parseList) ?? [],
                networks: try networks.map(IPNetwork.parseList) ?? [],
                expiresAt: try expires.map { try Expiry.parse($0, now: now) })
        )
    }
}

/// - Parameters:
///   - servers: what to type into the mail client with it, as the page shows it (`password
///     generate`); none for an administrator's commands.
///   - term: what the employee calls the password they sign in with.
func printGenerated(
    _ generated: GeneratedAppPassword, for accountName: String, json: Bool, now: Date,
    servers: [(service: MailService, server: MailServer)] = [], term: PasswordTerm = .standard
) throws {
    let password = generated.appPassword
    if json {
        try Output.json(AppPasswordJSON(appPassword: password, password: generated.displayPassword, includeUsage: false, servers: servers))
        return
    }
    print(
        """
        New app password \(password.id) \(Quoted(password.label)) for \(accountName):

            \(generated.displayPassword)

        Type it into the mail client instead of the \(term); spaces are optional.
        It is shown only this once: clientpass keeps nothing but a hash of it.
        Limits: \(describeLimits(password.limits, now: now)).
        """)
    guard !servers.isEmpty else { return }
    print("\nSettings for the mail client (user name \(accountName), this password, normal password authentication):")
    Output.table(
        ["SERVER", "HOST", "PORT", "SECURITY"],
        servers.map { service, server in
            [service.displayName + (service == .smtp ? " (outgoing)" : " (incoming)"), server.host, String(server.port), server.security.displayName]
        })
}

/// - Parameter generate: the command that makes one, for the hint when there are none.
func printAppPasswords(_ passwords: [AppPassword], of accountName: String, json: Bool, now: Date, generate: String) throws {
    if json {
        try Output.json(passwords.map { AppPasswordJSON(appPassword: $0, includeUsage: true) })
        return
    }
    guard !passwords.isEmpty else {
        print("\(accountName) has no app passwords. Make one with `\(generate) --label LABEL`.")
        return
    }
    let rows = passwords.map { password -> [String] in
        var lastUsed = "never"
        if let at = password.lastUsedAt {
            lastUsed = HumanTime.relative(at, now: now)
            if let address = password.lastUsedAddress { lastUsed += " from \(address)" }
            if let service = password.lastUsedProtocol { lastUsed += " (\(service.displayName))" }
        }
        return [
            String(password.id), password.label, HumanTime.relative(password.createdAt, now: now), lastUsed,
            describeLimits(password.limits, now: now),
        ]
    }
    Output.table(["ID", "LABEL", "CREATED", "LAST USED", "LIMITS"], rows)
}

/// An app password id, or `--all`: what `password revoke` and `admin password revoke` revoke.
struct RevokeTarget: ParsableArguments {
    @Argument(help: "The app password's id (see `password list`).")
    var id: Int?

    @Flag(name: .long, help: "Revoke every app password of the account.")
    var all = false

    func validate() throws {
        if all == (id != nil) {
            throw ValidationError("give either an app password id or --all")
        }
    }
}

/// Revokes one app password of `account`, or every one (`id` nil), in the store on this host,
/// and ends the mail sessions of an account that lost access: `password revoke` there, and an
/// administrator's `admin password revoke`. What was revoked.
func revokeAppPasswords(_ id: Int?, of account: Account, with manager: CredentialManager, by actor: AuditActor, global: GlobalOptions) throws
    -> [AppPassword]
{
    let revoked: [AppPassword]
    let consequences: Consequences
    if let id {
        let result = try manager.revokeAppPassword(id, of: account, by: actor)
        (revoked, consequences) = ([result.revoked], result.consequences)
    } else {
        (revoked, consequences) = try manager.revokeAllAppPasswords(of: account, by: actor)
    }
    global.endSessions(consequences)
    return revoked
}

/// What `password revoke` and `admin password revoke` print.
func printRevoked(_ revoked: [AppPassword], of accountName: String, json: Bool) throws {
    if json {
        try Output.json(["revoked": revoked.map(\.id)])
    } else if revoked.isEmpty {
        print("\(accountName) had no app passwords; nothing was revoked.")
    } else {
        for password in revoked {
            print("Revoked app password \(password.id) \(Quoted(password.label)) of \(accountName).")
        }
    }
}
