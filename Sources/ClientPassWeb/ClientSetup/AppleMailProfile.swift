import ClientPassCore
import ClientPassEdge
import Foundation

/// An Apple configuration profile (`.mobileconfig`) that sets up Mail on an iPhone, iPad or Mac
/// with a new app password already in it: one `com.apple.mail.managed` payload with the incoming
/// server (IMAP, else POP3) and SMTP the password may use, from the configured mail servers.
///
/// Installing a profile for the same account and app password again replaces it (the
/// identifiers are stable); the UUIDs are fresh each time. Signed by a ``ProfileSigner`` when one
/// is configured, so the device shows it as verified; unsigned otherwise.
public struct AppleMailProfile: Sendable {
    /// Why no profile can be made for this password.
    public struct Unavailable: Error, CustomStringConvertible, LocalizedError {
        public let description: String
        public var errorDescription: String? { description }
    }

    public let incoming: (service: MailService, server: MailServer)
    public let outgoing: MailServer
    public let emailAddress: String

    /// Checks that a profile can be made before anything is created.
    /// - Parameters:
    ///   - account: the account's name, which must be an email address (Mail needs one).
    ///   - protocols: the password's protocol limit (empty: every protocol).
    ///   - servers: the configured mail servers.
    /// - Throws: ``Unavailable`` naming what is missing.
    public init(account: String, protocols: Set<MailService>, servers: [MailService: MailServer]) throws {
        let allowed = protocols.isEmpty ? Set(MailService.allCases) : protocols
        guard account.contains("@"), account.split(separator: "@").count == 2 else {
            throw Unavailable(description: "a Mail profile needs an email address, and the account \(Quoted(account)) is not one")
        }
        guard let service = [MailService.imap, .pop3].first(where: { allowed.contains($0) && servers[$0] != nil }) else {
            throw Unavailable(
                description:
                    "a Mail profile needs an IMAP or POP3 server the password may use: set mail_servers (or CLIENTPASS_IMAP_SERVER) and allow imap or pop3")
        }
        guard allowed.contains(.smtp), let smtp = servers[.smtp] else {
            throw Unavailable(
                description:
                    "a Mail profile needs the SMTP server and a password allowed to send: set mail_servers' smtp (or CLIENTPASS_SMTP_SERVER) and allow smtp")
        }
        incoming = (service, servers[service]!)
        outgoing = smtp
        emailAddress = account
    }

    /// The profile as an XML property list, with the app password in it, inside a CMS signature
    /// when `signer` is given: treat the file as the password.
    public func data(appPassword: AppPassword, secret: Secret, signedBy signer: ProfileSigner?) throws -> Data {
        let profile = try propertyList(appPassword: appPassword, secret: secret)
        return try signer?.sign(profile) ?? profile
    }

    /// The unsigned property list.
    func propertyList(appPassword: AppPassword, secret: Secret) throws -> Data {
        let password = secret.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        let base = "clientpass.mail." + emailAddress.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        let mail: [String: Any] = [
            "PayloadType": "com.apple.mail.managed",
            "PayloadVersion": 1,
            "PayloadIdentifier": "\(base).app-password-\(appPassword.id).mail",
            "PayloadUUID": UUID().uuidString,
            "PayloadDisplayName": "Mail: \(appPassword.label)",
            "EmailAccountType": incoming.service == .imap ? "EmailTypeIMAP" : "EmailTypePOP",
            "EmailAccountDescription": "\(emailAddress) (\(appPassword.label))",
            "EmailAccountName": emailAddress,
            "EmailAddress": emailAddress,
            "IncomingMailServerHostName": incoming.server.host,
            "IncomingMailServerPortNumber": incoming.server.port,
            "IncomingMailServerUseSSL": true,
            "IncomingMailServerAuthentication": "EmailAuthPassword",
            "IncomingMailServerUsername": emailAddress,
            "IncomingPassword": password,
            "OutgoingMailServerHostName": outgoing.host,
            "OutgoingMailServerPortNumber": outgoing.port,
            "OutgoingMailServerUseSSL": true,
            "OutgoingMailServerAuthentication": "EmailAuthPassword",
            "OutgoingMailServerUsername": emailAddress,
            "OutgoingPassword": password,
            "OutgoingPasswordSameAsIncomingPassword": true,
        ]
        let profile: [String: Any] = [
            "PayloadType": "Configuration",
            "PayloadVersion": 1,
            "PayloadIdentifier": "\(base).app-password-\(appPassword.id)",
            "PayloadUUID": UUID().uuidString,
            "PayloadDisplayName": "Mail for \(emailAddress)",
            "PayloadDescription": "Sets up Mail with the app password \(Quoted(appPassword.label)).",
            "PayloadRemovalDisallowed": false,
            "PayloadContent": [mail],
        ]
        return try PropertyListSerialization.data(fromPropertyList: profile, format: .xml, options: 0)
    }
}
