import ClientPassCore
import ClientPassTestSupport
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import ClientPassEdge
@testable import ClientPassWeb

/// Thunderbird's autoconfig and Outlook's Autodiscover: the page's servers, for the configured
/// domains, the same for every address (no account is looked up), 404 for other domains.
@Suite struct ClientSetupTests {
    func makeApp() throws -> some ApplicationProtocol {
        let fixture = try TestStore()
        var configuration = ServeConfiguration(
            sharedSecret: try SharedSecret(AuthEndpointTests.secret),
            page: PageConfiguration(mailServers: [
                .imap: MailServer(host: "mail.example.com", port: 993, security: .tls),
                .smtp: MailServer(host: "smtp.example.com", port: 587, security: .starttls),
            ]))
        configuration.mailDomains = [try MailDomain(parsing: "example.com")]
        let engine = DecisionEngine(store: fixture.store, pool: AuthEndpointTests.pool)
        return Application(router: buildRouter(configuration, engine: engine, logger: Logger(label: "test")))
    }

    /// The text of the first element named `name` under `node`.
    func text(_ node: XMLNode, _ path: String) throws -> String? {
        try node.nodes(forXPath: path).first?.stringValue
    }

    @Test func thunderbirdGetsTheServersForAnyAddressOfTheDomain() async throws {
        let app = try makeApp()
        try await app.test(.router) { client in
            var bodies: [String] = []
            for query in ["alice@example.com", "nobody-at-all@example.com"] {
                try await client.execute(uri: "/mail/config-v1.1.xml?emailaddress=\(query)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/xml; charset=utf-8")
                    bodies.append(String(buffer: response.body))
                }
            }
            #expect(bodies[0] == bodies[1], "an existing and a made-up address get the same answer")
            let document = try XMLDocument(xmlString: bodies[0])
            let root = try #require(document.rootElement())
            #expect(try text(root, "emailProvider/domain") == "example.com")
            let imap = try #require(try root.nodes(forXPath: "emailProvider/incomingServer[@type='imap']").first)
            #expect(try text(imap, "hostname") == "mail.example.com" && text(imap, "port") == "993" && text(imap, "socketType") == "SSL")
            #expect(try text(imap, "username") == "%EMAILADDRESS%" && text(imap, "authentication") == "password-cleartext")
            #expect(try root.nodes(forXPath: "emailProvider/incomingServer[@type='pop3']").isEmpty, "no POP3 server is configured")
            let smtp = try #require(try root.nodes(forXPath: "emailProvider/outgoingServer[@type='smtp']").first)
            #expect(try text(smtp, "hostname") == "smtp.example.com" && text(smtp, "port") == "587" && text(smtp, "socketType") == "STARTTLS")

            try await client.execute(
                uri: "/.well-known/autoconfig/mail/config-v1.1.xml", method: .get,
                headers: [HTTPField.Name("Host")!: "autoconfig.example.com"]
            ) { response in
                #expect(response.status == .ok && String(buffer: response.body) == bodies[0])
            }
            for query in ["alice@example.org", "not-an-address", "%3Cscript%3E@example.com"] {
                try await client.execute(uri: "/mail/config-v1.1.xml?emailaddress=\(query)", method: .get) { response in
                    #expect(response.status == .notFound, "\(query)")
                    #expect(!String(buffer: response.body).contains("<script>"))
                }
            }
        }
    }

    @Test func outlookGetsTheServersForAnyAddressOfTheDomain() async throws {
        let app = try makeApp()
        @Sendable func request(_ address: String) -> ByteBuffer {
            ByteBuffer(
                string: """
                    <?xml version="1.0" encoding="utf-8"?>
                    <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
                      <Request><EMailAddress>\(address)</EMailAddress>
                      <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
                      </Request>
                    </Autodiscover>
                    """)
        }
        try await app.test(.router) { client in
            var bodies: [String] = []
            for address in ["alice@example.com", "nobody-at-all@example.com"] {
                try await client.execute(uri: "/autodiscover/autodiscover.xml", method: .post, body: request(address)) { response in
                    #expect(response.status == .ok)
                    bodies.append(String(buffer: response.body).replacingOccurrences(of: address, with: "ADDRESS"))
                }
            }
            #expect(bodies[0] == bodies[1], "identical apart from the address")
            let document = try XMLDocument(xmlString: bodies[0].replacingOccurrences(of: "ADDRESS", with: "alice@example.com"))
            let protocols = try document.nodes(forXPath: "//*[local-name()='Protocol']")
            #expect(protocols.count == 2)
            func field(_ node: XMLNode, _ name: String) throws -> String? {
                try node.nodes(forXPath: "*[local-name()='\(name)']").first?.stringValue
            }
            #expect(try protocols.map { try field($0, "Type") } == ["IMAP", "SMTP"])
            #expect(try field(protocols[0], "Server") == "mail.example.com" && field(protocols[0], "Port") == "993")
            #expect(try field(protocols[0], "SSL") == "on" && field(protocols[0], "SPA") == "off" && field(protocols[0], "LoginName") == "alice@example.com")
            #expect(try field(protocols[1], "Encryption") == "TLS" && field(protocols[1], "Port") == "587")
            for address in ["alice@example.org", "<alice@example.com>", ""] {
                try await client.execute(uri: "/Autodiscover/Autodiscover.xml", method: .post, body: request(address)) { response in
                    #expect(response.status == .notFound, "\(address)")
                }
            }
        }
    }

    @Test func withoutMailDomainsNothingIsAnswered() async throws {
        let fixture = try TestStore()
        let configuration = ServeConfiguration(sharedSecret: try SharedSecret(AuthEndpointTests.secret))
        let app = Application(
            router: buildRouter(
                configuration, engine: DecisionEngine(store: fixture.store, pool: AuthEndpointTests.pool),
                logger: Logger(label: "test")))
        try await app.test(.router) { client in
            try await client.execute(uri: "/mail/config-v1.1.xml?emailaddress=alice@example.com", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}

/// Which servers a password can use is computed once (``Account/usableServices(with:)``): the
/// device card, the page, the API and the command line list the same ones.
@Suite struct UsableServersTests {
    static let servers: [MailService: MailServer] = [
        .imap: MailServer(host: "imap.example.com", port: 993, security: .tls),
        .pop3: MailServer(host: "pop.example.com", port: 995, security: .tls),
        .smtp: MailServer(host: "smtp.example.com", port: 587, security: .starttls),
    ]

    static func account(services: Services) -> Account {
        Account(
            id: 1, name: "alice@example.com", departmentID: nil, department: nil, status: .active, services: services,
            mailboxPasswordHash: "", createdAt: Date(timeIntervalSince1970: 0))
    }

    static func card(for account: Account, limits: CredentialLimits) -> DeviceCard {
        let password = AppPassword(
            accountID: 1, id: 1, label: "Scanner", limits: limits, issuedBy: "admin", createdAt: Date(timeIntervalSince1970: 0),
            lastUsedAt: nil, lastUsedAddress: nil, lastUsedProtocol: nil, selector: "s", hash: "h")
        return DeviceCard(
            account: account, generated: GeneratedAppPassword(appPassword: password, secret: Secret("abcdabcdabcdabcd")),
            servers: servers, helpDesk: nil)
    }

    /// A password with no protocol of its own on an account whose POP3 is off: the card names
    /// no POP3 server (0.13 listed one the password could never log in to).
    @Test func theCardListsOnlyServersThePasswordCanUse() {
        let account = Self.account(services: Services(imap: true, pop3: false, smtp: true))
        let rows = Self.card(for: account, limits: CredentialLimits()).rows.map(\.0)
        #expect(rows.contains("IMAP server") && rows.contains("SMTP server"))
        #expect(!rows.contains("POP3 server"), "\(rows)")
        let smtpOnly = Self.card(for: account, limits: CredentialLimits(protocols: [.smtp, .pop3])).rows.map(\.0)
        #expect(smtpOnly.filter { $0.hasSuffix(" server") } == ["SMTP server"], "\(smtpOnly)")
    }

    /// Every combination of the account's services and the password's protocols: the card and
    /// the page's list agree, and each protocol listed is one a login with the password passes
    /// the service rule for.
    @Test func theCardAndThePageAgree() {
        for bits in 0..<8 {
            let account = Self.account(services: Services(imap: bits & 1 != 0, pop3: bits & 2 != 0, smtp: bits & 4 != 0))
            for protocols in [[], [MailService.imap], [.pop3, .smtp], MailService.allCases] {
                let limits = CredentialLimits(protocols: Set(protocols))
                let onCard = Self.card(for: account, limits: limits).rows.map(\.0).filter { $0.hasSuffix(" server") }
                let onPage = MailServer.shown(for: account, limits: limits, among: Self.servers).map { "\($0.service.displayName) server" }
                #expect(onCard == onPage, "services \(bits), protocols \(protocols)")
                for service in account.usableServices(with: limits) {
                    #expect(account.services[service] && (protocols.isEmpty || protocols.contains(service)))
                }
            }
        }
    }
}
