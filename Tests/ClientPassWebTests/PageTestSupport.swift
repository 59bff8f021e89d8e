import ClientPassCore
import ClientPassEdge
import ClientPassTestSupport
import ClientPassWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization

/// An in-memory store with alice (mailbox password ``PageLab/alicePassword``, one app
/// password "Phone") and bob (one app password "Laptop", id 1, and "Tablet", id 2), and the
/// application over it, on a clock the test moves.
struct PageLab {
    static let pool = HashingPool(size: 2)

    let store: SQLiteStore
    let clock: TestClock
    let engine: DecisionEngine
    let manager: CredentialManager
    let app: any ApplicationProtocol
    let alice: Account
    /// Alice's app password "Phone", as typed.
    let alicePhone: String
    let bobLaptop: String
    let bobTablet: String

    init(
        page: PageConfiguration = PageConfiguration(
            mailServers: [
                .imap: MailServer(host: "mail.example.com", port: 993, security: .tls),
                .smtp: MailServer(host: "mail.example.com", port: 587, security: .starttls),
            ],
            trustedProxies: [try! IPNetwork(parsing: "127.0.0.1")]),
        terminator: SessionTerminator? = nil, mailboxHasher: (any PasswordHasher)? = nil
    ) throws {
        let fixture = try TestStore(accounts: [.init("alice@example.com"), .init("bob@example.com")])
        let clock = fixture.clock
        store = fixture.store
        self.clock = clock
        manager = fixture.manager
        alice = try fixture.account("alice@example.com")
        alicePhone = try fixture.issue("Phone").displayPassword
        bobLaptop = try fixture.issue("Laptop", to: "bob@example.com").displayPassword
        bobTablet = try fixture.issue("Tablet", to: "bob@example.com").displayPassword
        try fixture.allowThirdPartyClients()
        engine = DecisionEngine(store: store, mailboxHasher: mailboxHasher, pool: Self.pool, now: { clock.now })
        let configuration = ServeConfiguration(
            sharedSecret: try SharedSecret(AuthEndpointTests.secret), page: page,
            sessionTerminator: terminator,
            metricsToken: try SharedSecret(MetricsTests.token))
        app = Application(router: buildRouter(configuration, engine: engine, logger: Logger(label: "test")))
    }

    /// A second `serve` on the same store (another node): its own engine and application.
    func secondNode() throws -> some ApplicationProtocol {
        let clock = self.clock
        let engine = DecisionEngine(store: store, pool: Self.pool, now: { clock.now })
        let configuration = ServeConfiguration(
            sharedSecret: try SharedSecret(AuthEndpointTests.secret),
            page: PageConfiguration(trustedProxies: [try IPNetwork(parsing: "127.0.0.1")]),
            metricsToken: try SharedSecret(MetricsTests.token))
        return Application(router: buildRouter(configuration, engine: engine, logger: Logger(label: "test")))
    }

    /// Whether a mail client gets in over IMAP with this secret.
    func imapAllows(_ user: String, _ secret: String, from address: String = "198.51.100.7") async throws -> Bool {
        if case .allow = try await engine.decide(LoginRequest(user: user, secret: Secret(secret), service: .imap, address: IPAddress(address)!)) {
            return true
        }
        return false
    }
}

/// A page as the test browser received it.
struct Page {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: String
    /// The body as received (a signed profile is not text).
    let bytes: [UInt8]

    var location: String? { headers[.location] }
    var setCookies: [String] { headers[values: .setCookie] }

    /// The first form's CSRF token.
    var csrf: String? { firstMatch(#"name="csrf" value="([^"]+)""#) }
    /// The `role="alert"` message.
    var error: String? { firstMatch(#"<p class="error" role="alert" id="form-error">([^<]*)</p>"#) }
    /// The `role="status"` notice.
    var notice: String? { firstMatch(#"<p class="notice" role="status">([^<]*)</p>"#) }
    /// A new app password, shown once.
    var newPassword: String? { firstMatch(#"id="new-password"[^>]*>([a-z]{4} [a-z]{4} [a-z]{4} [a-z]{4})<"#) }

    func firstMatch(_ pattern: String) -> String? {
        let regex = try! NSRegularExpression(pattern: pattern)
        guard let match = regex.firstMatch(in: body, range: NSRange(body.startIndex..., in: body)),
            let range = Range(match.range(at: 1), in: body)
        else { return nil }
        return String(body[range])
    }
}

/// Drives the page in-process as a browser does: keeps cookies, follows nothing by itself.
final class TestBrowser: Sendable {
    let client: any TestClientProtocol
    private let jar = Mutex<[String: String]>([:])
    /// Headers sent with every request (a trusted proxy's X-Forwarded-*).
    let extraHeaders: HTTPFields

    init(_ client: any TestClientProtocol, headers: HTTPFields = [:]) {
        self.client = client
        extraHeaders = headers
    }

    var cookies: [String: String] {
        get { jar.withLock { $0 } }
        set { jar.withLock { $0 = newValue } }
    }

    func get(_ uri: String) async throws -> Page {
        try await send(uri, method: .get, body: nil, contentType: nil)
    }

    /// POSTs a URL-encoded form.
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> Page {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map {
            "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }
        .joined(separator: "&")
        return try await post(uri, raw: body)
    }

    func post(_ uri: String, raw body: String, contentType: String = "application/x-www-form-urlencoded") async throws -> Page {
        try await send(uri, method: .post, body: body, contentType: contentType)
    }

    /// Signs in and returns the page after the redirect.
    @discardableResult
    func signIn(_ account: String = "alice@example.com", _ password: String = alicePassword) async throws -> Page {
        let form = try await get("/sign-in")
        return try await post("/sign-in", [("csrf", form.csrf ?? ""), ("account", account), ("password", password)])
    }

    private func send(_ uri: String, method: HTTPRequest.Method, body: String?, contentType: String?) async throws -> Page {
        var headers = extraHeaders
        let cookieHeader = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
        if let contentType { headers[.contentType] = contentType }
        let page = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Page(
                status: response.status, headers: response.headers, body: String(buffer: response.body),
                bytes: Array(response.body.readableBytesView))
        }
        for header in page.setCookies {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            let expired = header.contains("Max-Age=0")
            jar.withLock { $0[pair[0]] = expired || pair.count < 2 ? nil : pair[1] }
        }
        return page
    }
}
