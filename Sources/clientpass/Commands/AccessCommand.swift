import ClientPassAPI
import ArgumentParser
import ClientPassCore
import Foundation

struct AccessCommand: ClientPassSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Show which services and networks your mail clients may use.",
        discussion: """
            Shows whether IMAP, POP3 and SMTP are on for your account, whether third-party \
            clients are allowed or only from secure networks, and whether your mailbox password \
            still works in mail clients or only app passwords do.

            \(ExitCodes.standard)
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var selfService: SelfServiceOptions
    @OptionGroup var remote: RemoteOptions

    func execute() async throws {
        let summary = try await selfService.resolve(global, remote).access()
        if global.json {
            try Output.json(AccessJSON(summary: summary))
        } else {
            printAccess(summary, term: .configured())
        }
    }
}

/// What `access` (and `admin account show`) print of an account's access: from the store's
/// summary, or from the server's API, alike.
struct AccessReport {
    let accountName: String
    let department: String?
    let isDisabled: Bool
    let services: Services
    let thirdPartyClients: DomainPolicy.ThirdPartyClients
    let secureNetworks: [SecureNetwork]
    let firstPartyHosts: [FirstPartyHost]
    let isSecurePasswordRequired: Bool
    let isException: Bool

    init(_ summary: AccessSummary) {
        accountName = summary.account.name
        department = summary.account.department
        isDisabled = summary.account.status == .disabled
        services = summary.account.services
        thirdPartyClients = summary.thirdPartyClients
        secureNetworks = summary.secureNetworks
        firstPartyHosts = summary.firstPartyHosts
        isSecurePasswordRequired = summary.isSecurePasswordRequired
        isException = summary.isException
    }

    init(_ access: Components.Schemas.Access) throws {
        accountName = access.account
        department = access.department
        isDisabled = access.status != .active
        services = Services(imap: access.services.imap, pop3: access.services.pop3, smtp: access.services.smtp)
        thirdPartyClients = access.thirdPartyClients == .allowed ? .allowed : .blocked
        secureNetworks = try access.secureNetworks.map { SecureNetwork(network: try IPNetwork(parsing: $0.network), note: $0.note) }
        firstPartyHosts = try access.firstPartyHosts.map { FirstPartyHost(network: try IPNetwork(parsing: $0.network), note: $0.note) }
        isSecurePasswordRequired = access.securePasswordRequired
        isException = access.exception
    }
}

/// `term`: what the employee calls the password they sign in with (an administrator's
/// `admin account show` keeps the product's word).
func printAccess(_ summary: AccessReport, term: PasswordTerm = .standard) {
    let services = MailService.allCases.map { "\($0.displayName) \(summary.services[$0] ? "on" : "off")" }.joined(separator: ", ")
    let networks =
        summary.secureNetworks.isEmpty
        ? "none"
        : summary.secureNetworks.map { $0.note.isEmpty ? $0.network.description : "\($0.network) (\($0.note))" }.joined(separator: ", ")
    let clients: String
    switch summary.thirdPartyClients {
    case .allowed: clients = "allowed from any network"
    case .blocked:
        clients =
            summary.secureNetworks.isEmpty
            ? "blocked (no secure networks are set, so mail clients cannot log in)"
            : "blocked, except from the secure networks"
    }
    let password: String
    if summary.isException {
        password = term.apply("no: this account is an exception and keeps using its mailbox password")
    } else if summary.isSecurePasswordRequired {
        password = term.apply("yes: mail clients need an app password; the mailbox password does not work in them")
    } else {
        password = term.apply("no: mail clients may use the mailbox password or an app password")
    }
    print(
        """
        Account:              \(summary.accountName)\(summary.department.map { " (\($0))" } ?? "")\(summary.isDisabled ? ", DISABLED: no access at all" : "")
        Services:             \(services)
        Third-party clients:  \(clients)
        Secure networks:      \(networks)
        App password needed:  \(password)
        Webmail and app:      \(summary.firstPartyHosts.isEmpty ? "none set up" : describe(summary.firstPartyHosts) + term.apply(": the mailbox password always works there, an app password never"))
        """)
}
