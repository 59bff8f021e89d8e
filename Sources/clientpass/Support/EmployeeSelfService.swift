import ArgumentParser
import ClientPassCore
import ClientPassEdge
import ClientPassDirectory
import Foundation

/// Where an employee's app passwords are, for `password` and `access`: the store on this host,
/// signed in to with the mailbox password (``LocalSelfService``), or a clientpass server signed
/// in to with `clientpass login` (``RemoteSelfService``). The commands are written once over
/// this protocol and print the same text and `--json` from either.
protocol EmployeeSelfService {
    /// The account signed in to.
    var accountName: String { get }
    /// How `password generate` is written for this account in a hint (`--user` on the mail host).
    var generateCommand: String { get }
    /// Now, as the store's clock tells it on the mail host.
    var now: Date { get }
    func passwords() async throws -> [AppPassword]
    /// A new app password, and the servers to set its mail client up with (as the page shows
    /// them). `expires` is the flag as typed, for a server to read in its own time zone.
    func create(label: Label, limits: CredentialLimits, expires: String?) async throws
        -> (generated: GeneratedAppPassword, servers: [(service: MailService, server: MailServer)])
    func rename(_ id: Int, to label: Label) async throws -> AppPassword
    /// Revokes one app password, or every one (`id` nil); ends the mail sessions of an account
    /// that lost access. What was revoked, with the labels it had.
    func revoke(_ id: Int?) async throws -> [AppPassword]
    func access() async throws -> AccessReport
}

extension SelfServiceOptions {
    /// The server signed in to when there is one (`--server`, `CLIENTPASS_SERVER` or `clientpass
    /// login`'s), else the store on this host after the mailbox password is checked.
    func resolve(_ global: GlobalOptions, _ remote: RemoteOptions) async throws -> any EmployeeSelfService {
        if let server = try remote.resolve() {
            return try RemoteSelfService(server: server, passwordStdin: passwordStdin)
        }
        let manager = try openManager(global)
        return LocalSelfService(manager: manager, account: try await authenticate(with: manager), global: global)
    }
}

/// The store on this host, for the account whose mailbox password was given.
struct LocalSelfService: EmployeeSelfService {
    let manager: CredentialManager
    let account: Account
    let global: GlobalOptions

    var accountName: String { account.name }
    var generateCommand: String { "clientpass password generate --user \(account.name)" }
    var now: Date { manager.currentDate }

    func passwords() async throws -> [AppPassword] {
        try manager.appPasswords(of: account)
    }

    func create(label: Label, limits: CredentialLimits, expires: String?) async throws
        -> (generated: GeneratedAppPassword, servers: [(service: MailService, server: MailServer)])
    {
        let generated = try manager.generateAppPassword(for: account, label: label, limits: limits, by: .account(account.name))
        return (generated, MailServer.shown(for: account, limits: limits, among: try ProfileOptions.configuredServers()))
    }

    func rename(_ id: Int, to label: Label) async throws -> AppPassword {
        try manager.relabelAppPassword(id, of: account, to: label, by: .account(account.name))
    }

    func revoke(_ id: Int?) async throws -> [AppPassword] {
        try revokeAppPasswords(id, of: account, with: manager, by: .account(account.name), global: global)
    }

    func access() async throws -> AccessReport {
        AccessReport(try manager.access(for: account))
    }
}

/// A clientpass server's self-service API, with the token `clientpass login` kept.
struct RemoteSelfService: EmployeeSelfService {
    let server: RemoteServer
    let accountName: String
    /// Whether the mailbox password, when the server asks for it again, comes from standard input.
    let passwordStdin: Bool

    init(server: RemoteServer, passwordStdin: Bool) throws {
        self.server = server
        self.accountName = try server.signedInAccount()
        self.passwordStdin = passwordStdin
    }

    var generateCommand: String { "clientpass password generate" }
    var now: Date { Date() }

    func passwords() async throws -> [AppPassword] {
        try await server.listPasswords()
    }

    func create(label: Label, limits: CredentialLimits, expires: String?) async throws
        -> (generated: GeneratedAppPassword, servers: [(service: MailService, server: MailServer)])
    {
        try await server.createPassword(label: label.value, limits: limits, expires: expires) {
            try SecretReader.read(
                fromStandardInput: passwordStdin,
                prompt: "Your last sign-in is more than 5 minutes old. The password you sign in with (not an app password): ")
        }
    }

    func rename(_ id: Int, to label: Label) async throws -> AppPassword {
        try await server.renamePassword(id, to: label.value)
    }

    func revoke(_ id: Int?) async throws -> [AppPassword] {
        try await server.revoke(id)
    }

    func access() async throws -> AccessReport {
        try AccessReport(try await server.access())
    }
}
