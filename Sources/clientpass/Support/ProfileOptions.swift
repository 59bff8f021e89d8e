import ArgumentParser
import ClientPassCore
import ClientPassWeb
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `--profile apple --output FILE` of `password generate` and `admin password issue`: a Mail
/// configuration profile with the new app password in it.
struct ProfileOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case apple
    }

    @Option(name: .long, help: "Also write a configuration profile with the new password in it: apple (Mail on iPhone, iPad, Mac).")
    var profile: Kind?

    @Option(name: .long, help: ArgumentHelp("Where to write the profile: a new file, mode 0600 (it holds the password).", valueName: "path"),
            completion: .file(extensions: ["mobileconfig"]))
    var output: String?

    func validate() throws {
        if (profile == nil) != (output == nil) { throw ValidationError("--profile and --output go together") }
    }

    /// Checks, before the password is made, that the profile can be: the account is an email
    /// address and the configured servers cover what the password may use.
    func prepare(for account: Account, limits: CredentialLimits) throws -> AppleMailProfile? {
        guard profile != nil, let output else { return nil }
        if FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) already exists; choose a new file (it will hold the password)")
        }
        do {
            return try AppleMailProfile(account: account.name, protocols: limits.protocols, servers: Self.configuredServers())
        } catch let error as AppleMailProfile.Unavailable {
            throw ValidationError(error.description)
        }
    }

    /// Writes the profile to `--output`, created new with mode 0600.
    func write(_ profile: AppleMailProfile, for generated: GeneratedAppPassword) throws {
        guard let output else { return }
        let data = try profile.data(appPassword: generated.appPassword, secret: generated.secret)
        let descriptor = open(output, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure("cannot write the profile to \(output): \(String(cString: strerror(errno))); the app password was made, revoke it or use it by hand")
        }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw CommandFailure("could not write all of the profile to \(output); the app password was made, revoke it or use it by hand")
        }
    }

    /// The mail servers employees' clients use: $CLIENTPASS_IMAP_SERVER (POP3, SMTP), else
    /// `mail_servers` in the configuration file.
    static func configuredServers() throws -> [MailService: MailServer] {
        var servers: [MailService: MailServer] = [:]
        if let file = ConfigFile.loadImplicit(), file.problems.isEmpty { servers = file.config.mailServers }
        let environment = ProcessInfo.processInfo.environment
        for (service, variable) in MailServer.environmentVariables {
            if let text = environment[variable], !text.isEmpty { servers[service] = try MailServer(parsing: text) }
        }
        return servers
    }
}
