import ArgumentParser
import ClientPassCore
import ClientPassEdge
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

    @Option(
        name: .long, help: ArgumentHelp("Where to write the profile: a new file, mode 0600 (it holds the password).", valueName: "path"),
        completion: .file(extensions: ["mobileconfig"]))
    var output: String?

    func validate() throws {
        if (profile == nil) != (output == nil) { throw ValidationError("--profile and --output go together") }
    }

    /// A profile that can be made, and who signs it.
    struct Prepared {
        let profile: AppleMailProfile
        let signer: ProfileSigner?
    }

    /// Checks, before the password is made, that the profile can be: the account is an email
    /// address, the configured servers cover what the password may use, and the configured
    /// signing certificate and key (if any) can sign.
    func prepare(for account: Account, limits: CredentialLimits) throws -> Prepared? {
        guard profile != nil, let output else { return nil }
        if FileManager.default.fileExists(atPath: output) {
            throw ValidationError("\(output) already exists; choose a new file (it will hold the password)")
        }
        do {
            let profile = try AppleMailProfile(account: account.name, protocols: limits.protocols, servers: Self.configuredServers())
            return Prepared(profile: profile, signer: try Self.configuredSigner())
        } catch let error as AppleMailProfile.Unavailable {
            throw ValidationError("\(error.description) (\(ConfigFile.implicitSourceDescription))")
        } catch let error as InputError {
            throw ValidationError("cannot sign the Mail profile: \(error)")
        }
    }

    /// Writes the profile to `--output`, created new with mode 0600, and says on standard error
    /// whether it is signed.
    func write(_ prepared: Prepared, for generated: GeneratedAppPassword) throws {
        guard let output else { return }
        let data = try prepared.profile.data(appPassword: generated.appPassword, secret: generated.secret, signedBy: prepared.signer)
        let descriptor = open(output, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure(
                "cannot write the profile to \(output): \(String(cString: strerror(errno))); the app password was made, revoke it or use it by hand")
        }
        defer { close(descriptor) }
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else {
            throw CommandFailure("could not write all of the profile to \(output); the app password was made, revoke it or use it by hand")
        }
        if let signer = prepared.signer {
            FileHandle.standardError.write(Data("Wrote the Mail profile to \(output), signed by \(signer.name).\n".utf8))
        } else {
            FileHandle.standardError.write(
                Data("Wrote the Mail profile to \(output), unsigned: the device shows it as “Not Verified” (configure profile_signing to sign it).\n".utf8))
        }
    }

    /// The configured signer: $CLIENTPASS_PROFILE_SIGNING_CERTIFICATE and …_KEY, else
    /// `profile_signing` in the configuration file; `nil` when neither names one.
    static func configuredSigner() throws -> ProfileSigner? {
        let file = ConfigFile.loadImplicit().flatMap { $0.problems.isEmpty ? $0.config.profileSigning : nil }
        return try ProfileSigningFiles.resolve(environment: ProcessInfo.processInfo.environment, file: file)?.load()
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

extension PasswordTerm {
    /// What employees call the password they sign in with, for the self-service commands:
    /// $CLIENTPASS_MAILBOX_PASSWORD_TERM, else `mailbox_password_term` in the configuration file,
    /// else "mailbox password". A value that is not a valid term is passed over.
    static func configured() -> PasswordTerm {
        if let text = ProcessInfo.processInfo.environment[environmentVariable], let term = try? PasswordTerm(validating: text) { return term }
        if let file = ConfigFile.loadImplicit(), file.problems.isEmpty, let term = file.config.mailboxPasswordTerm { return term }
        return .standard
    }
}
