import ClientPassCore
import Foundation

/// Where the profile signing certificate and key are: `serve --profile-signing-certificate`
/// (`--profile-signing-key`, `--profile-signing-chain`), else the environment, else
/// `profile_signing` in the configuration file. One source for the page and the CLI.
public struct ProfileSigningFiles: Sendable, Equatable {
    public var certificate: String
    public var key: String
    public var chain: String?

    public init(certificate: String, key: String, chain: String? = nil) {
        self.certificate = certificate
        self.key = key
        self.chain = chain
    }

    public static let environmentVariables = (
        certificate: "CLIENTPASS_PROFILE_SIGNING_CERTIFICATE", key: "CLIENTPASS_PROFILE_SIGNING_KEY",
        chain: "CLIENTPASS_PROFILE_SIGNING_CHAIN"
    )

    /// The files named by flags (`nil` when not given), the environment and the file, in that
    /// order of precedence; `nil` when none names a certificate.
    /// - Throws: ``InputError`` when a certificate comes without a key or the other way round.
    public static func resolve(
        certificate: String? = nil, key: String? = nil, chain: String? = nil,
        environment: [String: String], file: ProfileSigningFiles?
    ) throws -> ProfileSigningFiles? {
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let certificate = certificate ?? variable(environmentVariables.certificate)
        let key = key ?? variable(environmentVariables.key)
        let chain = chain ?? variable(environmentVariables.chain)
        guard certificate != nil || key != nil else {
            guard let chain else { return file }
            guard var file else {
                throw InputError("intermediate certificates (\(chain)) are given, but no profile signing certificate and key")
            }
            file.chain = chain
            return file
        }
        guard let certificate, let key else {
            throw InputError(
                "a profile signing certificate needs its key, and a key its certificate: give both (--profile-signing-certificate and --profile-signing-key, or \(environmentVariables.certificate) and \(environmentVariables.key))"
            )
        }
        return ProfileSigningFiles(certificate: certificate, key: key, chain: chain ?? file?.chain)
    }
}
